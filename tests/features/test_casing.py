"""Case anomalies: positives, headline and caps lines, human habits, invariants."""

from __future__ import annotations

import math
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features import casing
from tests.examples import (
    ADVERSARIAL_INPUTS,
    ADVERSARIAL_SECONDS,
    LOWERCASED_NAMES,
    NEGATIVE_EXAMPLES,
    adversarial_document,
)

ANOMALY_FEATURES = (
    "casing.lowercase_proper_noun_rate",
    "casing.lowercase_sentence_start_share",
    "casing.capitalised_common_word_rate",
    "casing.name_case_flip_rate",
    "casing.anomaly_per_sentence",
)


@pytest.mark.parametrize(
    ("text", "evidence_name", "snippet"),
    [
        ("Officials from the japanese side said so.", "lowercase_proper_noun", "japanese"),
        ("Exports to south korea rose sharply.", "lowercase_proper_noun", "south korea"),
        ("Talks with the european union ended.", "lowercase_proper_noun", "european union"),
        ("The meeting is on monday afternoon.", "lowercase_proper_noun", "monday"),
        ("Sales fell in january and rose.", "lowercase_proper_noun", "january"),
        ("The vote is on may 5 this year.", "lowercase_proper_noun", "may"),
        ("Prices rose in march 2021, it said.", "lowercase_proper_noun", "march"),
        ("The delegation flew to seoul at once.", "lowercase_proper_noun", "seoul"),
        ("The text was written in cantonese only.", "lowercase_proper_noun", "cantonese"),
        ("Shares rose sharply. the yen fell.", "lowercase_sentence_start", "the"),
        ("The index rose And others fell.", "capitalised_common_word", "And"),
        ("It ended after the second world War ended.", "capitalised_common_word", "War"),
        ("Sales rose 5 percent, The company said.", "capitalised_common_word", "The"),
    ],
)
def test_case_anomalies_are_flagged(text: str, evidence_name: str, snippet: str) -> None:
    result = casing.extract(text)
    assert [(e.name, e.snippet) for e in result.evidence] == [(f"casing.{evidence_name}", snippet)]
    assert result.values["casing.anomaly_per_sentence"] > 0


@pytest.mark.parametrize(
    ("text", "surname"),
    [
        ("President Moon met Abe in Tokyo. Later the moon said talks went well.", "moon"),
        ("Park Geun-hye visited. Aides to Mr Park agreed, and then park said no.", "park"),
        ("Ms Rice arrived on Monday. On Tuesday, rice told reporters she would stay.", "rice"),
    ],
)
def test_surname_lower_cased_in_a_name_slot_is_a_flip(text: str, surname: str) -> None:
    result = casing.extract(text)
    flips = [e for e in result.evidence if e.name == "casing.name_case_flip"]
    assert [e.snippet for e in flips] == [surname]
    assert result.values["casing.name_case_flip_rate"] > 0


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ("President Moon Jae-in met officials. The moon took part in the talks.", "moon"),
        ("Analyst Mike White spoke. The white told reporters the deal was done.", "white"),
        ("Shares of Time Warner rose. A sale by time Warner of AOL is off.", "time Warner"),
    ],
)
def test_names_re_cased_within_the_text_are_flips(text: str, snippet: str) -> None:
    flips = [e.snippet for e in casing.extract(text).evidence if e.name == "casing.name_case_flip"]
    assert flips == [snippet]


def test_two_word_names_learnt_from_clean_news() -> None:
    from detector.resources import Resources

    resources = Resources.empty()
    resources.name_pairs = frozenset({"world war", "wall street", "western europe"})
    text = "The dispute dates to the second world War, and wall Street analysts agree."
    flips = [e.snippet for e in casing.extract(text, resources).evidence]
    assert flips == ["world War", "wall Street"]
    assert casing.extract(text).evidence == []  # without the learnt names, nothing to go on


@pytest.mark.parametrize(
    "text",
    [
        # a modifier before a name, beside the name that starts with it
        "Gas flows to Western Europe resumed, and western Europe was relieved.",
        # a role before a given name, beside the title written whole
        "Chief Executive Rex Tillerson spoke. Exxon chief executive Rex Tillerson agreed.",
        # a name particle
        "Analyst Eric De Graaf said so. Later, analyst Eric de Graaf wrote again.",
        # a common word that is a surname only elsewhere, outside a name slot
        "Analyst Mike White spoke. The white paper was published on Monday.",
    ],
)
def test_names_beside_legitimate_lower_case(text: str) -> None:
    from detector.resources import Resources

    resources = Resources.empty()
    resources.name_pairs = frozenset({"western europe", "executive rex", "de graaf"})
    flips = [
        e for e in casing.extract(text, resources).evidence if e.name == "casing.name_case_flip"
    ]
    assert flips == []


