"""Spinner slips and tortured phrases: positives, correct look-alikes, invariants."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features import phrases
from detector.text import Document
from tests.examples import (
    ADVERSARIAL_INPUTS,
    ADVERSARIAL_SECONDS,
    NEGATIVE_EXAMPLES,
    SPUN_NEWS,
    TORTURED_ABSTRACT,
    adversarial_document,
)


@pytest.mark.parametrize(
    ("text", "kind", "snippet"),
    [
        ("Use a cream for dry pores and skin every day.", "slip", "pores and skin"),
        ("The laptop runs Home windows 10 out of the box.", "slip", "Home windows"),
        ("It ships with Microsoft Home windows and Office.", "slip", "Microsoft Home windows"),
        ("Troops of the Nationwide Guard were deployed.", "slip", "Nationwide Guard"),
        ("Backers of the inexperienced New Deal rallied.", "slip", "inexperienced New Deal"),
        ("The Labour Get together won the seat.", "slip", "Labour Get together"),
        ("Stocks on Wall Avenue fell sharply.", "slip", "Wall Avenue"),
        ("He met Premier Minister Singh.", "slip", "Premier Minister"),
        ("He met the chief government officer of Acme.", "slip", "chief government"),
        ("Later the US authorities has denied it.", "slip", "US authorities has"),
        ("The Supreme Courtroom heard the case.", "slip", "Supreme Courtroom"),
        ("He told the Related Press on Monday.", "slip", "Related Press"),
        ("The inventory market rallied again.", "slip", "inventory market"),
        ("Curiosity charges stayed on hold.", "slip", "Curiosity charges"),
        ("The Financial institution of England said so.", "slip", "Financial institution"),
        ("The demise toll rose to 12.", "slip", "demise toll"),
        ("The film topped the field workplace.", "slip", "field workplace"),
        ("A mass capturing was reported.", "slip", "mass capturing"),
        ("The Chancellor of the Treasury spoke.", "slip", "Chancellor of the Treasury"),
        ("The company's provide chain was hit.", "slip", "provide chain"),
        ("Shares hit a file excessive on Friday.", "slip", "file excessive"),
        ("Sales rose final 12 months, the company said.", "year", "final 12 months"),
        ("Sales will rise subsequent 12 months, it said.", "year", "subsequent 12 months"),
        ("Sales rose this 12 months, it said.", "year", "this 12 months"),
        ("Sales rose 5 percent 12 months-on-12 months.", "year", "12 months-on-12 months"),
        ("It was founded in the 12 months 2020.", "year", "12 months 2020"),
        ("Profit doubled from a 12 months earlier.", "year", "12 months earlier"),
        ("The fiscal 12 months ends in March.", "year", "fiscal 12 months"),
        ("Crowds marked the Lunar New 12 months.", "year", "New 12 months"),
        ("The vote was held on Could 5, officials said.", "month", "on Could 5"),
        ("The vote, held Could 5, passed easily.", "month", "Could 5"),
        ("Sales rose in Could, officials said.", "month", "in Could"),
        ("Prices fell since Might as demand slowed.", "month", "since Might"),
        ("It closed on 5 Could 2021 for good.", "month", "5 Could 2021"),
        ("The {quick|fast|rapid} rise continued.", "spin_syntax", "{quick|fast|rapid}"),
        ("Analysts said {that a} rise was likely.", "spin_syntax", "{that a}"),
        ("A model of counterfeit consciousness.", "tortured", "counterfeit consciousness"),
        ("We use profound learning throughout.", "tortured", "profound learning"),
        ("Screening for bosom peril works.", "tortured", "bosom peril"),
        ("An irregular woodland classifier.", "tortured", "irregular woodland"),
        ("The age of colossal information.", "tortured", "colossal information"),
        ("A high flag to commotion ratio.", "tortured", "flag to commotion"),
        ("Costs of haze figuring fell.", "tortured", "haze figuring"),
        ("A fake neural system was trained.", "tortured", "fake neural system"),
    ],
)
def test_slips_are_flagged(text: str, kind: str, snippet: str) -> None:
    result = phrases.extract(text)
    assert [(e.name, e.snippet) for e in result.evidence] == [(f"phrases.{kind}", snippet)]
    assert result.values["phrases.total_rate"] > 0
    assert result.values["phrases.sentence_share"] > 0


def test_note_names_the_original() -> None:
    (item,) = phrases.extract("Moisturise your pores and skin.").evidence
    assert item.note == "spinner slip: 'pores and skin' stands for 'skin'"


def test_spun_news_fires_each_kind() -> None:
    values = phrases.extract(SPUN_NEWS).values
    for name in (
        "phrases.slip_rate",
        "phrases.year_as_12_months_rate",
        "phrases.month_as_modal_rate",
        "phrases.spin_syntax_rate",
    ):
        assert values[name] > 0, name
    assert values["phrases.tortured_rate"] == 0.0


def test_tortured_abstract_has_many_hits() -> None:
    result = phrases.extract(TORTURED_ABSTRACT)
    assert len(result.evidence) >= 6
    assert result.values["phrases.tortured_rate"] > 10


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose over the past 12 months; 12 months ago they fell.",
        "His final 12 months in office and the subsequent 12 months were hard.",
        "Could 5 million people be wrong? Could the bank cut rates in May?",
        "In May sales rose, and on May 5 the shop closed. It could rise in 2021.",
        "Clean the home windows and doors before winter.",
        "A top minister said the budget was fine. The chief government whip resigned.",
        "Chinese authorities said the central bank would act; a federal judge will decide.",
        "Skin care sales rose at the National Guard base on Wall Street.",
        "Fill in {name} and {date}; the set {x | x > 0} is open.",
        "A profound learning experience for the whole team.",
        "Clogged pores and skin irritation are common.",
        "Global information company Reuters said the stock market rose.",
        "He took the 5 p.m. train and tested positive for nothing.",
    ],
)
def test_correct_look_alikes_are_not_flagged(text: str) -> None:
    result = phrases.extract(text)
    assert result.evidence == []
    assert all(value == 0.0 for value in result.values.values())


@pytest.mark.parametrize("name", sorted(NEGATIVE_EXAMPLES))
def test_negative_examples_do_not_fire(name: str) -> None:
    result = phrases.extract(NEGATIVE_EXAMPLES[name])
    assert result.evidence == []
    assert all(value == 0.0 for value in result.values.values())


def test_table_is_large_and_every_entry_has_a_trigger() -> None:
    assert len(phrases.PHRASES) >= 100
    assert sum(1 for p in phrases.PHRASES if p.kind == "tortured") >= 40
    names = [phrase.name for phrase in phrases.PHRASES]
    assert len(names) == len(set(names))
    for phrase in phrases.PHRASES:
        assert phrase.starts, phrase.name
        for word in phrase.starts:
            assert phrase in phrases.TRIGGERS[word]


def test_every_pattern_compiles() -> None:
    # patterns are compiled on first use, so a broken one would show only on a text
    for phrase in phrases.PHRASES:
        assert phrase.regex.pattern == phrase.pattern
    for word in phrases.TRIGGERS:
        assert phrases.either_of(word).groups >= len(phrases.TRIGGERS[word])


def test_leading_words_of_grouped_and_lookbehind_patterns() -> None:
    assert phrases.leading_words(r"(?<=the\s)12\s+months") == {"#"}
    assert phrases.leading_words(r"(?i:in|on)\s+Could") == {"in", "on"}


def test_accepts_a_document() -> None:
    assert phrases.extract(Document.of(SPUN_NEWS)) == phrases.extract(SPUN_NEWS)


def test_empty_text_gives_zeros() -> None:
    result = phrases.extract("")
    assert result.values == dict.fromkeys(phrases.FEATURE_NAMES, 0.0)
    assert result.evidence == []


PHRASEY = st.lists(
    st.sampled_from(
        ["12", "months", "final", "Could", "in", "{", "}", "|", "pores", "and", "skin",
         "Home", "windows", "Wall", "Avenue", "the", ".", ",", "-", " ", "\n", "5"]
    ),
    max_size=40,
).map(" ".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), PHRASEY))
def test_invariants_on_arbitrary_text(text: str) -> None:
    result = phrases.extract(text)
    assert set(result.values) == set(phrases.FEATURE_NAMES)
    for value in result.values.values():
        assert math.isfinite(value) and value >= 0
    assert result.values["phrases.sentence_share"] <= 1
    for item in result.evidence:
        assert item.family == phrases.FAMILY
        assert text[item.start : item.end] == item.snippet


@pytest.mark.parametrize("name", sorted(ADVERSARIAL_INPUTS))
def test_adversarial_megabyte_is_fast(name: str) -> None:
    # The Document (tokens, sentences) is shared by every family and built
    # once by the caller; this times the family's own work on it.
    doc = adversarial_document(name)
    started = time.process_time()  # CPU time: other processes do not count
    result = phrases.extract(doc)
    assert time.process_time() - started < ADVERSARIAL_SECONDS
    assert set(result.values) == set(phrases.FEATURE_NAMES)


def _each_phrase_in_turn(doc: Document) -> list[tuple[str, int, int]]:
    """Hits found by trying every phrase of a token's trigger word one by one."""
    hits, covered_until = [], -1
    for token in doc.tokens:
        if token.start < covered_until:
            continue
        key = "#" if token.text[0].isdigit() else token.text.lower()
        for phrase in phrases.TRIGGERS.get(key, ()):
            match = phrase.regex.match(doc.text, token.start)
            if match is not None:
                hits.append((phrase.name, match.start(), match.end()))
                covered_until = match.end()
                break
    return hits


#: Pieces of text dense in the words phrases start with and continue with.
PHRASE_PIECES = st.lists(
    st.sampled_from(
        [" ", ", ", ". ", "12", " months", "final", "Home", "home", " windows", "Could", "in",
         " Could", " 5", "Wall", " Avenue", "pores", " and", " skin", "the", "Microsoft",
         "counterfeit", " consciousness", "Get", " together", "last", "past", "#"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(PHRASE_PIECES, st.text(max_size=100)))
def test_one_pattern_per_trigger_word_finds_what_each_phrase_in_turn_finds(text):
    doc = Document.of(text)
    found = [(hit.phrase.name, hit.start, hit.end) for hit in phrases._find(doc) if hit.phrase]
    assert found == _each_phrase_in_turn(doc)
