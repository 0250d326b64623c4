"""A spinner's thesaurus learnt from spun texts without their originals."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.collocations import Collocations
from detector.features.substitution import synonyms_of
from detector.known_names import KnownNames
from detector.resources import Resources
from detector.text import Document
from detector.thesaurus import candidates, learn, name_candidates

CLEAN = [
    "you are right about it",
    "the lost city of gold",
    "a proper meal at home",
    "they misplaced trust in him",
    "he was right there",
] * 5


@pytest.fixture(scope="module")
def resources() -> Resources:
    resources = Resources.empty()
    words = ["right", "proper", "lost", "misplaced", "city", "meal"]
    resources.vocabulary = {word: 3 + index for index, word in enumerate(words)}
    resources.synonym_offsets, resources.synonym_ids = synonyms_of(
        resources,
        {"proper": ["right"], "right": ["proper"], "misplaced": ["lost"], "lost": ["misplaced"]},
    )
    resources.collocations = Collocations.build(CLEAN)
    return resources


def test_a_word_whose_synonym_fits_its_neighbour_is_a_candidate(resources):
    found = candidates(Document.of("You are proper. We saw the misplaced city."), resources)
    assert found == [("lost", "misplaced"), ("right", "proper")]


def test_a_word_at_home_beside_its_neighbours_is_not(resources):
    # "a proper meal" and "misplaced trust" are how people write
    assert candidates(Document.of("We had a proper meal and misplaced trust."), resources) == []


def test_no_candidates_without_a_synonym_table_or_word_pairs(resources):
    text = Document.of("You are proper.")
    without_pairs = Resources.empty()
    without_pairs.vocabulary = resources.vocabulary
    without_pairs.synonym_offsets = resources.synonym_offsets
    without_pairs.synonym_ids = resources.synonym_ids
    assert candidates(text, without_pairs) == []
    without_synonyms = Resources.empty()
    without_synonyms.collocations = resources.collocations
    assert candidates(text, without_synonyms) == []


@pytest.fixture(scope="module")
def with_names(resources) -> Resources:
    names = KnownNames.build(["Fans of Street Fighter II and Game of Thrones."] * 2)
    return dataclasses.replace(resources, known_names=names)


def test_names_the_corpus_never_wrote_are_candidates(with_names):
    text = "Many loved Road Fighter II then. Street Fighter II is old. Game of Thrones ended."
    assert name_candidates(Document.of(text), with_names) == ["road fighter", "road fighter ii"]
    # with the word candidates, each as a name with no original side
    assert ("", "road fighter") in candidates(Document.of(text), with_names)
    # a closing possessive is no part of a name
    assert name_candidates(Document.of("Many loved Road Fighter’s cast."), with_names) == [
        "road fighter"
    ]
    # a sentence's first word may open a name
    assert name_candidates(Document.of("Road Fighter is back."), with_names) == ["road fighter"]


def test_pieces_and_headline_runs_are_no_candidate_names(with_names):
    # one word of three letters or more is a piece of a name (Warfare II) or a heading
    text = "They loved Warfare II, Warfare III and PS5 Pro."
    assert name_candidates(Document.of(text), with_names) == []
    # a run's function words do not open or close a name
    found = name_candidates(Document.of("Whereas Road Fighter Was Fun, it sold."), with_names)
    assert found == ["fighter was fun", "road fighter", "road fighter was fun"]
    assert name_candidates(Document.of("Fans of Road Fighter."), Resources.empty()) == []


def test_learnt_entries_need_enough_groups_and_few_clean_texts():
    right, lost, odd = ("right", "proper"), ("lost", "misplaced"), ("said", "stated")
    spun = {
        # one site with many pages counts once
        "a": [[right], [right, odd], [odd]],
        "b": [[right, lost]],
        "c": [[lost]],
    }
    assert Counter(learn(spun, clean=[])) == {right: 2, lost: 2}
    # a candidate found in more clean texts than allowed is a writer's word
    assert Counter(learn(spun, clean=[[lost], [lost]])) == {right: 2}
    assert Counter(learn(spun, clean=[[lost]], max_clean=0)) == {right: 2}
    assert Counter(learn(spun, clean=[], min_groups=1)) == {right: 2, lost: 2, odd: 1}
    assert learn({}, clean=[[right]]) == []


def test_a_name_is_learnt_only_if_no_clean_text_writes_it():
    name, right = ("", "road fighter"), ("right", "proper")
    spun = {"a": [[name, right]], "b": [[name, right]]}
    assert Counter(learn(spun, clean=[])) == {name: 2, right: 2}
    # one clean text may hold a word's candidate, none a name's
    assert Counter(learn(spun, clean=[[name, right]])) == {right: 2}
    assert Counter(learn(spun, clean=[[name]], max_clean_names=1)) == {name: 2, right: 2}


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("You are proper misplaced city.,'’\n\t-")), max_size=200)
)
def test_candidates_of_any_text_are_words_of_the_text(resources, text):
    # untrusted text: never raises, and every spun word is one of the text's words
    found = candidates(Document.of(text), resources)
    assert found == sorted(set(found))
    words = {word.strip(".,'’-").lower() for word in text.split()}
    assert all(spun in words or spun in text.lower() for _, spun in found)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Road", "Fighter", "road", "II", "III", "of", "the", "Whereas", ":",
                         "Game", "Thrones", "Fighter’s", "5", ",", ".", "\n\n"]),
        max_size=30,
    )
)  # fmt: skip
def test_name_candidates_of_any_text_are_spans_of_its_words(with_names, words):
    # untrusted text: never raises; every name is a run of the text's words, unknown to the counts
    text = " ".join(words)
    found = name_candidates(Document.of(text), with_names)
    assert found == sorted(set(found))
    assert not with_names.known_names.count(found).any()
    flat = " " + " ".join(text.lower().replace("’", "'").split()) + " "
    assert all(f" {name} " in flat or f" {name}'s " in flat for name in found)
