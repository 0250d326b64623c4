import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features import phrasing

CLEAN_NEWS = [
    "The company said on Monday that profit rose in the third quarter.",
    "Shares of the bank fell 3 percent after the results were published.",
    "The central bank kept interest rates on hold, as analysts had expected.",
    "Investors are waiting for the results of the election later this week.",
    "The company said it would cut jobs in Europe to reduce costs.",
] * 4


@pytest.fixture(scope="module")
def resources():
    from detector.build import build_resources

    return build_resources(CLEAN_NEWS, min_trigram_count=1, min_word_count=1)


def test_garbled_order_is_less_fluent_than_clean_text(resources):
    clean = phrasing.extract("The company said on Monday that profit rose.", resources)
    garbled = phrasing.extract("Said the on company rose Monday profit that.", resources)
    for name in (
        "phrasing.mean_surprisal",
        "phrasing.unseen_bigram_share",
        "phrasing.class_surprisal",
    ):
        assert garbled.values[name] > clean.values[name], name


BLOCK_FEATURES = (
    "phrasing.worst_block_surprisal",
    "phrasing.worst_block_unseen_bigram_share",
)
GARBLED = "Said the on company rose Monday profit that."


def test_a_garbled_passage_stands_out_in_its_block(resources):
    clean = " ".join(CLEAN_NEWS[:5])
    pasted = " ".join([*CLEAN_NEWS[:5], GARBLED, GARBLED, GARBLED, *CLEAN_NEWS[:5]])
    clean_values = phrasing.extract(clean, resources).values
    pasted_values = phrasing.extract(pasted, resources).values
    for name in BLOCK_FEATURES:
        assert pasted_values[name] > clean_values[name], name
    # the document's mean dilutes the passage; its worst block does not
    worst, mean = (pasted_values[f"phrasing.{n}_surprisal"] for n in ("worst_block", "mean"))
    assert worst > 1.5 * mean
    garbled = phrasing.extract(" ".join([GARBLED] * 3), resources).values
    assert pasted_values["phrasing.worst_block_surprisal"] == pytest.approx(
        garbled["phrasing.worst_block_surprisal"], rel=0.02
    )


def test_a_uniform_text_has_its_mean_as_worst_block(resources):
    values = phrasing.extract(" ".join(CLEAN_NEWS[:3]), resources).values
    assert values["phrasing.worst_block_surprisal"] == pytest.approx(
        values["phrasing.mean_surprisal"]
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Shares rose the the most in a year.", "phrasing.doubled_word"),
        (
            "The bank said it would compensate workers with during.",
            "phrasing.dangling_function_word",
        ),
        ("Profit rose , the company said.", "phrasing.spacing_damage"),
        ("Profit rose in the  quarter.", "phrasing.spacing_damage"),
    ],
)
def test_surface_damage_is_evidence(text, name):
    result = phrasing.extract(text)
    assert name in {e.name for e in result.evidence}


@pytest.mark.parametrize(
    "text",
    [
        "He said that that was the plan.",
        "Prices rose 3,000 yen in the U.S. market.",
        "What are they looking at?",
        "Profit rose (in the quarter) and shares fell.",
    ],
)
def test_legitimate_text_has_no_surface_damage(text):
    result = phrasing.extract(text)
    assert not result.evidence, result.evidence


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_invariants(resources, text):
    result = phrasing.extract(text, resources)
    assert set(result.values) == set(phrasing.FEATURE_NAMES)
    for name, value in result.values.items():
        assert math.isfinite(value)
        assert value >= 0 or name == "phrasing.context_gain"
    for item in result.evidence:
        assert text[item.start : item.end] == item.snippet


def test_empty_text_gives_zeros():
    result = phrasing.extract("")
    assert all(value == 0.0 for value in result.values.values()) and not result.evidence


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["the", "The", "THE", "é", "3402.T", "AB.cd", "x", ",", ".", "-"]),
        max_size=12,
    ).flatmap(
        lambda words: st.lists(
            st.sampled_from(["", " ", "  ", "\n", "-"]), min_size=len(words), max_size=len(words)
        ).map(lambda gaps: "".join(w + g for w, g in zip(words, gaps, strict=True)))
    )
)
def test_every_doubled_word_is_counted_and_shown(text):
    from detector.text import Document

    tokens = Document.of(text).tokens
    lowered = [token.text.lower() for token in tokens]
    expected = [
        (tokens[i - 1].start, tokens[i].end)
        for i in range(1, len(tokens))
        if lowered[i] == lowered[i - 1]
        and lowered[i].isalpha()
        and lowered[i] not in phrasing._DOUBLE_OK
        and tokens[i].start - tokens[i - 1].end <= 1
    ]
    result = phrasing.extract(text)
    shown = [(e.start, e.end) for e in result.evidence if e.name == "phrasing.doubled_word"]
    assert shown == expected
    words = Document.of(text).n_words
    assert result.values["phrasing.doubled_word_rate"] == (
        len(expected) / words * 100 if words else 0.0
    )


# Spacing damage as first written: each alternative opens with its look-behind.
_PLAIN_SPACING_DAMAGE_RE = re.compile(
    r"(?<=\w)[ ]+[,;:)](?=[ ]|$)|(?<=[a-z,])[ ]{2,}(?=[a-z])|(?<=[a-z]{2})[,](?=[a-z]{2})"
)


@settings(max_examples=500)
@given(st.lists(st.sampled_from([*"aZ9_,;:). \n", "  ", "ab,cd", "é"]), max_size=30).map("".join))
def test_spacing_damage_is_that_of_the_plain_pattern(text):
    """The pattern that looks behind after its first character finds the same spans."""
    found = [m.span() for m in phrasing.SPACING_DAMAGE_RE.finditer(text)]
    assert found == [m.span() for m in _PLAIN_SPACING_DAMAGE_RE.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(0, 40, allow_nan=False) | st.sampled_from([0.0, 1.5]), max_size=25),
        max_size=6,
    ),
    st.sampled_from([0, 50, 90, 100]),
    st.booleans(),
)
def test_each_documents_percentile_is_numpys(documents, q, shuffled):
    import numpy as np

    values = np.array([value for own in documents for value in own], dtype=np.float64)
    owner = np.repeat(np.arange(len(documents)), [len(own) for own in documents])
    if shuffled:  # documents' values interleaved: the general path
        order = np.random.default_rng(len(values)).permutation(len(values))
        values, owner = values[order], owner[order]
    found = phrasing._segment_percentile(values, owner, len(documents), q)
    expected = [float(np.percentile(own, q)) if own else 0.0 for own in documents]
    assert found.tolist() == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 40, allow_nan=False), st.booleans()), max_size=12))
def test_windows_are_the_four_tokens_from_each_position(positions):
    import numpy as np

    surprisal = np.array([value for value, _ in positions], dtype=np.float64)
    inside = np.array([kept for _, kept in positions], dtype=bool)
    size = len(positions)
    local, lengths = np.arange(size), np.full(size, size)
    window, valid = phrasing._windows(surprisal, inside, local, lengths)
    for start in range(size):
        # past the end, the last position stands in (so no window there is valid)
        ahead = [min(start + offset, size - 1) for offset in range(4)]
        expected = 0.0
        for at in ahead:
            expected += (surprisal[at] if inside[at] else 0.0) * 0.25
        assert window[start] == expected
        assert valid[start] == (start + 4 <= size and all(inside[at] for at in ahead))