def test_common_word_surnames_weigh_more_than_others() -> None:
    common = casing.extract("President Moon spoke. Then moon said yes to the plan today.")
    rare = casing.extract("President Abe spoke. Then abe said yes to the plan today.")
    assert common.values["casing.name_case_flip_rate"] == pytest.approx(
        2 * rare.values["casing.name_case_flip_rate"]
    )


def test_example_fires_every_anomaly_measure() -> None:
    values = casing.extract(LOWERCASED_NAMES).values
    for name in ANOMALY_FEATURES:
        assert values[name] > 0, name


@pytest.mark.parametrize(
    "text",
    [
        "Shares Rise In Tokyo On Monday And Others Fall",
        "TOKYO STOCKS CLOSE HIGHER ON MONDAY AS EXPORTERS RALLY",
        "He ate french fries and swiss cheese from fine china.",
        "Turkey, polish and danish pastries may be cheap; you may march on.",
        "Prices may 5 percent... no, they may rise. In August the august body met.",
        '"Why now?" he asked. Shares rose at 9 a.m. local time.',
        "Google Inc. said so. Yahoo! and Microsoft talked. 1. the first item",
        "She wrote to me in The Hague, according to The Associated Press, about Class A shares.",
        "The minister said so. The Minister said more. The Government said it would act.",
        "Note: The market fell. He said: And that was that.",
        "Visit www.visitjapan.jp or email tokyo@example.com about #japan.",
        "de Gaulle spoke. van Gogh painted.",
        "He was named CNN Hero of the Year. The 65 Years of History show and Water for People.",
        "Mandarin ducks and a mandarin orange were on the table.",
        "i think the japanese food in tokyo is good on monday. it was cheap.",
    ],
)
def test_legitimate_case_is_not_flagged(text: str) -> None:
    result = casing.extract(text)
    assert result.evidence == []
    assert all(result.values[name] == 0.0 for name in ANOMALY_FEATURES)


@pytest.mark.parametrize("name", sorted(NEGATIVE_EXAMPLES))
def test_negative_examples_do_not_fire(name: str) -> None:
    result = casing.extract(NEGATIVE_EXAMPLES[name])
    assert result.evidence == []
    assert all(result.values[feature] == 0.0 for feature in ANOMALY_FEATURES)


def test_lowercase_pronoun_marks_casual_typing() -> None:
    values = casing.extract(NEGATIVE_EXAMPLES["lowercase_learner"]).values
    assert values["casing.lowercase_i_rate"] > 0
    assert values["casing.lowercase_proper_noun_rate"] == 0.0


def test_headline_share_counts_title_case_and_caps_lines() -> None:
    values = casing.extract("Toyota Profit Jumps as Yen Weakens\nTOKYO CLOSE\nThe yen fell.").values
    assert values["casing.headline_line_share"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("line", "style"),
    [
        ("Nissan And Honda Shares Slide In Tokyo Trade", "headline"),
        ("AMAZON.COM SHARES HIT RECORD AFTER EARNINGS", "caps"),
        ("the shares rose after the results", "lowercase"),
        ("The shares rose after the results.", "prose"),
        ("", "blank"),
    ],
)
def test_line_style(line: str, style: str) -> None:
    assert casing.line_style(line) == style


def test_empty_text_gives_zeros() -> None:
    result = casing.extract("")
    assert result.values == dict.fromkeys(casing.FEATURE_NAMES, 0.0)
    assert result.evidence == []


def test_tables_are_module_level_frozensets() -> None:
    for table in (casing.COUNTRIES, casing.DEMONYMS, casing.LANGUAGES, casing.DAYS,
                  casing.MONTHS, casing.CITIES, casing.INSTITUTIONS):  # fmt: skip
        assert isinstance(table, frozenset) and all(word.islower() for word in table)
    assert "may" not in casing.MONTHS and "turkey" not in casing.COUNTRIES


