import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.collocations import MIN_PAIR_COUNT, Collocations, normalise

CORPUS = [
    "The naughty dog ran home.\n\nA dog ran home at night.",
    "Home windows open at night; the naughty dog slept.",
    "Windows 11 runs on the PC. The dog's bowl was empty.",
]


@pytest.fixture(scope="module")
def table() -> Collocations:
    return Collocations.build(CORPUS * 3, min_pair_count=1)


def count(table: Collocations, left: str, right: str) -> int:
    ids = table.ids([left, right])
    return int(table.pair_count(ids[:1], ids[1:])[0])


def test_pairs_are_counted_within_paragraphs_and_between_words_only(table):
    assert count(table, "naughty", "dog") == 6
    assert count(table, "dog", "ran") == 6
    # "home.\n\nA": a paragraph break and a full stop lie between them
    assert count(table, "home", "a") == 0
    # "night; the": a semicolon lies between them
    assert count(table, "night", "the") == 0


def test_words_are_lower_cased_with_straight_apostrophes(table):
    assert count(table, "home", "windows") == 3
    assert table.ids(["dog's"])[0] == table.ids([normalise("dog’s")])[0] > 0


def test_unknown_words_and_unseen_pairs_count_zero(table):
    assert table.ids(["zebra"]).tolist() == [0]
    assert count(table, "zebra", "dog") == 0
    assert count(table, "dog", "windows") == 0


def test_every_pair_is_stored_unless_a_floor_is_asked_for():
    texts = ["the cat sat", "the cat ran", "a dog sat"]
    built = Collocations.build(texts)
    ids = built.ids(["the", "cat", "a", "dog"])
    assert built.pair_count(ids[[0]], ids[[1]]).tolist() == [2]
    assert MIN_PAIR_COUNT == 1
    assert built.pair_count(ids[[2]], ids[[3]]).tolist() == [1]
    floored = Collocations.build(texts, min_pair_count=2)
    assert floored.pair_count(ids[[0]], ids[[1]]).tolist() == [2]
    assert floored.pair_count(ids[[2]], ids[[3]]).tolist() == [0]


def test_vocabulary_keeps_the_most_frequent_words():
    built = Collocations.build(["a a a b b c"], max_words=2, min_pair_count=1)
    assert set(built.vocabulary) == {"a", "b"}
    assert built.count(built.ids(["a", "b", "c"])).tolist() == [3, 2, 0]


def test_builds_repeat_and_round_trip_through_arrays(table):
    again = Collocations.build(CORPUS * 3, min_pair_count=1)
    assert again.vocabulary == table.vocabulary
    assert np.array_equal(again.pair_keys, table.pair_keys)
    restored = Collocations.from_arrays(table.to_arrays("c_"), "c_")
    assert restored is not None
    assert restored.vocabulary == table.vocabulary
    assert np.array_equal(restored.pair_counts, table.pair_counts)
    assert restored.total == table.total
    assert Collocations.from_arrays({}, "c_") is None


def test_pair_keys_are_sorted_and_unique(table):
    keys = table.pair_keys.astype(np.int64)
    assert np.all(np.diff(keys) > 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=5))
def test_any_text_builds_a_consistent_table(texts):
    built = Collocations.build(texts, min_pair_count=1)
    assert len(built.word_counts) == len(built.vocabulary) + 1
    assert all(0 < index < len(built.word_counts) for index in built.vocabulary.values())
    assert len(built.pair_keys) == len(built.pair_counts)
    assert np.all(np.diff(built.pair_keys.astype(np.int64)) > 0)


def test_remembered_pair_counts_are_the_searched_ones_and_stay_bounded(monkeypatch):
    """``pair_count_of`` remembers what it searched, at most MAX_REMEMBERED_PAIRS pairs."""
    import detector.collocations

    table = Collocations.build(CORPUS * 3, min_pair_count=1)
    monkeypatch.setattr(detector.collocations, "MAX_REMEMBERED_PAIRS", 5)
    words = ["the", "naughty", "dog", "ran", "home", "windows", "cat", ""]
    for _ in range(2):  # searched, then remembered (or searched again after a clear)
        for left in words:
            for right in words:
                expected = int(table.pair_count(table.ids([left]), table.ids([right]))[0])
                assert table.pair_count_of(left, right) == expected
                assert len(table._pair_memo) <= 5
    assert table.pair_count_of("naughty", "dog") == 6
