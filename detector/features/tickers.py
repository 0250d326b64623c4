"""Damaged Reuters instrument codes: bad or glued suffixes, lost brackets, orphans.

Reuters copy names a listed company with its instrument code (RIC) in
brackets right after the name, ``Toray Industries (3402.T)``, and names an
index with a bare dot code, ``the Nikkei average .N225``. Machine translation
does not know these codes are opaque: a round trip splits them on the dot
(``(3402. T)``), drops the closing bracket and glues the suffix to the next
word (``(3402.The others``), lowercases them (``(3402.t)``), turns the suffix
into something that is no market (``(XOM.NO)``), or moves the code away from
the company name it belongs to (``said on Tuesday (XOM.N)``). Article spinners
do the same when they treat ``T)`` or ``N)`` as words to rewrite.

What looks similar but is legitimate: abbreviations (``U.S.``, ``p.m.``,
``J.P. Morgan``), decimals (``3.5``), web addresses and company names that are
domains (``reuters.com``, ``Amazon.com``, ``Web.de``), file names
(``report.PDF``), version numbers (``Python 3.x``), bare codes after a name
(``Shell Canada Ltd. SHC.TO``, a real Reuters habit) and ticker tables that
start each line with a code. The rules below only call something a code when
its stem looks like a ticker (digits, or capitals with an optional share-class
letter) and, for anything but a clean bracketed code, when brackets or a
numeric stem make the reading unambiguous.

>>> result = extract("Toray Industries (3402.The others rose, Sony (6758.T) fell.")
>>> result.values["tickers.glued_suffix_rate"] > 0
True
>>> [e.snippet for e in result.evidence]
['3402.The']
>>> extract("Sony Corp (6758.T) rose 2 percent in the U.S. at 3 p.m.").evidence
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

import numpy as np

from detector.features.base import (
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
    kept_on,
    rate,
)
from detector.resources import Resources
from detector.text import Document

FAMILY = "tickers"

FEATURE_NAMES: tuple[str, ...] = (
    # every instrument or index code, clean or damaged, per 100 words
    "tickers.codes_per_100_words",
    # share of stock codes whose upper-case suffix is no exchange: (XOM.NO)
    "tickers.bad_suffix_share",
    # suffixes glued to the next word, per 100 words: (3402.The others
    "tickers.glued_suffix_rate",
    # lower-cased codes, per 100 words: (3402.t), (xom.n), .n225
    "tickers.lowercase_code_rate",
    # codes with a lost or unmatched bracket, per 100 words: (XOM.N said
    "tickers.unbalanced_rate",
    # codes split by a space, per 100 words: (XOM. N), ( XOM.N )
    "tickers.split_code_rate",
    # bracketed codes with no capitalised name before them, per 100 words
    "tickers.orphan_code_rate",
    # share of all codes that carry any of the anomalies above
    "tickers.anomaly_share",
)

# Reuters Instrument Code exchange suffixes, upper case as Reuters prints them.
EXCHANGE_SUFFIXES: Mapping[str, str] = {
    # --- Americas
    "N": "the New York Stock Exchange",
    "O": "the Nasdaq",
    "OQ": "the Nasdaq Global Select Market",
    "OB": "the OTC Bulletin Board",
    "PK": "the Pink Sheets over-the-counter market",
    "A": "NYSE American (the former Amex)",
    "K": "the NYSE Arca consolidated listing",
    "P": "NYSE Arca (the former Pacific Exchange)",
    "B": "the Boston Stock Exchange",
    "Q": "the JASDAQ market in Japan",
    "TO": "the Toronto Stock Exchange",
    "V": "the TSX Venture Exchange",
    "CD": "the Canadian Securities Exchange",
    "MX": "the Mexican Stock Exchange",
    "SA": "the Sao Paulo exchange (B3)",
    "BA": "the Buenos Aires exchange",
    "SN": "the Santiago exchange",
    "LM": "the Lima exchange",
    "CN": "the Colombian exchange",
    "CR": "the Caracas exchange",
    # --- Europe
    "L": "the London Stock Exchange",
    "IL": "the London international order book",
    "I": "the Irish Stock Exchange",
    "DE": "Xetra (Deutsche Boerse)",
    "F": "the Frankfurt floor",
    "D": "the Duesseldorf exchange",
    "H": "the Hamburg exchange",
    "HA": "the Hanover exchange",
    "MU": "the Munich exchange",
    "SG": "the Stuttgart exchange",
    "BE": "the Berlin exchange",
    "PA": "Euronext Paris",
    "AS": "Euronext Amsterdam",
    "BR": "Euronext Brussels",
    "LS": "Euronext Lisbon",
    "MI": "the Milan exchange",
    "MC": "the Madrid continuous market",
    "S": "the SIX Swiss Exchange",
    "SW": "the SIX Swiss Exchange (alternative suffix)",
    "VX": "SIX Swiss Exchange blue chips (former virt-x)",
    "ST": "Nasdaq Stockholm",
    "CO": "Nasdaq Copenhagen",
    "HE": "Nasdaq Helsinki",
    "IC": "Nasdaq Iceland",
    "OL": "the Oslo Bors",
    "VI": "the Vienna exchange",
    "WA": "the Warsaw exchange",
    "PR": "the Prague exchange",
    "BU": "the Budapest exchange",
    "BX": "the Bucharest exchange",
    "AT": "the Athens exchange",
    "IS": "Borsa Istanbul",
    "LU": "the Luxembourg exchange",
    "CY": "the Cyprus exchange",
    "TL": "Nasdaq Tallinn",
    "RG": "Nasdaq Riga",
    "VL": "Nasdaq Vilnius",
    "ZA": "the Zagreb exchange",
    "LJ": "the Ljubljana exchange",
    "MM": "the Moscow exchange (MICEX)",
    "RTS": "the former Russian Trading System",
    "KZ": "the Kazakhstan exchange",
    "UL": "an unlisted company (Reuters marks it this way)",
    # --- Asia-Pacific
    "T": "the Tokyo Stock Exchange",
    "OS": "the Osaka exchange",
    "OJ": "the JASDAQ market after its move to the Osaka exchange",
    "NG": "the Nagoya exchange",
    "KS": "the Korea Exchange (KOSPI)",
    "KQ": "the KOSDAQ market",
    "HK": "the Hong Kong exchange",
    "SS": "the Shanghai exchange",
    "SZ": "the Shenzhen exchange",
    "TW": "the Taiwan Stock Exchange",
    "TWO": "the Taipei Exchange (over the counter)",
    "SI": "the Singapore Exchange",
    "AX": "the Australian Securities Exchange",
    "NZ": "the New Zealand exchange",
    "BO": "the Bombay Stock Exchange",
    "NS": "the National Stock Exchange of India",
    "BK": "the Stock Exchange of Thailand",
    "KL": "Bursa Malaysia",
    "JK": "the Indonesia Stock Exchange",
    "PS": "the Philippine Stock Exchange",
    "HM": "the Ho Chi Minh City exchange",
    "HN": "the Hanoi exchange",
    "KA": "the Karachi exchange",
    "CM": "the Colombo exchange",
    "DH": "the Dhaka exchange",
    # --- Middle East and Africa
    "TA": "the Tel Aviv exchange",
    "CA": "the Egyptian Exchange",
    "J": "the Johannesburg exchange",
    "JO": "the Johannesburg exchange (current suffix)",
    "SE": "the Saudi exchange (Tadawul)",
    "KW": "the Kuwait exchange",
    "QA": "the Qatar exchange",
    "DU": "the Dubai Financial Market",
    "AD": "the Abu Dhabi exchange",
    "DI": "Nasdaq Dubai",
    "BH": "the Bahrain Bourse",
    "OM": "the Muscat exchange",
    "AM": "the Amman exchange",
    "LG": "the Nigerian exchange in Lagos",
    "NR": "the Nairobi exchange",
    "CS": "the Casablanca exchange",
    "TN": "the Tunis exchange",
    "ZI": "the Zimbabwe exchange",
}

# Upper-case dotted endings that are not markets: domains and file types.
# An all-caps headline (AMAZON.COM PROFIT JUMPS) or a file name must not read
# as a code with a made-up exchange.
NON_EXCHANGE_SUFFIXES = frozenset(
    {
        "COM", "NET", "ORG", "GOV", "EDU", "INFO", "BIZ", "MIL", "INT", "CO", "UK", "US",
        "EU", "IO", "AI", "TV", "FM", "ME", "LY", "CN", "JP", "RU", "IN", "AU", "CA",
        "HTML", "HTM", "PHP", "ASP", "PDF", "DOC", "DOCX", "XLS", "XLSX", "PPT", "CSV",
        "TXT", "RTF", "JPG", "JPEG", "PNG", "GIF", "TIF", "TIFF", "SVG", "ZIP", "GZ", "RAR",
        "EXE", "DLL", "BAT", "SH", "PY", "JS", "TS", "JSON", "XML", "YML", "YAML", "MD",
        "MP3", "MP4", "WAV", "AVI", "MOV", "ISO", "BIN", "DAT", "LOG", "CFG", "INI", "H", "C",
        "X", "NEXT",
    }
)  # fmt: skip

# Two-letter lower-case endings that are common country domains: `(spiegel.de)`
# is a web site, not a German listing with its suffix lower-cased.
COUNTRY_DOMAINS = frozenset(
    {
        "de", "hk", "to", "co", "is", "ca", "nz", "mx", "br", "il", "sa", "si", "pr", "ba",
        "sn", "bo", "in", "it", "at", "be", "ch", "se", "no", "fi", "dk", "es", "fr", "nl",
        "ru", "cn", "jp", "kr", "tw", "sg", "au", "za", "ie", "pt", "gr", "cz", "hu", "tr",
        "ar", "cl", "pe", "my", "id", "th", "ph", "vn", "pk", "ae", "eg", "ng", "ke", "ma",
        "lu", "am", "cr", "lm", "me", "tv", "fm", "ly", "io", "ai", "cm", "om",
    }
)  # fmt: skip

# Lower-case words that may stand right before a code in Reuters copy: company
# forms (`Barclays plc (BARC.L)`) and the nouns of a listing (`Siemens'
# New York-traded shares (SI.N)`, `its Hong Kong unit (2600.HK)`).
WORDS_BEFORE_CODE = frozenset(
    {"plc", "inc", "ltd", "corp", "co", "ag", "sa", "nv", "spa", "se", "ab", "asa", "oyj",
     "bhd", "tbk", "llc", "lp", "kgaa", "gmbh", "bv", "pte", "pcl", "s", "shares", "share",
     "stock", "stocks", "unit", "units", "fund", "funds", "subsidiary", "arm", "rival",
     "retailer", "maker", "group", "company", "bank", "firm", "affiliate", "trust", "notes",
     "bonds", "receipts", "adrs", "gdrs"}
)  # fmt: skip

# Lower-cased index codes are recognisable when they carry a digit (.n225,
# .ks11) or are one of the well-known names.
KNOWN_INDEX_CODES = frozenset(
    {"spx", "dji", "ixic", "ftse", "hsi", "ssec", "gdaxi", "fchi", "vix", "axjo", "twii",
     "bsesn", "nsei", "stoxx", "stoxx50e", "ftmib", "ibex", "aex", "ssmi", "topx", "rut",
     "ndx", "sox", "bkx", "dxy", "gspe", "ftteu3", "fteu3", "crb", "xau", "hui", "kospi"}
)  # fmt: skip

CODE_RE = re.compile(
    r"""
    # not the tail of a URL, an e-mail address, a path or a longer dotted name
    (?<![\w.@/\\#%&+=~-])
    (?P<stem>[0-9A-Za-z][0-9A-Za-z_]{0,11})
    \.
    # suffix: a real one is 1-3 capitals; MT leaves words, lower case, junk
    (?P<suffix>[A-Za-z]{1,24})
    # ...and the dotted name ends here: www.reuters.com/x, a@b.com, U.S.-based
    (?![\w]|[./@\\:-][\w])
    """,
    re.VERBOSE,
)

# A code broken by a space around its dot, the way MT detokenisers leave it.
SPLIT_CODE_RE = re.compile(
    r"""
    \(
    [ ]?
    # (a one-letter stem, as in Ford's (F. N), counts only with a real suffix)
    (?P<stem>[0-9]{4,6}|[0-9A-Z]{1,7}(?:_?[a-z])?)
    (?:
        # space after the dot: (XOM. N)
        \.[ ]{1,3}
      # space before the dot: (XOM .N)
      | [ ]{1,3}\.[ ]{0,3}
    )
    (?P<suffix>[A-Z]{1,3})
    [ ]?
    \)
    """,
    re.VERBOSE,
)

INDEX_RE = re.compile(
    r"""
    # index codes stand alone after a space or bracket: .N225, .KS11, .SPX
    # (the look-behind follows the dot, so that a search jumps from dot to dot)
    \.(?<![\w.]\.)
    (?P<body>[A-Za-z][A-Za-z0-9]{1,8})
    (?![\w])
    """,
    re.VERBOSE,
)

# Where a code can be: a dot with a letter after it, found by a fast literal search.
_DOT_LETTER_RE = re.compile(r"\.[A-Za-z]")
# The run of stem characters a code's dot ends.
_STEM_BEFORE_RE = re.compile(r"[0-9A-Za-z_]{1,12}\Z")


def code_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`CODE_RE` in ``text``, as ``CODE_RE.finditer`` gives them.

    A code's stem is the whole run of letters, digits and underscores before
    its dot (the character before it is no word character), so each dot
    followed by a letter has one place a match can start: ``CODE_RE`` is
    tried there only, instead of at every position of the text.

    >>> [m.group() for m in code_matches("Sony (6758.T) and U.S. shares, reuters.com.")]
    ['6758.T', 'U.S', 'reuters.com']
    """
    end = 0
    for dot in _DOT_LETTER_RE.finditer(text):
        position = dot.start()
        stem = _STEM_BEFORE_RE.search(text, max(end, position - 12), position)
        if stem is None:
            continue
        match = CODE_RE.match(text, stem.start())
        if match is not None and match.end("stem") == position:
            end = match.end()
            yield match


# Stems that look like instrument codes: 4-6 digits (Tokyo, Seoul, Hong Kong)
# or capitals and digits with an optional share-class letter (RDSa, VOWG_p).
TICKER_STEM_RE = re.compile(r"[0-9]{4,6}|[0-9A-Z]{1,7}(?:_?[a-z])?")
NUMERIC_STEM_RE = re.compile(r"[0-9]{4,6}")

# The capitalised word a bracketed code should follow.
NAME_WORD_RE = re.compile(r"[^\W_][\w&'’-]*")

# Characters between a company name and the bracket of its code.
SKIPPED_BEFORE_CODE = frozenset(" \t()[],.;:'’\"“”")

# Bracket-list continuations: (XOM.N, XOM.L) or (XOM.N: Quote).
LIST_CONTINUATION = frozenset(",;:/")

# Words after which a dotted code names an index: "the airline index .xal".
INDEX_WORDS = frozenset({"index", "indexes", "indices", "average", "benchmark", "gauge"})
_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)[ \t]*$")


def _after_index_word(source: str, start: int) -> bool:
    """True when the word just before ``start`` is "index", "average" or the like.

    >>> text = "the Amex airline index .xal rose"
    >>> _after_index_word(text, text.index(".xal"))
    True
    """
    match = _WORD_BEFORE_RE.search(source, max(0, start - 40), start)
    return match is not None and match.group(1).lower() in INDEX_WORDS


# Index bodies that are words or technologies, not indexes: Microsoft .NET.
NON_INDEX_BODIES = frozenset({"NET", "COM", "ORG", "NEXT", "EXE", "PDF", "DOC", "JS", "UK", "EU"})


def _opening_bracket(text: str, start: int) -> int:
    """Position of a ``(`` right before ``start`` (allowing one space), else -1.

    >>> _opening_bracket("Sony (6758.T)", 6), _opening_bracket("Sony 6758.T", 5)
    (5, -1)
    """
    if start >= 1 and text[start - 1] == "(":
        return start - 1
    if start >= 2 and text[start - 1] == " " and text[start - 2] == "(":
        return start - 2
    return -1


def _closing_bracket(text: str, end: int) -> int:
    """Position of the ``)`` that closes a code ending at ``end``, else -1.

    A list of codes or a short gloss may sit between: ``(XOM.N, XOM.L)``.

    >>> _closing_bracket("(XOM.N) rose", 6), _closing_bracket("(XOM.N, XOM.L)", 6)
    (6, 13)
    """
    if end < len(text) and text[end] == ")":
        return end
    if end + 1 < len(text) and text[end] == " " and text[end + 1] == ")":
        return end + 1
    if end < len(text) and text[end] in LIST_CONTINUATION:
        limit = min(len(text), end + 80)
        close = text.find(")", end, limit)
        if close != -1 and text.find("(", end, close) == -1 and "\n" not in text[end:close]:
            return close
    return -1


def _has_bracket_before(text: str, start: int) -> bool:
    """True if an unclosed ``(`` opens on the same line within 80 characters."""
    window_start = max(0, start - 80, text.rfind("\n", 0, start) + 1)
    open_at = text.rfind("(", window_start, start)
    return open_at != -1 and text.rfind(")", open_at, start) == -1


def _is_name_word(word: str) -> bool:
    """A company name word: any capital or digit (``Toyota``, ``eBay``, ``3M``)."""
    return any(ch.isupper() or ch.isdigit() for ch in word) or word.lower() in WORDS_BEFORE_CODE


def _name_before(text: str, position: int) -> bool | None:
    """Whether a bracketed code whose ``(`` is at ``position`` follows a name.

    Returns True for a company name, False for a lower-case word or a symbol,
    None when the bracket opens its line (in scraped copy a code often starts a
    line that was cut from its name, so that is left unjudged). Punctuation, possessives and other
    bracketed codes in between are skipped: ``Fannie Mae (FNMA.OB) (FNM.N)``.

    >>> _name_before("Toyota Motor (7203.T)", 13), _name_before("shares of (7203.T)", 10)
    (True, False)
    >>> _name_before("Mae (FNMA.OB) (FNM.N)", 14), _name_before("(7203.T) said", 0)
    (True, None)
    """
    line_start = text.rfind("\n", 0, position) + 1
    cursor = position
    for _ in range(8):
        while cursor > line_start and text[cursor - 1] in SKIPPED_BEFORE_CODE:
            cursor -= 1
        if cursor == line_start:
            return None
        word_start = cursor
        while word_start > line_start and (
            text[word_start - 1].isalnum() or text[word_start - 1] in "_&-"
        ):
            word_start -= 1
        if word_start == cursor:
            return False
        bracketed_code = False
        if word_start - 1 > line_start and text[word_start - 1] == ".":
            # the suffix of a dotted name: walk over its stem as well
            word_start -= 1
            while word_start > line_start and (
                text[word_start - 1].isalnum() or text[word_start - 1] in "_&-"
            ):
                word_start -= 1
            bracketed_code = word_start > line_start and text[word_start - 1] == "("
            if not bracketed_code:
                return True  # a bare code or a domain name such as Amazon.com
        word = text[word_start:cursor]
        if bracketed_code or (word == "s" and text[word_start - 1] in "'’"):
            cursor = word_start - 1 if not bracketed_code else word_start
            continue
        return _is_name_word(word)
    return True


def _code_kind(text: str, match: re.Match[str]) -> tuple[str, bool, bool] | None:
    """Classify one dotted candidate.

    Returns ``(kind, bracketed, closed)`` where kind is ``ok``, ``bad_suffix``,
    ``glued`` or ``lowercase``; or None when the candidate is not a code at all
    (an abbreviation, a domain, a file name, a typo without a bracket).
    """
    stem, suffix = match.group("stem"), match.group("suffix")
    start, end = match.start(), match.end()
    opening = _opening_bracket(text, start)
    closing = _closing_bracket(text, end)
    bracketed = opening != -1
    ticker_stem = TICKER_STEM_RE.fullmatch(stem) is not None
    numeric_stem = NUMERIC_STEM_RE.fullmatch(stem) is not None
    lower_stem = stem.isalpha() and stem.islower() and len(stem) <= 6

    # initials and abbreviations: U.S., p.m., J.P. Morgan, S.C Johnson; but a
    # one-letter code right after its bracket may have its suffix glued to a
    # word: Ford Motor Co (F.shares fell
    glued_one_letter = (
        opening == start - 1
        and closing == -1
        and stem.isupper()
        and suffix.islower()
        and len(suffix) >= 3
    )
    if len(stem) == 1 and not (bracketed and closing != -1) and not glued_one_letter:
        return None
    # a bracketed binomial name: (S.aureus), (E.coli)
    if len(stem) == 1 and closing == end and suffix.islower() and len(suffix) >= 4:
        return None
    if end < len(text) and text[end] == "." and len(suffix) == 1:
        return None
    if suffix in EXCHANGE_SUFFIXES:
        if ticker_stem:
            return "ok", bracketed, closing != -1
        return None
    upper = suffix.upper()
    if suffix.islower() and upper in EXCHANGE_SUFFIXES:
        if numeric_stem and (bracketed or len(suffix) == 1):
            return "lowercase", bracketed, closing != -1
        if not bracketed:
            return None
        if ticker_stem and not stem.isdigit():
            return "lowercase", bracketed, closing != -1
        if lower_stem and (len(suffix) == 1 or suffix not in COUNTRY_DOMAINS):
            return "lowercase", bracketed, closing != -1
        return None
    if not (bracketed or numeric_stem) or not ticker_stem:
        return None
    if suffix.isupper():
        if upper in NON_EXCHANGE_SUFFIXES:
            return None
        return "bad_suffix", bracketed, closing != -1
    if bracketed and len(suffix) >= 2 and suffix[1:].islower():
        # a word where the suffix should be: the bracket and space were lost
        return "glued", bracketed, closing != -1
    if bracketed and suffix.lower() != "x":
        return "bad_suffix", bracketed, closing != -1
    return None


NOTES = {
    "bad_suffix": "exchange suffix `.{suffix}` names no market",
    "glued": "exchange suffix `.{suffix}` is a word, not a market: the bracket was lost",
    "lowercase": "instrument code `{code}` is lower-cased; Reuters prints codes in capitals",
    "unbalanced": "instrument code `{code}` has a lost or unmatched bracket",
    "split": "instrument code `{code}` is split by a space around its dot",
    "orphan": "instrument code `{code}` follows no company name",
}


class _Hit(NamedTuple):
    """A damaged code: its kind (a key of :data:`NOTES`), span and exchange suffix."""

    kind: str
    start: int
    end: int
    suffix: str


_KINDS = ("bad_suffix", "glued", "lowercase", "unbalanced", "split", "orphan")


def _find(source: str) -> tuple[int, int, list[_Hit]]:
    """All codes, stock codes, and the damaged codes of a text, in the order found."""
    hits: list[_Hit] = []
    codes = stock_codes = 0
    if "." not in source:
        return codes, stock_codes, hits
    for match in code_matches(source):
        classified = _code_kind(source, match)
        if classified is None:
            continue
        kind, bracketed, closed = classified
        start, end = match.start(), match.end()
        codes += 1
        stock_codes += 1
        if kind != "ok":
            hits.append(_Hit(kind, start, end, match.group("suffix")))
            continue
        spaced = bracketed and (source[start - 1] == " " or (closed and source[end] == " "))
        if spaced:
            hits.append(_Hit("split", start, end, ""))
        elif (bracketed and not closed) or (
            not bracketed and closed and not _has_bracket_before(source, start)
        ):
            hits.append(_Hit("unbalanced", start, end, ""))
        elif bracketed and _name_before(source, _opening_bracket(source, start)) is False:
            hits.append(_Hit("orphan", start, end, ""))
    for match in INDEX_RE.finditer(source):
        body = match.group("body")
        if body.upper() in NON_INDEX_BODIES:
            continue
        if body.isupper() and not body.isdigit():
            codes += 1
        elif body.islower() and (
            any(ch.isdigit() for ch in body)
            or body in KNOWN_INDEX_CODES
            or _after_index_word(source, match.start())
        ):
            codes += 1
            hits.append(_Hit("lowercase", match.start(), match.end(), ""))
    if "(" in source:
        for match in SPLIT_CODE_RE.finditer(source):
            if len(match["stem"]) == 1 and match["suffix"] not in EXCHANGE_SUFFIXES:
                continue  # initials in brackets: (J. P)
            codes += 1
            stock_codes += 1
            hits.append(_Hit("split", match.start(), match.end(), ""))
    return codes, stock_codes, hits


def transform(docs: Sequence[Document], resources: Resources | None = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document (``resources`` are not used).

    >>> transform([Document.of("Sony (6758.t) fell."), Document.of("")]).tolist()[0][3]
    50.0
    """
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    for index, doc in enumerate(docs):
        codes, stock_codes, hits = kept_on(doc, FAMILY, None, _find, doc.text)
        if not codes:
            continue  # every value counts codes
        counts = dict.fromkeys(_KINDS, 0)
        for hit in hits:
            counts[hit.kind] += 1
        words = max(doc.n_words, 1)
        rows[index] = (
            rate(codes, words, 100),
            rate(counts["bad_suffix"], stock_codes),
            rate(counts["glued"], words, 100),
            rate(counts["lowercase"], words, 100),
            rate(counts["unbalanced"], words, 100),
            rate(counts["split"], words, 100),
            rate(counts["orphan"], words, 100),
            rate(len(hits), codes),
        )
    return rows


def evidence(doc: Document, resources: Resources | None = None) -> list[Evidence]:
    """The damaged codes of one document, in text order."""
    source = doc.text
    items = [
        evidence_at(
            source, FAMILY, f"{FAMILY}.{hit.kind}", hit.start, hit.end,
            NOTES[hit.kind].format(code=source[hit.start : hit.end], suffix=hit.suffix),
        )
        for hit in kept_on(doc, FAMILY, None, _find, source)[2]
    ]  # fmt: skip
    items.sort(key=lambda item: item.start)
    return items


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Measure damaged instrument and index codes in ``text`` (a batch of one).

    Parameters
    ----------
    text : str or Document
        The text, or a :class:`~detector.text.Document` built from it.
    resources : Resources, optional
        Not used: the family needs no model.

    Returns
    -------
    FeatureResult
        Every name in :data:`FEATURE_NAMES`; rates are per 100 words, shares
        are over all codes found. Evidence marks each damaged code.

    Examples
    --------
    >>> r = extract("The Nikkei .N225 fell and Toyota (7203.t) slid.")
    >>> r.values["tickers.lowercase_code_rate"] > 0, r.evidence[0].snippet
    (True, '7203.t')
    """
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)
