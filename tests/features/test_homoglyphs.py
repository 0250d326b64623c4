"""Look-alike letters and invisible characters: positives, legitimate look-alikes, invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features import homoglyphs
from detector.text import Document
from tests.examples import NEGATIVE_EXAMPLES


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ("Sign in to your Pаypal account now.", "Pаypal"),  # Cyrillic а
        ("The bank said its сredit card rates rose.", "сredit"),  # Cyrillic с
        ("Buy cheap Viаgrа online today.", "Viаgrа"),  # two Cyrillic а
        ("The ΒANK of the year.", "ΒANK"),  # Greek capital beta
        ("An οpen letter to the board.", "οpen"),  # Greek omicron
        ("A well-knоwn firm.", "well-knоwn"),  # Cyrillic о after a hyphen
    ],
)
def test_mixed_script_words_are_flagged(text: str, snippet: str) -> None:
    result = homoglyphs.extract(text)
    assert [(e.name, e.snippet) for e in result.evidence] == [
        ("homoglyphs.mixed_script_word", snippet)
    ]
    assert result.values["homoglyphs.mixed_script_word_rate"] > 0
    assert "look-alike" in result.evidence[0].note


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ("pass\u200bword", "\u200b"),  # zero-width space
        ("sof\u00adtware", "\u00ad"),  # soft hyphen
        ("left \u202eright\u202c text", "\u202e"),  # right-to-left override
        ("ab\u200d\u200dcd", "\u200d\u200d"),  # joiners between letters, one run
        ("bell\x07 rang", "\x07"),  # a control character
    ],
)
def test_invisible_characters_are_flagged(text: str, snippet: str) -> None:
    result = homoglyphs.extract(text)
    found = [e for e in result.evidence if e.name == "homoglyphs.invisible_char"]
    assert found[0].snippet == snippet
    assert result.values["homoglyphs.invisible_char_rate"] > 0


@pytest.mark.parametrize(
    "text",
    [
        "The β-blocker dose was 5 μg per day, with an α-helix model.",
        "Президент Путин встретился с делегацией in Moscow on Monday.",
        "Η Αθήνα είναι η πρωτεύουσα.",
        "Family emoji 👨\u200d👩\u200d👧 and a flag 🏳\ufe0f\u200d🌈 are fine.",
        "Tabs\tand\r\nline breaks\fand form feeds are white space.",
        "Café, naïve, façade and Ångström are Latin.",
    ],
)
def test_legitimate_scripts_are_not_flagged(text: str) -> None:
    result = homoglyphs.extract(text)
    assert result.evidence == []
    assert result.values == dict.fromkeys(homoglyphs.FEATURE_NAMES, 0.0)


@pytest.mark.parametrize("name", sorted(NEGATIVE_EXAMPLES))
def test_negative_examples_do_not_fire(name: str) -> None:
    assert homoglyphs.extract(NEGATIVE_EXAMPLES[name]).evidence == []


def test_rates_are_per_hundred_words() -> None:
    values = homoglyphs.extract("Pаypal and Pаypal are here\u200b now today fine ok more").values
    assert values["homoglyphs.mixed_script_word_rate"] == pytest.approx(20.0)
    assert values["homoglyphs.invisible_char_rate"] == pytest.approx(10.0)


def test_evidence_is_capped_but_counts_are_not() -> None:
    text = "Pаypal " * 1000
    result = homoglyphs.extract(text)
    assert len(result.evidence) == homoglyphs.MAX_EVIDENCE_PER_MEASURE
    assert result.values["homoglyphs.mixed_script_word_rate"] == pytest.approx(100.0)


def test_fold_lookalikes_gives_what_a_reader_sees() -> None:
    assert homoglyphs.fold_lookalikes("Sіgn іn to Pаypal\u200b") == "Sign in to Paypal"


def test_empty_text_gives_zeros() -> None:
    result = homoglyphs.extract("")
    assert result.values == dict.fromkeys(homoglyphs.FEATURE_NAMES, 0.0)
    assert result.evidence == []


LOOKALIKE_TEXT = st.text(
    alphabet=st.sampled_from("abcpoxyABCP -'\n.аеорсуАВЕΑΒοα\u200b\u200d\u00ad\u202e\x00\x07👨"),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), LOOKALIKE_TEXT))
def test_invariants_on_arbitrary_text(text: str) -> None:
    result = homoglyphs.extract(text)
    assert set(result.values) == set(homoglyphs.FEATURE_NAMES)
    for value in result.values.values():
        assert math.isfinite(value) and value >= 0
    assert result.values["homoglyphs.mixed_script_word_rate"] <= 100
    for item in result.evidence:
        assert item.family == homoglyphs.FAMILY
        assert text[item.start : item.end] == item.snippet


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), LOOKALIKE_TEXT, st.text(st.characters(max_codepoint=127))))
def test_the_cheap_counts_are_those_of_the_scans_that_find_evidence(text: str) -> None:
    """ASCII and suspect-free texts take a short cut; it must count what the full scans count."""
    doc = Document.of(text)
    counted = homoglyphs._counts(doc)
    assert counted == (homoglyphs._mixed_script_words(doc)[0], homoglyphs._invisible_runs(text)[0])
