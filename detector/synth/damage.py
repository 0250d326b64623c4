"""Modelled damage of a neural MT round trip: fluent text with sparse, specific slips.

A neural round trip (English -> another language -> English) reads fluently,
so word-level oddities are rare; what it leaves are a few slips that a
rule-based engine would not make and that a grammar checker would not see:
broken instrument codes, names that are also words turned into common
nouns, case lost on demonyms or leaking onto function words, a spelling
standard changed half-way, near-synonyms that break a collocation, a
pronoun of the wrong gender. Each slip here is one small function
``(text, rng, limit) -> text`` changing at most ``limit`` places, and a
*profile* (:data:`PROFILES`) draws a few of them per document.

Every function keeps paragraph breaks and leaves text without a candidate
place unchanged, so a caller can tell whether anything happened.

>>> result = damage("Toray Industries (3402.T) Shares rose.", "tickers", random.Random(0))
>>> result.text != "Toray Industries (3402.T) Shares rose.", set(result.steps) <= set(TRANSFORMS)
(True, True)
>>> damage("No codes here at all.", "tickers", random.Random(0)).steps
[]
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from detector.synth.language import FUNCTION_WORDS
from detector.text import paragraph_spans, sentence_spans

Transform = Callable[[str, random.Random, int], str]


def _replace_some(
    text: str,
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str]], str | None],
    rng: random.Random,
    limit: int,
) -> str:
    """Apply ``replace`` to at most ``limit`` matches of ``pattern``, chosen at random.

    ``replace`` may return ``None`` to decline a match.
    """
    matches = list(pattern.finditer(text))
    if not matches or limit <= 0:
        return text
    rng.shuffle(matches)
    chosen: list[tuple[re.Match[str], str]] = []
    for match in matches:
        if len(chosen) >= limit:
            break
        new = replace(match)
        if new is not None and new != match.group(0):
            chosen.append((match, new))
    chosen.sort(key=lambda item: item[0].start())
    pieces = []
    position = 0
    for match, new in chosen:
        if match.start() < position:  # overlapping candidates: keep the first
            continue
        pieces.append(text[position : match.start()])
        pieces.append(new)
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


# -- instrument codes -------------------------------------------------------

# A Reuters instrument code in brackets: (7203.T), (XOM.N), (005930.KS).
_BRACKETED_CODE_RE = re.compile(r"\((?P<code>[A-Z0-9]{1,8})\.(?P<suffix>[A-Z]{1,3})\)")

# The same code followed by the next word, which a subword model may glue onto it.
_CODE_THEN_WORD_RE = re.compile(
    r"\((?P<code>[A-Z0-9]{1,8})\.(?P<suffix>[A-Z]{1,3})\)[ \t]+(?P<word>[A-Za-z]+)"
)

# Index codes: .N225, .SPX, .KS11
_INDEX_CODE_RE = re.compile(r"(?<![\w.])\.(?P<code>[A-Z][A-Z0-9]{1,7})\b")

#: Exchange suffixes that do not exist, by the real one they replace. A model
#: that has seen many tickers "corrects" a suffix to something plausible.
#: None is a real suffix (``.H`` is Hamburg, ``.CA`` Cairo) or a domain or
#: file ending (``.UK``, ``.JP``): such a swap would leave text that is right,
#: or that no reader could tell from a web address, labelled as damaged.
FAKE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "T": ("TK", "TYO"),
    "N": ("NY", "NYS"),
    "O": ("NQ", "NAS"),
    "KS": ("KR", "SK"),
    "L": ("LN", "LON"),
    "HK": ("HKG", "HG"),
    "PA": ("FR", "PAR"),
    "DE": ("GR", "GE"),
    "TO": ("TSX", "TR"),
    "SS": ("SHG", "SHA"),
}
#: Fakes for a suffix without its own entry.
OTHER_FAKE_SUFFIXES = ("XE", "EX")


def glue_ticker_suffix(text: str, rng: random.Random, limit: int = 1) -> str:
    """Instrument code whose exchange suffix merged with the next word.

    Subword MT models split ``(3402.T)`` into pieces and may rejoin the last
    one with the following word, losing the bracket. A real suffix is one to
    three capitals, so ``.The`` or ``.shares`` after a code cannot be one.

    >>> glue_ticker_suffix("Toray Industries (3402.T) The others rose.", random.Random(0))
    'Toray Industries (3402.The others rose.'
    """

    def glue(match: re.Match[str]) -> str:
        return f"({match['code']}.{match['word']}"

    return _replace_some(text, _CODE_THEN_WORD_RE, glue, rng, limit)


def lowercase_ticker_suffix(text: str, rng: random.Random, limit: int = 1) -> str:
    """Instrument or index code lower-cased, as when an engine normalises case.

    Reuters codes are upper case; ``(7203.t)`` or ``.n225`` appear when MT
    treats the suffix as an ordinary word.

    >>> lowercase_ticker_suffix("Toyota (7203.T) fell.", random.Random(0))
    'Toyota (7203.t) fell.'
    """

    def lower(match: re.Match[str]) -> str:
        return f"({match['code']}.{match['suffix'].lower()})"

    return _replace_some(text, _BRACKETED_CODE_RE, lower, rng, limit)


def fake_exchange_suffix(text: str, rng: random.Random, limit: int = 1) -> str:
    """Exchange suffix swapped for one no exchange uses (``7203.T`` -> ``7203.TK``).

    >>> fake_exchange_suffix("Samsung (005930.KS) rose.", random.Random(0)) in (
    ...     "Samsung (005930.KR) rose.", "Samsung (005930.SK) rose.")
    True
    """

    def swap(match: re.Match[str]) -> str:
        options = FAKE_SUFFIXES.get(match["suffix"], OTHER_FAKE_SUFFIXES)
        return f"({match['code']}.{rng.choice(options)})"

    return _replace_some(text, _BRACKETED_CODE_RE, swap, rng, limit)


def drop_ticker_bracket(text: str, rng: random.Random, limit: int = 1) -> str:
    """One bracket of an instrument code lost (``Exxon (XOM.N said``, ``XOM.N) said``).

    Both brackets lost would not be damage: Reuters itself prints bare codes
    after a name (``Shell Canada Ltd. SHC.TO``), so that text is right.

    >>> drop_ticker_bracket("Exxon Mobil (XOM.N) said.", random.Random(0)) in (
    ...     "Exxon Mobil (XOM.N said.", "Exxon Mobil XOM.N) said.")
    True
    """

    def unbalance(match: re.Match[str]) -> str:
        code = f"{match['code']}.{match['suffix']}"
        return f"({code}" if rng.random() < 0.5 else f"{code})"

    return _replace_some(text, _BRACKETED_CODE_RE, unbalance, rng, limit)


def split_ticker_code(text: str, rng: random.Random, limit: int = 1) -> str:
    """Instrument code split on its dot (``(3402.T)`` -> ``(3402. T)``).

    A tokenizer that reads the dot as the end of a sentence puts a space
    after it, and detokenising on the way back keeps the space (or one
    inside each bracket).

    >>> split_ticker_code("Toray (3402.T) rose.", random.Random(0)) in (
    ...     "Toray (3402. T) rose.", "Toray ( 3402.T ) rose.")
    True
    """

    def split(match: re.Match[str]) -> str:
        if rng.random() < 0.7:
            return f"({match['code']}. {match['suffix']})"
        return f"( {match['code']}.{match['suffix']} )"

    return _replace_some(text, _BRACKETED_CODE_RE, split, rng, limit)


def lowercase_index_code(text: str, rng: random.Random, limit: int = 1) -> str:
    """Index code lower-cased (``.N225`` -> ``.n225``).

    >>> lowercase_index_code("The Nikkei .N225 fell.", random.Random(0))
    'The Nikkei .n225 fell.'
    """

    def lower(match: re.Match[str]) -> str:
        return "." + match["code"].lower()

    return _replace_some(text, _INDEX_CODE_RE, lower, rng, limit)


# -- names and case -----------------------------------------------------------

#: Surnames (and a few given names) that are also English words: a round trip
#: through a language without capitals or with a different word order turns
#: them into the common noun.
WORD_NAMES = frozenset(
    [
        "Moon",
        "Park",
        "Rice",
        "Brown",
        "Bush",
        "Gold",
        "Young",
        "Stone",
        "Wolf",
        "King",
        "Rose",
        "Hill",
        "Fox",
        "Bird",
        "Little",
        "Long",
        "Sun",
        "Song",
        "Wood",
        "Baker",
        "Cook",
        "Bond",
        "Black",
        "White",
        "Green",
        "Rich",
        "Paul",
        "Summers",
    ]
)

# Titles and given names before a surname: "President Moon", "Condoleezza Rice".
_TITLE_WORDS = frozenset(
    ["President", "Prime", "Minister", "Mr", "Mrs", "Ms", "Dr", "Secretary", "Chairman"]
)

_WORD_NAME_RE = re.compile(
    r"(?P<before>\b[A-Za-z]+[ \t]+)?\b(?P<name>" + "|".join(sorted(WORD_NAMES)) + r")\b"
)


def name_to_common_noun(text: str, rng: random.Random, limit: int = 1) -> str:
    """Name that is also a word turned into the word ("Moon said" -> "the moon said").

    After a title or given name only the case goes ("President moon Jae-in");
    a bare surname also gets an article, as the common noun would.

    >>> name_to_common_noun("Analysts at the bank said Rice would visit.", random.Random(0))
    'Analysts at the bank said the rice would visit.'
    >>> name_to_common_noun("It said President Moon Jae-in agreed.", random.Random(0))
    'It said President moon Jae-in agreed.'
    """

    def common(match: re.Match[str]) -> str:
        before = match["before"] or ""
        previous = before.strip()
        name = match["name"].lower()
        if (
            previous in _TITLE_WORDS
            or previous[:1].isupper()
            or previous.lower() in ("the", "a", "an")
        ):
            return before + name
        return before + "the " + name

    return _replace_some(text, _WORD_NAME_RE, common, rng, limit)


#: Demonyms and country names whose capital a round trip may lose: languages
#: that write them lower case (Spanish "japonés", French "japonais") hand them
#: back that way.
NATIONALITIES = (
    "South Korean", "North Korean", "South Korea", "North Korea", "United States",
    "Japanese", "Chinese", "Korean", "American", "British", "German", "French",
    "Spanish", "Italian", "Russian", "Indian", "Brazilian", "European", "Mexican",
    "Canadian", "Australian", "Japan", "China", "Germany", "France", "Britain",
    "Spain", "Italy", "Russia", "India", "Brazil", "Mexico", "Canada", "Europe",
)  # fmt: skip

# Preceded by a word, comma or bracket and a space: not at the start of a sentence.
_NATIONALITY_RE = re.compile(r"(?<=[\w,;:(] )(?:" + "|".join(NATIONALITIES) + r")\b")


def lowercase_nationality(text: str, rng: random.Random, limit: int = 1) -> str:
    """Demonym or country name lower-cased mid-sentence ("japanese", "south korea").

    Sentence-initial ones are left alone, as the engine would capitalise them there.

    >>> lowercase_nationality("Exports of Japanese cars rose.", random.Random(0))
    'Exports of japanese cars rose.'
    """
    return _replace_some(text, _NATIONALITY_RE, lambda m: m.group(0).lower(), rng, limit)


# Function words after a comma, which an engine may capitalise as if they
# started a sentence ("..., And others").
_LEAK_RE = re.compile(r"(?<=, )(?P<word>and|but|while|which|the|or|as)\b")

# Two or three capitalised words inside a sentence, after a lower-case word
# and not followed by another capitalised word: a multiword name, whole.
_MULTIWORD_NAME_RE = re.compile(
    r"(?P<before>\b[a-z]+,? )(?P<name>(?:[A-Z][a-z]+[ \t]){1,2}[A-Z][a-z]+)\b(?! [A-Z])"
)


def leak_title_case(text: str, rng: random.Random, limit: int = 1) -> str:
    """Function word capitalised mid-sentence after a comma ("..., And others").

    >>> leak_title_case("Toyota, Honda and Nissan, and others rose.", random.Random(0))
    'Toyota, Honda and Nissan, And others rose.'
    """
    return _replace_some(text, _LEAK_RE, lambda m: m["word"].capitalize(), rng, limit)


def break_name_case(text: str, rng: random.Random, limit: int = 1) -> str:
    """Multiword name with all but its last word lower-cased ("second world War").

    >>> break_name_case("It was after the Second World War that it began.", random.Random(0))
    'It was after the second world War that it began.'
    """

    def lower_head(match: re.Match[str]) -> str:
        words = match["name"].split()
        return match["before"] + " ".join([word.lower() for word in words[:-1]] + words[-1:])

    return _replace_some(text, _MULTIWORD_NAME_RE, lower_head, rng, limit)


#: British spellings and their American forms. Neural engines trained mostly
#: on American text normalise some occurrences and not others.
BRITISH_TO_AMERICAN: dict[str, str] = {
    "colour": "color", "favour": "favor", "labour": "labor", "behaviour": "behavior",
    "honour": "honor", "neighbour": "neighbor", "centre": "center", "metre": "meter",
    "programme": "program", "defence": "defense", "licence": "license",
    "organisation": "organization", "privatisation": "privatization",
    "realise": "realize", "recognise": "recognize", "analyse": "analyze",
    "catalogue": "catalog", "cheque": "check", "tonne": "ton", "jewellery": "jewelry",
    "travelled": "traveled", "cancelled": "canceled", "modelling": "modeling",
    "fulfil": "fulfill", "ageing": "aging", "sceptical": "skeptical",
}  # fmt: skip

_BRITISH_RE = re.compile(
    r"\b(?P<stem>" + "|".join(sorted(BRITISH_TO_AMERICAN, key=len, reverse=True)) + r")"
    r"(?P<ending>s|d|ed|ing)?\b",
    re.IGNORECASE,
)


def americanize_spelling(text: str, rng: random.Random, limit: int = 1) -> str:
    """Some British spellings of a document turned American, the rest kept.

    A human writer keeps one standard; a document mixing "labour" and "labor"
    has been through something. American text is left as it is.

    >>> americanize_spelling("Labour costs rose, the labour minister said.", random.Random(0), 2)
    'Labor costs rose, the labor minister said.'
    """

    def americanize(match: re.Match[str]) -> str:
        stem = match["stem"]
        american = BRITISH_TO_AMERICAN[stem.lower()]
        if stem[:1].isupper():
            american = american.capitalize()
        return american + (match["ending"] or "")

    return _replace_some(text, _BRITISH_RE, americanize, rng, limit)


_PERCENT_WORD_RE = re.compile(r"(?<=\d)[ \t](?:percent|per cent)\b")
_PERCENT_SIGN_RE = re.compile(r"(?<=\d)%")


def swap_percent(text: str, rng: random.Random, limit: int = 1) -> str:
    """``percent`` written as ``%`` (or the other way), in part of a document only.

    News style writes one or the other throughout; an engine rewrites each
    sentence on its own and mixes them.

    >>> swap_percent("Sales rose 3 percent and costs 2 percent.", random.Random(0), 2)
    'Sales rose 3% and costs 2%.'
    >>> swap_percent("Sales rose 3%.", random.Random(0))
    'Sales rose 3 percent.'
    """
    if _PERCENT_WORD_RE.search(text):
        return _replace_some(text, _PERCENT_WORD_RE, lambda m: "%", rng, limit)
    return _replace_some(text, _PERCENT_SIGN_RE, lambda m: " percent", rng, limit)


#: Names an engine translates or transliterates differently from the source.
NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "Moon Jae-in": ("Mun Jae-in", "Moon Jae In"),
    "Park Geun-hye": ("Pak Geun-hye", "Park Kun-hye"),
    "Gaddafi": ("Qaddafi", "Kadhafi"),
    "Qaeda": ("Qaida",),
    "Mohammed": ("Muhammad", "Mohamed"),
    "Beijing": ("Peking",),
    "Mumbai": ("Bombay",),
    "Deutsche Bank": ("German Bank",),
    "Credit Suisse": ("Swiss Credit",),
    "Societe Generale": ("General Society",),
    "Wall Street Journal": ("Wall Street Newspaper",),
    "Financial Times": ("Financial Times newspaper",),
    "Federal Reserve": ("Federal Reservation",),
    "European Central Bank": ("Central European Bank",),
    "Bank of Japan": ("Japan Bank",),
    "Tokyo Stock Exchange": ("Stock Exchange of Tokyo",),
    "Medvedev": ("Medvedyev",),
    "Hu Jintao": ("Hu Jin Tao",),
}

_NAME_VARIANT_RE = re.compile(
    r"\b(?:"
    + "|".join(re.escape(name) for name in sorted(NAME_VARIANTS, key=len, reverse=True))
    + r")\b"
)


def respell_name(text: str, rng: random.Random, limit: int = 1) -> str:
    """Name translated or transliterated differently ("Swiss Credit", "Mun Jae-in").

    >>> respell_name("Shares of Credit Suisse fell.", random.Random(0))
    'Shares of Swiss Credit fell.'
    """
    return _replace_some(
        text, _NAME_VARIANT_RE, lambda m: rng.choice(NAME_VARIANTS[m.group(0)]), rng, limit
    )


# -- clause order and function words --------------------------------------------

# "X rose, the company said (on Monday)." -- a reporting clause ending a sentence.
# The speaker is an article and up to three lower-case words, or up to three
# capitalised ones; the tail a short adverbial ("on Monday", "in a statement").
_REPORTING_RE = re.compile(
    r"(?P<body>[^\n\"“”()]{12,}?), "
    r"(?P<who>(?:the|a|an)\ [a-z][\w'-]*(?:\ [a-z][\w'-]*){0,2}"
    r"|[A-Z][\w.'-]*(?:\ [A-Z][\w.'-]*){0,2}) "
    r"(?P<verb>said|says|told reporters|added)"
    r"(?P<tail> (?:on|in|at|late|earlier|last) [\w'-]+(?: [\w'-]+){0,2})?\."
)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in paragraph_spans(text):
        spans.extend(sentence_spans(text, start, end))
    return spans


# Common nouns that often open a news sentence and are not names.
_COMMON_SENTENCE_STARTS = frozenset(
    [
        "Shares",
        "Sales",
        "Profit",
        "Profits",
        "Revenue",
        "Prices",
        "Stocks",
        "Bonds",
        "Oil",
        "Gold",
        "Analysts",
        "Investors",
        "Officials",
        "Exports",
        "Imports",
        "Output",
        "Demand",
        "Growth",
        "Inflation",
        "Unemployment",
    ]
)


def _lower_first(body: str, text: str) -> str:
    """Lower-case the first word of a clause moved inside a sentence, unless a name."""
    first = body.split(" ", 1)[0]
    if first.isalpha() and re.search(r"\b" + re.escape(first.lower()) + r"\b", text):
        return first.lower() + body[len(first) :]
    if first.lower() in FUNCTION_WORDS or first in _COMMON_SENTENCE_STARTS:
        return first.lower() + body[len(first) :]
    return body


def move_reporting_clause(text: str, rng: random.Random, limit: int = 1) -> str:
    """Reporting clause moved to the front ("X rose, the firm said" -> "The firm said X rose").

    Both orders are English; a document where sentences end with the clause
    and some start with it has been rewritten clause by clause.

    >>> move_reporting_clause("Profit rose 5 percent, the company said.", random.Random(0))
    'The company said profit rose 5 percent.'
    >>> move_reporting_clause("Sales fell sharply, a spokesman said on Monday.", random.Random(0))
    'A spokesman said on Monday that sales fell sharply.'
    """
    candidates = []
    for start, end in _sentences(text):
        match = _REPORTING_RE.fullmatch(text, start, end)
        if match:
            candidates.append(match)
    rng.shuffle(candidates)
    chosen = sorted(candidates[:limit], key=lambda m: m.start())
    for match in reversed(chosen):
        who = match["who"]
        # With a tail ("said on Monday") the engine joins the clauses with "that".
        joint = f"{match['tail']} that " if match["tail"] else " "
        body = _lower_first(match["body"], text)
        moved = f"{who[:1].upper()}{who[1:]} {match['verb']}{joint}{body}."
        text = text[: match.start()] + moved + text[match.end() :]
    return text


#: Function words a round trip drops or doubles.
FUNCTION_WORDS_DROPPED = ("the", "a", "of", "to", "that", "an", "in")

_FUNCTION_WORD_RE = re.compile(
    r"(?<=[a-z] )(?P<word>" + "|".join(FUNCTION_WORDS_DROPPED) + r") (?=[a-z])"
)


def drop_function_word(text: str, rng: random.Random, limit: int = 1) -> str:
    """An article, preposition or ``that`` dropped mid-sentence.

    >>> drop_function_word("Shares rose after the results.", random.Random(0))
    'Shares rose after results.'
    """
    return _replace_some(text, _FUNCTION_WORD_RE, lambda m: "", rng, limit)


def double_function_word(text: str, rng: random.Random, limit: int = 1) -> str:
    """A function word doubled ("the the"), a decoder repetition slip.

    >>> double_function_word("Shares rose after the results.", random.Random(0))
    'Shares rose after the the results.'
    """
    return _replace_some(text, _FUNCTION_WORD_RE, lambda m: f"{m['word']} {m['word']} ", rng, limit)


#: Near-synonyms that are right in isolation and wrong in the collocation:
#: what a round trip through a language with one word for both gives back.
COLLOCATION_SWAPS: dict[str, tuple[str, ...]] = {
    "exports": ("outputs", "sales abroad"),
    "export": ("output",),
    "talks": ("conversations",),
    "shareholders": ("shareholders of actions", "stockholders of actions"),
    "stake": ("participation",),
    "quarter": ("trimester",),
    "forecast": ("prediction",),
    "outlook": ("perspective",),
    "warned": ("alerted",),
    "board": ("council",),
    "lawmakers": ("legislators",),
    "takeover": ("taking of control",),
    "bid": ("offer",),
    "earnings": ("gains",),
    "economists": ("economy experts",),
    "billion": ("thousand million",),
    "rally": ("recovery",),
    "slumped": ("sank",),
}  # fmt: skip

_COLLOCATION_RE = re.compile(r"\b(?:" + "|".join(sorted(COLLOCATION_SWAPS)) + r")\b")


def swap_collocation(text: str, rng: random.Random, limit: int = 1) -> str:
    """Near-synonym that breaks a collocation ("export" -> "output", "talks" -> "conversations").

    >>> swap_collocation("Trade talks resumed.", random.Random(0))
    'Trade conversations resumed.'
    """
    return _replace_some(
        text, _COLLOCATION_RE, lambda m: rng.choice(COLLOCATION_SWAPS[m.group(0)]), rng, limit
    )


# "it" as a subject (before a verb), where "he" stays grammatical, and "its".
_IT_RE = re.compile(
    r"\b(?P<word>[Ii]t(?= (?:said|says|is|was|has|had|will|would|could|can|expects|expected"
    r"|plans|planned|reported|posted|added|also|does|did|may|might|should|made|sold)\b)|[Ii]ts)\b"
)


def it_to_he(text: str, rng: random.Random, limit: int = 1) -> str:
    """ "it"/"its" of a company turned "he"/"his", from languages with gendered nouns.

    >>> it_to_he("The bank said it would cut its costs.", random.Random(0), 2)
    'The bank said he would cut his costs.'
    >>> it_to_he("We intend to hold onto it.", random.Random(0))
    'We intend to hold onto it.'
    """

    def gender(match: re.Match[str]) -> str:
        word = match["word"]
        new = "he" if word.lower() == "it" else "his"
        return new.capitalize() if word[0].isupper() else new

    return _replace_some(text, _IT_RE, gender, rng, limit)


# -- profiles -------------------------------------------------------------------

#: Every transformation by name.
TRANSFORMS: dict[str, Transform] = {
    function.__name__: function
    for function in (
        glue_ticker_suffix,
        lowercase_ticker_suffix,
        fake_exchange_suffix,
        drop_ticker_bracket,
        split_ticker_code,
        lowercase_index_code,
        name_to_common_noun,
        lowercase_nationality,
        leak_title_case,
        break_name_case,
        americanize_spelling,
        swap_percent,
        respell_name,
        move_reporting_clause,
        drop_function_word,
        double_function_word,
        swap_collocation,
        it_to_he,
    )
}

TICKER_TRANSFORMS = (
    "glue_ticker_suffix",
    "lowercase_ticker_suffix",
    "fake_exchange_suffix",
    "drop_ticker_bracket",
    "split_ticker_code",
    "lowercase_index_code",
)


@dataclass(frozen=True)
class Profile:
    """How much damage: which transformations, how many of them, how many places each."""

    transforms: tuple[str, ...]
    n_transforms: tuple[int, int]
    places: tuple[int, int]


#: Damage profiles: ``light`` a few sparse slips, ``heavy`` many, ``tickers``
#: instrument codes only.
PROFILES: dict[str, Profile] = {
    "light": Profile(tuple(TRANSFORMS), (2, 3), (1, 1)),
    "heavy": Profile(tuple(TRANSFORMS), (5, 8), (1, 3)),
    "tickers": Profile(TICKER_TRANSFORMS, (1, 2), (1, 2)),
}


@dataclass
class DamageResult:
    """Damaged text and the transformations that changed it, in order applied."""

    text: str
    steps: list[str] = field(default_factory=list)


def damage(text: str, profile: str, rng: random.Random) -> DamageResult:
    """Apply a damage profile to a text.

    Transformations are tried in random order until the profile's number of
    them has changed the text (those without a place to act are skipped), so
    ``steps`` lists only what happened; an empty list means the text is
    unchanged.
    """
    spec = PROFILES[profile]
    wanted = rng.randint(*spec.n_transforms)
    names = list(spec.transforms)
    rng.shuffle(names)
    steps: list[str] = []
    for name in names:
        if len(steps) >= wanted:
            break
        changed = TRANSFORMS[name](text, rng, rng.randint(*spec.places))
        if changed != text:
            steps.append(name)
            text = changed
    return DamageResult(text, steps)
