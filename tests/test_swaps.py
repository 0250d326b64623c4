import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.swaps import MAX_PHRASE_WORDS, SwapTable, substitutions, usable


def test_substitutions_of_an_aligned_spin():
    original = (
        "Xbox executive Sarah Bond told Forbes that Game Pass shapes Microsoft's vision "
        "for the service, and the review was fair."
    )
    spun = (
        "Xbox govt Sarah Bond advised Forbes that Sport Move shapes Microsoft's imaginative "
        "and prescient for the service, and the evaluation was honest."
    )
    assert substitutions(original, spun) == [
        ("executive", "govt"),
        ("told", "advised"),
        ("game pass", "sport move"),
        ("vision", "imaginative and prescient"),
        ("review", "evaluation"),
        ("fair", "honest"),
    ]


def test_identical_texts_and_rewrites_give_no_substitutions():
    text = "The council voted on the budget on Monday."
    assert substitutions(text, text) == []
    rewrite = "On Monday, after a long and heated debate lasting many hours, members agreed."
    assert substitutions(text, rewrite) == []


def test_usable_rejects_function_word_swaps_and_long_phrases():
    assert not usable("the", "that")
    assert not usable("a b c d e", "x")
    assert usable("call of duty", "name of responsibility")
    assert not usable("3 percent", "3 per cent")


def test_table_counts_normalises_and_ranks_originals():
    table = SwapTable.from_pairs(
        [("Told", "advised"), ("told", "ADVISED"), ("informed", "advised"), ("the", "that")]
    )
    assert len(table) == 2
    assert table.originals_of("advised") == ("told", "informed")
    assert table.count_of("told", "advised") == 2
    assert table.count_of("said", "advised") == 0
    assert SwapTable.from_pairs([("told", "advised")], min_count=2).spun == ()


def test_phrases_are_indexed_by_first_word_longest_first():
    table = SwapTable.from_pairs(
        [("vision", "imaginative and prescient"), ("creative", "imaginative"), ("game", "sport")]
    )
    assert table.phrases_by_first_word() == {
        "imaginative": [("imaginative", "and", "prescient"), ("imaginative",)],
        "sport": [("sport",)],
    }
    assert SwapTable.from_pairs([]).phrases_by_first_word() == {}


def test_merge_and_array_round_trip():
    first = SwapTable.from_pairs([("told", "advised")])
    second = SwapTable.from_pairs([("told", "advised"), ("game", "sport")])
    merged = first.merged(second)
    assert merged.count_of("told", "advised") == 2
    restored = SwapTable.from_arrays(merged.to_arrays("s_"), "s_")
    assert restored is not None
    assert restored.originals == merged.originals
    assert restored.spun == merged.spun
    assert np.array_equal(restored.counts, merged.counts)
    assert SwapTable.from_arrays({}, "s_") is None


def test_entries_learnt_without_originals_are_prose_only_unless_an_aligned_one_agrees():
    table = SwapTable.from_pairs(
        [("told", "advised")], unpaired=[("told", "advised"), ("right", "Proper"), ("a", "the")]
    )
    # normalised; an unusable entry is no phrase at all
    assert table.prose_only == {"proper"}
    assert table.count_of("right", "proper") == 1
    assert table.spun_in_names() == {"advised"}
    # an aligned entry for the same spun phrase lifts the restriction, in a merge too
    aligned = SwapTable.from_pairs([("correct", "proper")])
    assert table.merged(aligned).prose_only == frozenset()
    assert table.merged(SwapTable.from_pairs([])).prose_only == {"proper"}
    restored = SwapTable.from_arrays(table.to_arrays("s_"), "s_")
    assert restored is not None and restored.prose_only == {"proper"}
    # a model file from before the field has none
    arrays = {k: v for k, v in table.to_arrays("s_").items() if not k.endswith("prose_only")}
    old = SwapTable.from_arrays(arrays, "s_")
    assert old is not None and old.prose_only == frozenset()


def test_an_entry_learnt_without_an_original_side_is_a_spun_name():
    table = SwapTable.from_pairs(
        [("house", "home")], unpaired=[("", "Home of the Dragon"), ("", "Home of the Dragon")]
    )
    # a name is no entry of its own: its words are put back through the entries
    assert table.spun_names == {"home of the dragon"} and len(table) == 1
    assert table.spun_name_openings() == {"home"}
    # only entries learnt without originals hold names; an empty aligned side is dropped
    assert SwapTable.from_pairs([("", "Home of the Dragon")]).spun_names == frozenset()
    other = SwapTable.from_pairs([], unpaired=[("", "Road Fighter")])
    assert table.merged(other).spun_names == {"home of the dragon", "road fighter"}
    restored = SwapTable.from_arrays(table.to_arrays("s_"), "s_")
    assert restored is not None and restored.spun_names == {"home of the dragon"}
    # a model file from before the field has none
    arrays = {k: v for k, v in table.to_arrays("s_").items() if not k.endswith("spun_names")}
    old = SwapTable.from_arrays(arrays, "s_")
    assert old is not None and old.spun_names == frozenset()


WORDS = st.sampled_from(["the", "game", "sport", "told", "advised", "Pass", "move", ",", "."])


@settings(max_examples=100, deadline=None)
@given(st.lists(WORDS, max_size=30), st.lists(WORDS, max_size=30))
def test_substitutions_are_usable_and_made_of_the_texts_words(before, after):
    original, spun = " ".join(before), " ".join(after)
    for source, copy in substitutions(original, spun):
        assert usable(source, copy)
        assert len(source.split()) <= MAX_PHRASE_WORDS
        assert re.search(re.escape(copy.split()[0]), spun, re.I)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=20), st.text(max_size=20)), max_size=8))
def test_any_pairs_make_a_usable_table(pairs):
    table = SwapTable.from_pairs(pairs)
    for original, spun in zip(table.originals, table.spun, strict=True):
        assert usable(original, spun)
    assert sum(len(v) for v in table.phrases_by_first_word().values()) == len(set(table.spun))
