"""The array helpers the families share."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features.base import items_of, unique_counts


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 40), max_size=30), max_size=6),
    st.booleans(),
)
def test_unique_counts_are_numpys(documents, shuffled):
    # keys as the families make them: a document's number in the high bits
    keys = np.array(
        [(number << 8) | value for number, own in enumerate(documents) for value in own],
        dtype=np.int64,
    )
    if shuffled:
        keys = np.random.default_rng(len(keys)).permutation(keys)
    found, counts = unique_counts(keys)
    expected, expected_counts = np.unique(keys, return_counts=True)
    assert found.tolist() == expected.tolist()
    assert counts.tolist() == expected_counts.tolist()
    assert found.dtype == expected.dtype and counts.dtype == expected_counts.dtype


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=40), st.integers(-1, 8))
def test_items_of_a_document_are_those_a_comparison_finds(documents, own):
    document = np.sort(np.array(documents, dtype=np.int64))
    assert items_of(document, own).tolist() == np.flatnonzero(document == own).tolist()
