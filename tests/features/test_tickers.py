"""Damaged instrument codes: positives, legitimate look-alikes and invariants."""

from __future__ import annotations

import math
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features import tickers
from detector.text import Document
from tests.examples import (
    ADVERSARIAL_INPUTS,
    ADVERSARIAL_SECONDS,
    MT_TICKER_DAMAGE,
    NEGATIVE_EXAMPLES,
    adversarial_document,
)

ANOMALY_FEATURES = tuple(
    name for name in tickers.FEATURE_NAMES if name != "tickers.codes_per_100_words"
)


@pytest.mark.parametrize(
    ("text", "evidence_name", "snippet"),
    [
        ("Toray Industries (3402.The others rose on Tuesday.", "glued", "3402.The"),
        ("Toyota Motor (7203.Toyota said it would build a plant.", "glued", "7203.Toyota"),
        ("Exxon Mobil (XOM.Said profits fell.", "glued", "XOM.Said"),
        ("Ford Motor Co (F.shares fell 2 percent.", "glued", "F.shares"),
        ("Toray Industries (3402.t) rose 3 percent.", "lowercase", "3402.t"),
        ("Exxon Mobil (xom.n) rose 3 percent.", "lowercase", "xom.n"),
        ("Samsung (005930.ks) and the index.", "lowercase", "005930.ks"),
        ("The Nikkei .n225 ended higher.", "lowercase", ".n225"),
        ("Rio Tinto (RIO.XA) slipped.", "bad_suffix", "RIO.XA"),
        ("Toyota Motor (7203.TK) slipped.", "bad_suffix", "7203.TK"),
        ("Barclays (BARC.L said the results were weak.", "unbalanced", "BARC.L"),
        ("Exxon Mobil XOM.N) said output fell.", "unbalanced", "XOM.N"),
        ("Exxon Mobil (XOM. N) said output fell.", "split", "(XOM. N)"),
        ("Exxon Mobil (XOM .N) said output fell.", "split", "(XOM .N)"),
        ("Exxon Mobil ( XOM.N ) said output fell.", "split", "XOM.N"),
        ("Ford Motor Co (F. N) said output fell.", "split", "(F. N)"),
        ("The market said (7203.T) that it would reform.", "orphan", "7203.T"),
        ("Shares rose 5 percent. (XOM.N) said output fell.", "orphan", "XOM.N"),
    ],
)
def test_damaged_codes_are_flagged(text: str, evidence_name: str, snippet: str) -> None:
    result = tickers.extract(text)
    assert [(e.name, e.snippet) for e in result.evidence] == [(f"tickers.{evidence_name}", snippet)]
    assert result.values["tickers.anomaly_share"] > 0
    assert text[result.evidence[0].start : result.evidence[0].end] == snippet


@pytest.mark.parametrize(
    ("feature", "expected"),
    [
        ("tickers.glued_suffix_rate", True),
        ("tickers.lowercase_code_rate", True),
        ("tickers.unbalanced_rate", True),
        ("tickers.split_code_rate", True),
        ("tickers.orphan_code_rate", True),
        ("tickers.bad_suffix_share", True),
    ],
)
def test_mt_example_fires_every_measure(feature: str, expected: bool) -> None:
    values = tickers.extract(MT_TICKER_DAMAGE).values
    assert (values[feature] > 0) is expected


def test_bad_suffix_share_counts_stock_codes() -> None:
    values = tickers.extract("Rio Tinto (RIO.XA) and BHP (BHP.AX) rose.").values
    assert values["tickers.bad_suffix_share"] == pytest.approx(0.5)
    assert values["tickers.anomaly_share"] == pytest.approx(0.5)


def test_glued_note_explains_the_suffix() -> None:
    (item,) = tickers.extract("Toray (3402.The others rose.").evidence
    assert item.note == "exchange suffix `.The` is a word, not a market: the bracket was lost"


@pytest.mark.parametrize(
    "text",
    [
        "Sony Corp (6758.T) rose 2 percent in the U.S. at 3 p.m.",
        "Fannie Mae (FNMA.OB) (FNM.N) and Freddie Mac (FRE.N) fell.",
        "Royal Dutch Shell Plc (RDSa.L) and Volkswagen (VOWG_p.DE) rose.",
        "Barclays plc (BARC.L) and eBay Inc (EBAY.O) and 3M Co (MMM.N) rose.",
        "Nokia's U.S.-listed shares (NOK.N) and Citigroup Inc. (C.N) rose.",
        "Exxon Mobil (XOM.N, XOM.L) rose.",
        "Shell Canada Ltd. SHC.TO shares jumped while TEVA.O fell.",
        "The S&P 500 .SPX and the Nasdaq .IXIC rose; the FTSE .FTSE fell.",
        "Shares of Hong Kong's unit (2600.HK) rose.",
        "Microsoft .NET and version 3.5 shipped; see www.reuters.com/article and a@b.com.",
        "Prices rose 3.5 percent in 2020.The end.",
        "Upgrade to Python 3.x or 2.x now; open data.csv and IMG_0042.JPG.",
        "Read (spiegel.de) and (cranedata.us) for details.",
        "Infections with S. aureus (S.aureus) rose; see (J. Smith, 2010).",
        "The paper's authors (K. JR) and (M. XYZ) wrote it.",
    ],
)
def test_legitimate_dots_are_not_flagged(text: str) -> None:
    result = tickers.extract(text)
    assert result.evidence == []
    assert all(result.values[name] == 0.0 for name in ANOMALY_FEATURES)


