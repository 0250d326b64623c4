from unittest.mock import patch

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import detector.lm
from detector.lm import NgramModel, pack


def test_pack_is_injective_for_ids_within_bits():
    keys = pack(np.array([3, 1, 2, 3]), 2, 4).tolist()
    assert keys == [(3 << 4) | 1, (1 << 4) | 2, (2 << 4) | 3]


def test_seen_sequences_are_less_surprising_than_shuffled_ones():
    model = NgramModel.fit([[1, 2, 3, 4, 5]] * 5, order=3, bits=4)
    fluent = model.surprisal(np.array([1, 2, 3, 4, 5])).mean()
    garbled = model.surprisal(np.array([5, 3, 1, 4, 2])).mean()
    assert fluent < garbled


def test_pruning_keeps_unigrams_and_drops_rare_trigrams():
    model = NgramModel.fit([[1, 2, 3], [1, 2, 3], [4, 5, 6]], order=3, bits=4, min_count=2)
    assert model.lookup(np.array([pack(np.array([1, 2, 3]), 3, 4)[0]]), 3)[0] == 2
    assert model.lookup(pack(np.array([4, 5, 6]), 3, 4), 3)[0] == 0
    assert model.lookup(np.array([6]), 1)[0] == 1


def test_round_trip_through_arrays():
    model = NgramModel.fit([[1, 2, 3, 2, 1]], order=2, bits=3)
    again = NgramModel.from_arrays(model.to_arrays("x_"), "x_")
    ids = np.array([1, 2, 3])
    assert np.array_equal(model.surprisal(ids), again.surprisal(ids))


@given(st.lists(st.integers(min_value=0, max_value=15), max_size=40))
def test_surprisal_is_finite_and_non_negative(ids):
    model = NgramModel.fit([[1, 2, 3, 4], [4, 3, 2, 1]], order=3, bits=4)
    values = model.surprisal(np.array(ids, dtype=np.int64))
    assert len(values) == len(ids)
    assert np.all(np.isfinite(values)) and np.all(values >= 0)


@given(st.lists(st.integers(min_value=0, max_value=15), max_size=30))
def test_gram_counts_agree_with_seen_and_surprisal(ids):
    model = NgramModel.fit([[1, 2, 3, 1, 2, 4], [5, 2, 3]], order=3, bits=4)
    array = np.array(ids, dtype=np.int64)
    counts = model.gram_counts(array)
    assert len(counts) == min(len(ids), 3)
    for k, found in enumerate(counts, start=1):
        np.testing.assert_array_equal(found > 0, model.seen(array, k))
    np.testing.assert_array_equal(model.surprisal(array, counts), model.surprisal(array))
    np.testing.assert_array_equal(
        model.surprisal_unigram(array, counts), model.surprisal_unigram(array)
    )


@given(
    st.lists(st.lists(st.integers(1, 12), min_size=1, max_size=20), min_size=1, max_size=6),
    st.lists(st.integers(0, 14), max_size=40),
)
def test_lookup_finds_the_same_counts_with_queries_sorted_or_not(sequences, queries):
    """Small tables are searched in query order, big ones with the queries sorted: same counts."""
    model = NgramModel.fit(sequences, order=2, bits=4)
    ids = np.array(queries, dtype=np.int64)
    for k in (1, 2):
        keys = pack(ids, k, model.bits)
        expected = [float(model.counts[k - 1][model.keys[k - 1] == key].sum()) for key in keys]
        for small_table in (1 << 30, 0):
            with patch.object(detector.lm, "SMALL_TABLE", small_table):
                assert model.lookup(keys, k).tolist() == expected
