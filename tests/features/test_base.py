"""The array helpers the families share."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features.base import unique_counts


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