CASEY = st.text(alphabet="aAbBiImMTt .,:;\"'()-\n", max_size=120)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), CASEY))
def test_invariants_on_arbitrary_text(text: str) -> None:
    result = casing.extract(text)
    assert set(result.values) == set(casing.FEATURE_NAMES)
    for value in result.values.values():
        assert math.isfinite(value) and value >= 0
    assert result.values["casing.lowercase_sentence_start_share"] <= 1
    assert result.values["casing.headline_line_share"] <= 1
    for item in result.evidence:
        assert item.family == casing.FAMILY
        assert text[item.start : item.end] == item.snippet


@pytest.mark.parametrize("name", sorted(ADVERSARIAL_INPUTS))
def test_adversarial_megabyte_is_fast(name: str) -> None:
    # The Document (tokens, sentences) is shared by every family and built
    # once by the caller; this times the family's own work on it.
    doc = adversarial_document(name)
    started = time.process_time()  # CPU time: other processes do not count
    result = casing.extract(doc)
    assert time.process_time() - started < ADVERSARIAL_SECONDS
    assert set(result.values) == set(casing.FEATURE_NAMES)


def _with_names(*words: str):
    from detector.resources import Resources

    resources = Resources.empty()
    resources.proper_words = frozenset(words)
    return resources


def test_names_learnt_from_the_corpus_are_flagged_in_lower_case() -> None:
    resources = _with_names("jim", "apple", "tokyo")
    text = "Shares of apple rose on Monday, said jim Walsh, an analyst in tokyo."
    result = casing.extract(text, resources)
    found = {(e.name, e.snippet) for e in result.evidence}
    assert ("casing.lowercase_known_name", "apple") in found
    assert ("casing.lowercase_known_name", "jim") in found
    # a city the tables know is reported once, by the tables
    assert ("casing.lowercase_known_name", "tokyo") not in found
    assert ("casing.lowercase_proper_noun", "tokyo") in found
    assert result.values["casing.lowercase_known_name_rate"] > 0


@pytest.mark.parametrize(
    "text",
    [
        "Apple rose on Monday, said Jim Walsh.",  # capitalised: fine
        "apple rose on Monday, said Jim Walsh.",  # a sentence start belongs to another check
        "i think jim and me went to see apple stuff lol. it was ok i guess.",  # typed in lower case
        "Write to jim@example.com or see apple.com/news for the details of it.",  # addresses
    ],
)
def test_known_names_leave_human_habits_alone(text: str) -> None:
    result = casing.extract(text, _with_names("jim", "apple"))
    assert result.values["casing.lowercase_known_name_rate"] == 0.0


def test_without_resources_the_learnt_names_stay_silent() -> None:
    result = casing.extract("Shares of apple rose, said jim Walsh.")
    assert result.values["casing.lowercase_known_name_rate"] == 0.0


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Opposition leader Low Cheol-soo said on Monday he would run.", ["Low"]),
        ("President Moon Jae-in met Ma Ying-jeou and Kim Jong-un.", []),
        ("The New York-based bank and Sri Lankan-born chief agreed.", []),
        ("Shares of Advantage Rent-a-Car rose.", []),
    ],
)
def test_surname_translated_as_an_english_word(text: str, flagged: list[str]) -> None:
    from detector.resources import Resources

    resources = Resources.empty()
    resources.english_zipf = {"low": 5.1, "new": 6.0, "york": 4.6, "based": 4.8, "born": 4.9,
                              "advantage": 4.5, "rent": 4.4, "sri": 2.9, "moon": 4.7}  # fmt: skip
    found = [e.snippet for e in casing.extract(text, resources).evidence if "Korean" in e.note]
    assert found == flagged


#: The surname pattern as first written, with a word boundary in front.
BOUNDARY_FIRST_SURNAME_RE = re.compile(r"\b(?P<surname>[A-Z][a-z]+) [A-Z][a-z]+-[a-z]+\b")

SURNAME_PIECES = st.lists(
    st.sampled_from(["Moon", " ", "Jae", "-", "in", "x", "3", "_", "é", "A", "Park Geun-hye"]),
    max_size=20,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(SURNAME_PIECES, st.text(max_size=80)))
def test_the_surname_search_finds_what_the_boundary_first_pattern_finds(text):
    def spans(pattern):
        return [(m.span(), m.group("surname")) for m in pattern.finditer(text)]

    assert spans(casing.SURNAME_BEFORE_GIVEN_NAME_RE) == spans(BOUNDARY_FIRST_SURNAME_RE)
