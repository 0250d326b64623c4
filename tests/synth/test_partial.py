import random

from hypothesis import given
from hypothesis import strategies as st

from detector.synth.partial import assemble, choose_paragraphs
from detector.text import paragraph_spans


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=10**6))
def test_chosen_paragraphs_are_some_but_never_all(n_paragraphs, seed):
    chosen = choose_paragraphs(n_paragraphs, random.Random(seed))
    if n_paragraphs < 2:
        assert chosen == []
    else:
        assert 1 <= len(chosen) < n_paragraphs
        assert chosen == sorted(set(chosen))
        assert all(0 <= index < n_paragraphs for index in chosen)


def test_labels_mark_only_paragraphs_that_changed():
    text, labels = assemble(["One.", "Two.", "Three."], {0: "Uno.", 2: "Three."})
    assert text == "Uno.\n\nTwo.\n\nThree."
    assert labels == [1, 0, 0]


def test_a_changed_paragraph_split_in_two_stays_one():
    text, labels = assemble(["One.", "Two."], {1: "Dos.\n\nTwo."})
    assert len(paragraph_spans(text)) == len(labels) == 2
    assert labels == [0, 1]
