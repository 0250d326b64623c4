import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features import substitution
from detector.features.substitution import synonyms_of
from detector.resources import FIRST_WORD_ID, Resources

# Clean sentences written for these tests: each content word below appears
# in its usual company several times.
CLEAN_NEWS = [
    "Exports rose sharply in March, the trade ministry said on Tuesday.",
    "Exports rose for a third month as demand from Asia held up.",
    "Imports rose too, and the trade surplus narrowed.",
    "The index climbed to a record high after the report.",
    "The company said profit rose in the quarter.",
    "Analysts said the rebound in exports would last.",
    "Mr. Stone said the ministry would publish the figures.",
] * 20

# A thesaurus for the fixture: the pairs a spinner would swap.
THESAURUS = {
    "rose": ["climbed", "grew"],
    "climbed": ["rose"],
    "grew": ["rose"],
    "said": ["stated"],
    "stated": ["said"],
    "stone": ["rock"],
    "rock": ["stone"],
    "profit": ["gain"],
}


@pytest.fixture(scope="module")
def resources():
    from detector.build import build_resources

    extra = ["Growth grew. The rock band stated its plans. The gain was small."]
    built = build_resources(
        CLEAN_NEWS + extra, min_trigram_count=1, min_word_count=1, synonyms=False
    )
    built.synonym_offsets, built.synonym_ids = synonyms_of(built, THESAURUS)
    return built


def swapped_words(result):
    return [item.snippet for item in result.evidence]


@pytest.mark.parametrize(
    ("text", "swapped", "usual"),
    [
        ("Exports climbed sharply in March, the trade ministry said.", "climbed", "rose"),
        ("Exports rose sharply in March, the trade ministry stated on Tuesday.", "stated", "said"),
        ("Imports grew too, and the trade surplus narrowed.", "grew", "rose"),
    ],
)
def test_a_swapped_synonym_is_evidence(resources, text, swapped, usual):
    result = substitution.extract(text, resources)
    assert swapped_words(result) == [swapped]
    assert f"'{usual}' is far more usual" in result.evidence[0].note
    assert result.values["substitution.swap_share"] > 0
    assert result.values["substitution.swap_rate"] > 0
    assert result.values["substitution.mean_log_ratio"] > 0


def test_the_original_wording_is_not_evidence(resources):
    for text in CLEAN_NEWS[:7]:
        result = substitution.extract(text, resources)
        assert not result.evidence, text
        assert result.values["substitution.swap_share"] == 0.0


def test_a_name_inside_a_sentence_is_never_a_swap(resources):
    # "Rock" is a synonym of "stone", but capitalised inside a sentence it is a name.
    result = substitution.extract(
        "Mr. Rock said the ministry would publish the figures.", resources
    )
    assert "Rock" not in swapped_words(result)


def test_strong_swap_needs_a_seen_trigram_of_the_synonym(resources):
    text = "Exports climbed sharply in March, the trade ministry said."
    result = substitution.extract(text, resources)
    # "exports rose sharply" was seen three times, "exports climbed sharply" never
    assert result.values["substitution.strong_swap_share"] > 0


def test_evidence_is_capped_and_in_text_order(resources):
    text = " ".join(["Exports climbed sharply in March, the trade ministry stated."] * 8)
    result = substitution.extract(text, resources)
    assert len(result.evidence) == substitution.MAX_EVIDENCE
    starts = [item.start for item in result.evidence]
    assert starts == sorted(starts)


@pytest.mark.parametrize(
    "make",
    [
        lambda built: None,
        lambda built: Resources.empty(),
        # a model file written before the synonym table existed
        lambda built: Resources.from_arrays(
            {k: v for k, v in built.to_arrays().items() if not k.startswith("synonym_")}
        ),
    ],
)
def test_without_a_synonym_table_every_value_is_zero(resources, make):
    result = substitution.extract("Exports climbed sharply in March.", make(resources))
    assert set(result.values) == set(substitution.FEATURE_NAMES)
    assert all(value == 0.0 for value in result.values.values()) and not result.evidence


def test_the_table_travels_in_the_model_arrays(resources):
    arrays = resources.to_arrays()
    assert arrays["synonym_ids"].dtype == np.uint16
    again = Resources.from_arrays(arrays)
    assert again.synonym_offsets is not None and again.synonym_ids is not None
    assert np.array_equal(again.synonym_offsets, resources.synonym_offsets)
    assert np.array_equal(again.synonym_ids, resources.synonym_ids)
    text = "Exports climbed sharply in March, the trade ministry said."
    assert substitution.extract(text, again) == substitution.extract(text, resources)


def test_word_of_follows_the_vocabulary(resources):
    rose = resources.vocabulary["rose"]
    assert resources.word_of(rose) == "rose"
    assert resources.word_of(0) == resources.word_of(10**6) == ""


def test_synonym_table_from_wordnet():
    from detector.build import synonym_table
    from detector.synth.wordnet import WordNetMissing, load_wordnet

    try:
        wordnet = load_wordnet()
    except WordNetMissing as error:
        pytest.skip(str(error))
    words = ["said", "stated", "shares", "portions", "portion", "rose", "climbed", "the", "bank"]
    vocabulary = {word: FIRST_WORD_ID + index for index, word in enumerate(words)}
    offsets, ids = synonym_table(vocabulary, wordnet=wordnet)

    def synonyms(word):
        index = vocabulary[word]
        return {words[other - FIRST_WORD_ID] for other in ids[offsets[index] : offsets[index + 1]]}

    assert "stated" in synonyms("said") and "said" in synonyms("stated")
    # inflected alike: a plural's synonyms are plurals
    assert "portions" in synonyms("shares") and "portion" not in synonyms("shares")
    assert "climbed" in synonyms("rose")
    assert synonyms("the") == set()  # function words have no row
    assert len(offsets) == max(vocabulary.values()) + 2


FUZZ_WORDS = (
    *"Exports climbed rose stated said Rock rock the ministry . , 3.5 7203.T grew Mr. é".split(),
    "\n\n",
    "  ",
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(FUZZ_WORDS),
        max_size=60,
    ).map(" ".join)
    | st.text(max_size=300)
)
def test_invariants(resources, text):
    result = substitution.extract(text, resources)
    assert set(result.values) == set(substitution.FEATURE_NAMES)
    for value in result.values.values():
        assert math.isfinite(value) and value >= 0
    assert result.values["substitution.swap_share"] <= 1.0
    assert len(result.evidence) <= substitution.MAX_EVIDENCE
    for item in result.evidence:
        assert text[item.start : item.end] == item.snippet
        assert item.family == substitution.FAMILY


def test_empty_text_gives_zeros(resources):
    result = substitution.extract("", resources)
    assert all(value == 0.0 for value in result.values.values()) and not result.evidence
