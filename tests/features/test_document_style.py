"""Document style profile: the measures, typography blindness, batches and invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features import document_style
from detector.features.document_style import (
    FEATURE_NAMES,
    GROUPS,
    class_sequences,
    extract,
    lexical_classes,
    normalise_typography,
    transform,
    word_class_spans,
    word_classes,
)
from detector.text import Document
from tests.examples import ADVERSARIAL_INPUTS, CLEAN_WIRE_STORY, LOOSE_BLOG, NEGATIVE_EXAMPLES

#: Same words, punctuation and sentences; only the quote, apostrophe and dash
#: characters differ.
CURLY = "\u201cWe don\u2019t know,\u201d she said \u2014 and the firm\u2019s shares fell."
STRAIGHT = "\"We don't know,\" she said - and the firm's shares fell."

#: Sentences of one length, one after the other, linked by connectives.
REGULAR = (
    "However, the committee approved the new budget for the region. "
    "Moreover, the ministry announced the new plan for the schools. "
    "The government also confirmed the new rules for the companies. "
    "Furthermore, the council published the new report on the roads. "
    "The agency also reviewed the new data on the local hospitals. "
    "Therefore, the mayor expected the new funds for the next year."
)


def value(text: str, name: str) -> float:
    return extract(text).values[f"document_style.{name}"]


def test_names_are_unique_grouped_and_namespaced() -> None:
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert all(name.startswith("document_style.") for name in FEATURE_NAMES)
    assert [name for names in GROUPS.values() for name in names] == list(FEATURE_NAMES)
    assert len(document_style.FUNCTION_WORDS) >= 150


def test_curly_and_straight_typography_give_the_same_profile() -> None:
    assert extract(CURLY).values == extract(STRAIGHT).values
    assert value(CURLY, "quote_rate") > 0
    assert value(CURLY, "dash_rate") > 0
    assert value(CURLY, "contraction_rate") > 0


def test_normalising_keeps_offsets() -> None:
    assert len(document_style.normalise_typography(CURLY)) == len(CURLY)


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        # 2 sentences of 3 and 6 words
        ("Prices rose today. The bank said it would wait.", "sentence_length_mean", 4.5),
        ("Prices rose today. The bank said it would wait.", "sentence_length_spread", 1.5),
        # 2 commas, 1 semicolon, 1 colon over 10 words
        ("Yes, we rose; then, said: one two three four five.", "comma_rate", 20.0),
        ("Yes, we rose; then, said: one two three four five.", "semicolon_rate", 10.0),
        ("Yes, we rose; then, said: one two three four five.", "colon_rate", 10.0),
        # a hyphen inside a word is no dash
        ("A well-known firm rose.", "dash_rate", 0.0),
        ("A firm -- well known -- rose.", "dash_rate", 40.0),
        # 4 of 5 words are function words
        ("It was in the garden.", "function_word_share", 0.8),
        ("The cat and the dog.", "function_word_the", 40.0),
        ("I told you we would win.", "personal_pronoun_rate", 50.0),
        ("Cats sat. Cats sat.", "type_token_ratio", 0.5),
        ("Cats sat. Cats sat.", "word_length_mean", 3.5),
    ],
)
def test_measures(text: str, name: str, expected: float) -> None:
    assert value(text, name) == pytest.approx(expected)


def test_lexical_diversity_does_not_grow_with_length() -> None:
    """Windows of fixed size: the same prose twice over keeps its ratio."""
    once = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(200))
    assert value(once, "type_token_ratio") == 1.0
    assert value(once + " " + once, "type_token_ratio") == 1.0


def test_regular_connected_prose_differs_from_loose_blog() -> None:
    regular, blog = extract(REGULAR).values, extract(LOOSE_BLOG).values
    name = "document_style."
    assert regular[name + "sentence_length_variation"] < blog[name + "sentence_length_variation"]
    assert regular[name + "sentence_initial_connective_share"] == pytest.approx(4 / 6)
    assert blog[name + "connective_rate"] < regular[name + "connective_rate"]


def test_evidence_names_connectives_and_regular_rhythm() -> None:
    items = extract(REGULAR).evidence
    assert items[0].name == "document_style.sentence_length_variation"
    assert "nearly equal length" in items[0].note
    connectives = [item.snippet for item in items[1:]]
    assert connectives == ["However", "Moreover", "Furthermore"][: len(connectives)]
    assert len(items) <= document_style.MAX_EVIDENCE + 1
    for item in items:
        assert REGULAR[item.start : item.end] == item.snippet


def test_plain_prose_has_no_rhythm_note() -> None:
    assert not any(item.name.endswith("variation") for item in extract(CLEAN_WIRE_STORY).evidence)


def test_batch_rows_equal_single_documents() -> None:
    texts = [REGULAR, "", CURLY, LOOSE_BLOG, "12 34 ..."]
    matrix = transform([Document.of(text) for text in texts])
    for row, text in zip(matrix, texts, strict=True):
        assert row.tolist() == [extract(text).values[name] for name in FEATURE_NAMES]


def test_text_without_words_gives_zeros() -> None:
    for text in ("", "   ", "12 34 ...", "!!!"):
        assert set(extract(text).values.values()) == {0.0}


@pytest.mark.parametrize("name", sorted(NEGATIVE_EXAMPLES))
def test_negative_examples_are_finite_with_valid_spans(name: str) -> None:
    text = NEGATIVE_EXAMPLES[name]
    result = extract(text)
    assert all(math.isfinite(v) for v in result.values.values())
    for item in result.evidence:
        assert text[item.start : item.end] == item.snippet


@pytest.mark.parametrize("name", sorted(ADVERSARIAL_INPUTS))
def test_adversarial_inputs(name: str) -> None:
    text = ADVERSARIAL_INPUTS[name]
    matrix = transform([Document.of(text)])
    assert np.isfinite(matrix).all()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_finite_values_and_valid_spans(text: str) -> None:
    result = extract(text)
    assert set(result.values) == set(FEATURE_NAMES)
    assert all(math.isfinite(v) and v >= 0 for v in result.values.values())
    for item in result.evidence:
        assert text[item.start : item.end] == item.snippet


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*'aAbT .,:"“”’-\n', "rain", "Rain ", "the "]), max_size=80))
def test_lexical_classes_are_the_classes_with_lexicon_words_kept(pieces):
    text = "".join(pieces)

    lexicon = frozenset({"rain", "ab", "a"})
    classes, lexical = class_sequences(text, lexicon)
    assert classes == word_classes(text) and lexical == lexical_classes(text, lexicon)
    _, spans = word_class_spans(text)
    normalised = normalise_typography(text)
    assert len(lexical) == len(spans)
    for kind, kept, (start, end) in zip(classes, lexical, spans, strict=True):
        # a kept word is the token itself, lower-cased, a content word or a capitalised one
        assert kept == kind or (kept == normalised[start:end].lower() and kept in lexicon)
        assert kept == kind or kind in {"<w>", "<ing>", "<ed>", "<ly>", "<Cap>"}


def _lexical_reference(text: str, lexicon: frozenset[str]) -> list[str]:
    """:func:`lexical_classes` worked out token by token, as its docstring says."""
    tokens, lexical = [], []
    classes, spans = word_class_spans(text)
    normalised = normalise_typography(text)
    for kind, (start, end) in zip(classes, spans, strict=True):
        lowered = normalised[start:end].lower()
        tokens.append(lowered)
        lexical.append(lowered if kind in {"<w>", "<ing>", "<ed>", "<ly>"} and lowered in lexicon
                       else kind)  # fmt: skip
    for index, kind in enumerate(classes):
        opens = index == 0 or classes[index - 1] in {".", "!", "?", ":", '"'}
        if kind == "<Cap>" and opens and tokens[index] in lexicon:
            lexical[index] = tokens[index]
    return lexical


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*'aAbT .,:!"“”’-\n', "rain", "Rain ", "RAIN", "the "]),
                max_size=80))  # fmt: skip
def test_lexical_classes_match_token_by_token_and_again_from_memory(pieces):
    text = "".join(pieces)
    lexicon = frozenset({"rain", "ab", "a", "the"})
    expected = _lexical_reference(text, lexicon)
    # the second call reads every token from the memo the first one filled
    assert class_sequences(text, lexicon)[1] == expected
    assert class_sequences(text, lexicon)[1] == expected
    assert class_sequences(text, set(lexicon))[1] == expected
