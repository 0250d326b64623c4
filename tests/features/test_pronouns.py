"""Pronoun slips: organisations called "he" or "his", and the people who are not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.build import it_names
from detector.features import pronouns
from detector.resources import Resources
from detector.text import Document
from tests.examples import NEGATIVE_EXAMPLES

# Names this fixture's "corpus" calls "it".
NAMES = frozenset({"toray", "samsung", "electronics", "toyota", "jacobs"})


@pytest.fixture(scope="module")
def resources() -> Resources:
    built = Resources.empty()
    built.it_names = NAMES
    return built


def snippets(text: str, resources: Resources) -> list[str]:
    return [item.snippet for item in pronouns.extract(text, resources).evidence]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company said he would cut 500 jobs.", ["he"]),
        ("The bank said on Monday that she would keep rates on hold.", ["she"]),
        ("Samsung Electronics said on Tuesday he expects profit to rise.", ["he"]),
        ("Toray Industries (3402.T) raised his forecast for the year.", ["his"]),
        ("Ford Motor Co. has no plans to sell his finance arm.", ["his"]),
        ("Toyota said he would build a plant in Texas.", ["he"]),
    ],
)
def test_organisation_called_a_person(text, expected, resources):
    assert snippets(text, resources) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a person is the subject, or stands between the name and the pronoun
        "The chief executive of Toyota said he would stay.",
        "Toyota said Chief Executive Akio Toyoda would keep his post.",
        "An analyst at Toray said he expected a loss.",
        # the company is "it"
        "The company said it would cut its costs.",
        # the sentence before names the person the pronoun refers to
        "Smith, the chairman, will retire in May. The company said he would stay on the board.",
        # a name this document uses for a person, though the corpus knows a company
        "Paul Jacobs runs the chipmaker. Jacobs said he would prefer to avoid debt.",
        # a quotation: its pronouns belong to the speaker
        'The company said: "He told us to wait."',
        # a name nobody called "it"
        "Kim said he would resign.",
    ],
)
def test_people_and_plain_it_are_not_flagged(text, resources):
    assert snippets(text, resources) == []


def test_values_are_rates_and_shares(resources):
    text = "The company said he would cut jobs. The bank said it would not."
    values = pronouns.extract(text, resources).values
    assert values["pronouns.organisation_as_person_share"] == pytest.approx(0.5)
    words = Document.of(text).n_words
    assert values["pronouns.organisation_as_person_rate"] == pytest.approx(100 / words)


def test_without_resources_only_marked_names_count():
    assert snippets("Toyota said he would build a plant.", Resources.empty()) == []
    assert snippets("Toyota Motor Corp said he would build a plant.", Resources.empty()) == ["he"]


@pytest.mark.parametrize("name", sorted(NEGATIVE_EXAMPLES))
def test_negative_examples_stay_clean(name, resources):
    assert pronouns.extract(NEGATIVE_EXAMPLES[name], resources).evidence == []


def test_it_names_learns_companies_not_people():
    corpus = [
        "Profit fell, and Toray said on Monday it would cut jobs.",
        "Sales rose. Toray Industries Inc (3402.T) said it would hire.",
        "Later Abe said he would visit, and Governor Brainard said it was early.",
        "Brainard said it was too soon.",
    ] * 2
    learnt = it_names(Document.of(text) for text in corpus)
    assert "toray" in learnt
    assert "abe" not in learnt
    assert "brainard" not in learnt  # a title makes her a person, whatever "it" says


PIECES = [
    "The",
    "company",
    "said",
    "he",
    "his",
    "it",
    "Toray",
    "(",
    "3402.T",
    ")",
    ",",
    ".",
    '"',
    "Mr",
    "on",
    "Monday",
    "\n\n",
    "Jacobs",
    "Paul",
    "of",
    "é",
    "  ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=60).map(" ".join))
def test_spans_are_exact_on_any_text(text):
    built = Resources.empty()
    built.it_names = NAMES
    result = pronouns.extract(text, built)
    assert set(result.values) == set(pronouns.FEATURE_NAMES)
    for item in result.evidence:
        assert text[item.start : item.end] == item.snippet
    assert 0.0 <= result.values["pronouns.organisation_as_person_share"] <= 1.0


#: Pieces of text where pronoun tokens stand against letters, digits, codes and glue.
PRONOUN_PIECES = st.lists(
    st.sampled_from(
        ["he", "He", "she", "She", "his", "her", "Her", "t", "3", "_", ".", "'", "’", "-",
         " ", "3402.", "T", "è", "ABCD", "s"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.one_of(PRONOUN_PIECES, st.text(max_size=100)))
def test_the_pronoun_search_finds_every_pronoun_token(text):
    """The cheap search says "no pronoun" only where the tokens hold none."""
    has_token = any(token.text in pronouns.PERSON_PRONOUNS for token in Document.of(text).tokens)
    assert not has_token or pronouns._PRONOUN_RE.search(text) is not None


def test_a_part_knows_the_people_of_its_own_sentences_only(resources):
    # "Paul Jacobs" makes Jacobs a person in the whole text, not in the second
    # paragraph alone, where Jacobs is the company clean news calls "it"
    text = "Paul Jacobs joined in May.\n\nJacobs said he would cut jobs."
    doc = Document.of(text)
    part = doc.part(*doc.paragraphs[1])
    alone = pronouns.transform([Document.of(part.text)], resources)
    # the whole text first in the batch, as the scorer lays out a document and its parts
    together = pronouns.transform([doc, part], resources)
    assert together[0].tolist() == [0.0, 0.0]
    assert together[1].tolist() == alone[0].tolist()
    assert alone[0][0] > 0