@pytest.mark.parametrize("name", sorted(NEGATIVE_EXAMPLES))
def test_negative_examples_do_not_fire(name: str) -> None:
    result = tickers.extract(NEGATIVE_EXAMPLES[name])
    assert result.evidence == []
    assert all(result.values[feature] == 0.0 for feature in ANOMALY_FEATURES)


def test_clean_codes_are_counted() -> None:
    values = tickers.extract(NEGATIVE_EXAMPLES["clean_wire_story"]).values
    assert values["tickers.codes_per_100_words"] > 5


def test_accepts_a_document() -> None:
    doc = Document.of(MT_TICKER_DAMAGE)
    assert tickers.extract(doc) == tickers.extract(MT_TICKER_DAMAGE)


def test_empty_text_gives_zeros() -> None:
    result = tickers.extract("")
    assert result.values == dict.fromkeys(tickers.FEATURE_NAMES, 0.0)
    assert result.evidence == []


def test_exchange_table_holds_real_suffixes_in_capitals() -> None:
    assert {"N", "O", "T", "KS", "HK", "L", "DE", "AX", "TO", "PA"} <= set(
        tickers.EXCHANGE_SUFFIXES
    )
    assert all(suffix.isupper() for suffix in tickers.EXCHANGE_SUFFIXES)


TICKERISH = st.text(alphabet="()[]. ,;:/-_aTtNnOoKSHXx0123456789\n", max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), TICKERISH))
def test_invariants_on_arbitrary_text(text: str) -> None:
    result = tickers.extract(text)
    assert set(result.values) == set(tickers.FEATURE_NAMES)
    for value in result.values.values():
        assert math.isfinite(value) and value >= 0
    for name in ("tickers.bad_suffix_share", "tickers.anomaly_share"):
        assert result.values[name] <= 1
    for item in result.evidence:
        assert item.family == tickers.FAMILY
        assert text[item.start : item.end] == item.snippet


@pytest.mark.parametrize("name", sorted(ADVERSARIAL_INPUTS))
def test_adversarial_megabyte_is_fast(name: str) -> None:
    # The Document (tokens, sentences) is shared by every family and built
    # once by the caller; this times the family's own work on it.
    doc = adversarial_document(name)
    started = time.process_time()  # CPU time: other processes do not count
    result = tickers.extract(doc)
    assert time.process_time() - started < ADVERSARIAL_SECONDS
    assert set(result.values) == set(tickers.FEATURE_NAMES)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Shares fell, dragging the Amex airline index .xal down 2 percent.", [".xal"]),
        ("The Dow Jones U.S. consumer finance index .djussf rose.", [".djussf"]),
        ("It was the peak of the .com boom, and the index rose.", []),
        ("Save the file as .txt before you send it.", []),
    ],
)
def test_lower_cased_index_code_after_an_index_word(text, flagged):
    found = [e.snippet for e in tickers.extract(text).evidence if e.name == "tickers.lowercase"]
    assert found == flagged


#: Texts dense in what codes are made of: stems, dots, brackets, glue characters.
CODE_PIECES = st.lists(
    st.sampled_from(
        [
            *"aZ9_.()@/-: \n\\é",
            "XOM",
            "3402",
            ".T",
            ".The",
            ".N225",
            ".n",
            "VOWG_p",
            "abcdefghijklm",
        ]
    ),
    max_size=40,
).map("".join)

#: The patterns as first written, with their look-behinds in front: the scans
#: that jump from dot to dot must find exactly what these find.
SCANNED_CODE_RE = tickers.CODE_RE
LEADING_LOOKBEHIND_INDEX_RE = re.compile(r"(?<![\w.])\.(?P<body>[A-Za-z][A-Za-z0-9]{1,8})(?![\w])")


@settings(max_examples=500, deadline=None)
@given(st.one_of(CODE_PIECES, st.text(max_size=200)))
def test_the_dot_to_dot_scans_find_what_a_full_scan_finds(text: str) -> None:
    def spans(matches):
        return [(m.span(), m.groupdict()) for m in matches]

    assert spans(tickers.code_matches(text)) == spans(SCANNED_CODE_RE.finditer(text))
    assert spans(tickers.INDEX_RE.finditer(text)) == spans(
        LEADING_LOOKBEHIND_INDEX_RE.finditer(text)
    )
