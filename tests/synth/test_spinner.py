import random
import re

import pytest

from detector.synth.spinner import Spinner, is_immutable, match_case
from detector.text import paragraph_spans

from .conftest import ARTICLE, SPINNER_SLIPS

# "percent" itself is a word a spinner may swap ("per centum"), the number is not.
CODES_AND_NUMBERS = ["(3402.T)", ".N225", "(3401.T)", " 12 ", " 0.4 ", "Moon Jae-in", "Teijin"]


@pytest.mark.parametrize(
    ("original", "slip"),
    [
        ("May", "Could"),
        ("Windows", "Home windows"),
        ("year", "12 months"),
        ("skin", "pores and skin"),
    ],
)
def test_first_synonym_spinner_makes_the_known_slips(spinner, original, slip):
    result = spinner.spin(SPINNER_SLIPS, rate=1.0, rng=random.Random(0))
    assert (original, slip) in result.replacements


def test_wordnet_supplies_synonyms_beyond_the_thesaurus(spinner):
    result = spinner.spin("Analysts expected the results to improve.", 1.0, random.Random(0))
    assert result.changed >= 2
    assert result.text != "Analysts expected the results to improve."


def test_immutables_survive_any_rate(spinner):
    for seed in range(5):
        result = spinner.spin(ARTICLE, rate=0.5, rng=random.Random(seed))
        for kept in CODES_AND_NUMBERS:
            assert kept in result.text
        assert len(paragraph_spans(result.text)) == 3


def test_capitalised_words_inside_a_sentence_are_protected(spinner):
    text = "Sales of Toyota rose. Analysts at Nomura said the Prius sold well."
    result = spinner.spin(text, rate=1.0, rng=random.Random(0))
    for name in ("Toyota", "Nomura", "Prius"):
        assert name in result.text


def test_the_spinners_own_thesaurus_reaches_into_names(wordnet):
    text = "Sales of Windows rose. The National Guard left on May 5."
    spun = Spinner(wordnet).spin(text, rate=1.0, rng=random.Random(0)).text
    assert "Home windows" in spun and "Nationwide Guard" in spun and "Could 5" in spun
    strict = Spinner(wordnet, thesaurus_ignores_case=False)
    kept = strict.spin(text, rate=1.0, rng=random.Random(0)).text
    assert "of Windows" in kept and "National Guard" in kept and "May 5" in kept


def test_unprotected_spinner_swaps_names_too(wordnet):
    loose = Spinner(wordnet, protect_capitalised=False)
    result = loose.spin("Sales of Windows rose.", rate=1.0, rng=random.Random(0))
    assert "Home windows" in result.text


def test_higher_rate_replaces_more(spinner):
    low = spinner.spin(ARTICLE, rate=0.1, rng=random.Random(3))
    high = spinner.spin(ARTICLE, rate=0.5, rng=random.Random(3))
    assert 0 < low.changed < high.changed


def test_same_generator_state_gives_same_spin(spinner):
    first = spinner.spin(ARTICLE, 0.3, random.Random(11)).text
    assert spinner.spin(ARTICLE, 0.3, random.Random(11)).text == first


def test_plural_nouns_stay_plural(spinner):
    result = spinner.spin("Prices of the companies rose.", rate=1.0, rng=random.Random(0))
    assert ("companies", "corporations") in result.replacements


def test_past_tense_verbs_stay_past(spinner):
    result = spinner.spin("Officials expected the shares to rise.", 1.0, random.Random(0))
    replaced = dict(result.replacements)
    assert replaced.get("expected", "").endswith("ed")


def test_multiword_phrases_are_replaced_whole(spinner):
    result = spinner.spin("The stock market closed early.", 1.0, random.Random(0))
    assert ("stock market", "securities market") in result.replacements


def test_spin_syntax_slip_leaves_braces(wordnet):
    careless = Spinner(wordnet, syntax_slip_rate=1.0)
    result = careless.spin("This year was hard.", rate=1.0, rng=random.Random(0))
    assert re.search(r"\{year\|12 months\}", result.text)


def test_thesaurus_alone_without_wordnet():
    result = Spinner(wordnet=None).spin("The bank said it may sell.", 1.0, random.Random(0))
    assert result.text == "The financial institution mentioned it could sell."


@pytest.mark.parametrize(
    ("token", "initial", "immutable"),
    [("Toyota", False, True), ("Toyota", True, False), ("7203.T", False, True),
     ("OPEC", True, True), ("two", False, True), ("rose", False, False)],
)  # fmt: skip
def test_is_immutable(token, initial, immutable):
    assert is_immutable(token, initial) is immutable


def test_match_case():
    assert match_case("Windows", "home windows") == "Home windows"
