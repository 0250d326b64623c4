import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.known_names import (
    MAX_NAME_TOKENS,
    KnownNames,
    name_key,
    name_runs,
    name_spans,
)
from detector.text import TOKEN_RE

# Sentences written for these tests.
TEXTS = [
    "Fans of Game of Thrones waited for years.",
    "The final season of Game of Thrones aired.\n\nShe played Street Fighter II at home.",
    "Street Fighter II was on sale. The Home Office said nothing.",
]


def spans_of(text: str, first: int = 0) -> list[str]:
    tokens = TOKEN_RE.findall(text)
    return [
        " ".join(tokens[i:j])
        for a, b in name_runs(tokens, first)
        for i, j in name_spans(tokens, a, b)
    ]


def test_counts_every_name_span_seen_at_least_twice():
    names = KnownNames.build(TEXTS)
    counts = names.count(["game of thrones", "street fighter ii", "street fighter", "home office"])
    assert counts.tolist() == [2, 2, 2, 0]  # "Home Office" was seen once


def test_a_lower_minimum_keeps_spans_seen_once():
    names = KnownNames.build(TEXTS, min_count=1)
    assert names.count(["home office", "the home office"]).tolist() == [1, 0]


def test_runs_skip_the_first_word_and_trim_articles_and_joiners():
    assert spans_of("Yesterday The Home Office of", first=1) == ["Home Office"]
    assert spans_of("Fans of Dune: Part Two cheered") == [
        "Fans of Dune",
        "Fans of Dune : Part",
        "Dune : Part",
        "Dune : Part Two",
        "Part Two",
    ]  # "Fans of Dune : Part Two" is six tokens


def test_a_span_needs_two_capitalised_words():
    assert spans_of("see Volume 4 now") == []
    assert spans_of("see Final Fantasy 4 now") == ["Final Fantasy", "Final Fantasy 4"]


def test_round_trip_through_arrays():
    names = KnownNames.build(TEXTS)
    again = KnownNames.from_arrays(names.to_arrays("names_"), "names_")
    assert again is not None
    assert np.array_equal(again.keys, names.keys) and np.array_equal(again.counts, names.counts)
    assert KnownNames.from_arrays({}, "names_") is None


def test_empty_tables_and_lookups():
    empty = KnownNames.build([])
    assert len(empty) == 0
    assert empty.count(["game of thrones"]).tolist() == [0]
    assert KnownNames.build(TEXTS).count([]).tolist() == []


def test_keys_are_stable():
    # blake2b, not Python's salted hash(): a model file built on one machine
    # must find its names on another
    assert name_key("game of thrones") == 0xFCCD1096B45E87E9


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=4))
def test_any_text_builds_and_every_span_is_short(texts):
    names = KnownNames.build(texts, min_count=1)
    assert len(names) == len(np.unique(names.keys))
    assert np.all(np.diff(names.keys.astype(np.float64)) >= 0)
    for text in texts:
        for span in spans_of(text):
            assert 2 <= len(span.split()) <= MAX_NAME_TOKENS
