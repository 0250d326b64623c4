"""Case anomalies: lower-cased names, names that flip case, stray capitals.

Machine translation rebuilds English casing from the target-side model, and
round trips through languages that write adjectives of nationality, days and
months in lower case (French, Spanish, Italian, Russian, Czech) leave
``japanese``, ``monday`` and ``may 5`` behind. Surnames that are also common
words are translated as words, so ``President Moon`` comes back as ``the moon
said``, and a name re-cased word by word keeps a capital on one word only
(``time Warner``, ``second world War``: checked against the name written
whole elsewhere in the text, and against two-word names learnt from clean
news). Sentence splitting and re-joining leaves lower-case sentence starts,
and a lost bracket or full stop strands a capitalised function word in the
middle of a sentence (``the index rose And others fell``). Article spinners
swap a word for a synonym without re-casing it, with the same results.

What looks similar but is legitimate: headlines in Title Case and lines in
ALL CAPS (tables, wire slugs), which are skipped line by line; writers who
type everything in lower case (their lines are skipped, and a lower-case
pronoun ``i`` marks the whole text as typed that way, since neither MT nor a
spinner ever produces it); common-noun uses of names (``french fries``,
``fine china``, ``turkey``, ``polish``, ``may`` as a verb), which the tables
leave out or guard with context; attributions after a quotation (``"Why?" he
asked``) and abbreviations that end a sentence-like chunk (``9 a.m. local
time``), which do not count as lower-case sentence starts.

>>> result = extract("The talks in seoul ended on monday. President Moon met Abe. "
...                  "Later the moon said the talks And others went well.")
>>> sorted({e.name for e in result.evidence})
['casing.capitalised_common_word', 'casing.lowercase_proper_noun', 'casing.name_case_flip']
>>> extract("TOKYO STOCKS CLOSE HIGHER\\nShares Rise In Tokyo On Monday\\n").evidence
[]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import accumulate, chain, compress, pairwise
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from detector.features.base import (
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
    kept_on,
    rate,
    wholes_in_batch,
)
from detector.resources import Resources
from detector.text import WORD_RE, Document, Token, is_word

FAMILY = "casing"


def _words(text: str) -> frozenset[str]:
    """A word table written as one string: ``_words("a b") == {"a", "b"}``."""
    return frozenset(text.split())


FEATURE_NAMES: tuple[str, ...] = (
    # lower-cased countries, nationalities, languages, days, months, cities,
    # institutions, per 100 words
    "casing.lowercase_proper_noun_rate",
    # share of sentences that start with a lower-case word
    "casing.lowercase_sentence_start_share",
    # capitalised function words and common nouns mid-sentence, per 100 words
    "casing.capitalised_common_word_rate",
    # surnames used as names elsewhere but lower-cased in a name slot, per 100
    # words (surnames that are common English words weigh 1, others 0.5)
    "casing.name_case_flip_rate",
    # lower-case pronoun "i", per 100 words: a sign of a human typing casually
    "casing.lowercase_i_rate",
    # share of non-blank lines set as a headline (Title Case) or in ALL CAPS
    "casing.headline_line_share",
    # all case anomalies above (not "i", not headlines) per sentence
    "casing.anomaly_per_sentence",
    # lower-cased words that clean news writes only as names (learnt from the
    # language-model corpus, beyond the tables here: "jim", "apple"), per 100 words
    "casing.lowercase_known_name_rate",
)

COUNTRIES = _words(
    """
    afghanistan albania algeria angola argentina armenia australia austria azerbaijan
    bahrain bangladesh belarus belgium bolivia bosnia botswana brazil britain bulgaria
    cambodia cameroon canada chile china colombia croatia cuba cyprus denmark ecuador
    egypt england estonia ethiopia finland france germany ghana greece hungary iceland
    india indonesia iran iraq ireland israel italy japan kazakhstan kenya kosovo kuwait
    kyrgyzstan laos latvia lebanon libya lithuania luxembourg madagascar malawi malaysia
    mali mexico moldova mongolia montenegro morocco mozambique myanmar namibia nepal
    netherlands nicaragua nigeria norway oman pakistan palestine paraguay peru
    philippines poland portugal qatar romania russia rwanda scotland senegal serbia
    singapore slovakia slovenia somalia spain sudan sweden switzerland syria taiwan
    tajikistan tanzania thailand tunisia turkmenistan uganda ukraine uruguay uzbekistan
    venezuela vietnam wales yemen zambia zimbabwe america europe africa asia antarctica
    """
)  # left out: turkey, chad, guinea, jordan, georgia, niger (words or first names)

DEMONYMS = _words(
    """
    american british chinese japanese german french italian spanish russian korean
    indian canadian mexican brazilian australian european african asian israeli iranian
    iraqi syrian turkish greek swedish norwegian finnish austrian belgian irish scottish
    portuguese egyptian saudi pakistani vietnamese thai indonesian malaysian filipino
    taiwanese ukrainian swiss dutch nigerian kenyan argentine argentinian chilean
    colombian venezuelan peruvian cuban hungarian romanian bulgarian serbian croatian
    czech slovak lebanese jordanian kuwaiti qatari emirati moroccan algerian libyan
    tunisian ethiopian somali sudanese palestinian yemeni bangladeshi nepali mongolian
    kazakh uzbek afghan icelandic estonian latvian lithuanian slovenian belarusian
    muslim jewish islamic buddhist hindu sikh christian arab
    """
)  # left out: polish, danish, catholic, georgian, roman, persian (ordinary words)

# left out: mandarin (the fruit, the duck, the official)
LANGUAGES = _words("english cantonese arabic hindi urdu hebrew farsi swahili")

DAYS = _words("monday tuesday wednesday thursday friday saturday sunday")

# Months that are never ordinary words; may, march and august need a date.
MONTHS = _words("january february april june july september october november december")
AMBIGUOUS_MONTHS = frozenset({"may", "march", "august"})

CITIES = _words(
    """
    tokyo beijing shanghai london paris berlin moscow seoul washington frankfurt zurich
    geneva madrid milan vienna stockholm oslo helsinki copenhagen amsterdam dublin lisbon
    athens istanbul ankara tehran baghdad cairo dubai riyadh mumbai delhi bangalore
    karachi jakarta manila bangkok hanoi taipei melbourne toronto montreal vancouver
    chicago boston houston dallas atlanta miami detroit seattle ottawa osaka kyoto
    pyongyang kabul islamabad jerusalem damascus beirut nairobi johannesburg brasilia
    caracas bogota havana kiev kyiv warsaw prague budapest bucharest minsk munich
    stuttgart hamburg shenzhen guangzhou sydney
    """
)

INSTITUTIONS = _words("nato opec nasdaq unesco unicef interpol kremlin")

# Multi-word names whose words are ordinary on their own.
MULTIWORD_NAMES: frozenset[tuple[str, ...]] = frozenset(
    {
        ("south", "korea"), ("north", "korea"), ("south", "africa"), ("new", "zealand"),
        ("new", "york"), ("hong", "kong"), ("united", "states"), ("united", "kingdom"),
        ("united", "nations"), ("european", "union"), ("saudi", "arabia"), ("sri", "lanka"),
        ("costa", "rica"), ("puerto", "rico"), ("new", "delhi"), ("los", "angeles"),
        ("san", "francisco"), ("las", "vegas"), ("buenos", "aires"), ("kuala", "lumpur"),
        ("tel", "aviv"), ("abu", "dhabi"), ("world", "bank"), ("wall", "street"),
        ("european", "commission"), ("european", "central", "bank"), ("federal", "reserve"),
        ("international", "monetary", "fund"), ("middle", "east"), ("latin", "america"),
        ("south", "america"), ("north", "america"), ("east", "timor"), ("el", "salvador"),
        ("czech", "republic"), ("soviet", "union"), ("white", "house"),
        ("bank", "of", "england"), ("bank", "of", "japan"), ("sao", "paulo"),
    }
)  # fmt: skip
MULTIWORD_FIRST = frozenset(name[0] for name in MULTIWORD_NAMES)


def _kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for words, kind in (
        (COUNTRIES, "a country"),
        (DEMONYMS, "a nationality or faith"),
        (LANGUAGES, "a language"),
        (DAYS, "a day of the week"),
        (MONTHS | AMBIGUOUS_MONTHS, "a month"),
        (CITIES, "a city"),
        (INSTITUTIONS, "an institution"),
    ):
        for word in words:
            kinds.setdefault(word, kind)
    return kinds


PROPER_NOUN_KIND: Mapping[str, str] = _kinds()

# Following words that make a lower-case name an ordinary noun phrase.
COMMON_NOUN_FOLLOWERS: Mapping[str, frozenset[str]] = {
    "french": _words(
        "fries fry toast doors door windows kiss press horn braid dressing bread manicure "
        "polish bean beans curve knickers letter"
    ),
    "swiss": _words("cheese chard army roll"),
    "dutch": _words("oven courage uncle auction door treat"),
    "greek": _words("yogurt yoghurt salad"),
    "turkish": _words("delight bath coffee"),
    "russian": _words("roulette dressing doll dolls"),
    "mexican": _words("wave standoff"),
    "spanish": _words("fly omelette omelet"),
    "english": _words("muffin muffins breakfast mustard horn"),
    "irish": _words("coffee stew setter"),
    "german": _words("shepherd shepherds measles"),
    "italian": _words("dressing"),
    "arabic": _words("numerals numeral"),
    "indian": _words("ink summer"),
    "india": _words("ink rubber"),
    "canadian": _words("bacon"),
    "belgian": _words("waffle waffles"),
    "brazilian": _words("wax"),
    "china": _words("cabinet dishes plates plate set shop clay doll pattern cup cups"),
    "afghan": _words("hound hounds blanket"),
    "thai": _words("basil"),
    "manila": _words("envelope envelopes folder folders paper hemp rope"),
    "hamburg": _words("steak"),
}
COMMON_NOUN_PRECEDERS: Mapping[str, frozenset[str]] = {
    "china": _words("fine bone porcelain best"),
}

# Words that date an ambiguous month: "may 5", "in march 2020".
DATE_FOLLOWER_RE = re.compile(
    r"""
    # a day of the month, but not an amount: "may 5" yes, "may 5 percent" no
    # (at most a few spaces: an unbounded run would be rescanned from each of
    # its positions)
    \s{1,4}(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b
    (?![.,]?\d|\s*(?:%|percent|per\s+cent|million|billion|times|people|years|of\b))
    # a year
    | \s{1,4}(?:19|20)\d\d\b
    """,
    re.VERBOSE,
)

# Lower-case words that may open a sentence: name particles (de Gaulle).
LOWERCASE_OPENERS = _words("de van von da du del della der den le la al el bin ibn di dos")

# Words before a full stop that do not end a sentence; the splitter sometimes
# cuts after them and the next chunk then starts in lower case legitimately.
ABBREVIATIONS = _words(
    """
    inc corp co ltd plc llc jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues
    wed thu thur thurs fri sat sun no nos vs etc approx est dept gov gen col lt sgt capt
    cmdr adm rev prof dr mr mrs ms st ave blvd rd mt ft fig figs vol ch pp ed eds al cf
    viz ca jr sr bros assn univ min max sen rep pres govt intl op sq oz lb lbs yr yrs
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo
    mont neb nev okla ore pa tenn tex va vt wash wis wyo
    """
)

# Function words and frequent common nouns that MT or a spinner leaves
# capitalised mid-sentence; names never take these forms followed by a
# lower-case word. Left out on purpose: single letters (Class A), "His"/"Her"
# (religious use), "Be"/"It"/"Us" (symbols and titles), institution nouns
# such as "Government" or "Bank" (British house style capitalises them).
CAPITALISED_COMMON_WORDS = _words(
    """
    And Or But Nor The An Of To In On At For With From By As Into Onto Over Under After
    Before About Than That This These Those Which Who Whom Whose Its Their Our Your Is
    Are Was Were Been Has Have Had Will Would Should Can Could Not Also Others Other Some
    Any Each Every Such Very More Most Many Much Where When While Because Although If
    Then There They He She We Them Said Says
    """
)
# Common nouns: flagged when a lower-case content word follows ("world War
# ended"), so titles such as "Player of the Year" or "65 Years of" are spared.
CAPITALISED_COMMON_NOUNS = _words("War Year Years Percent Shares Prices")

REPORTING_VERBS = _words(
    """
    said says told added noted stated wrote explained argued insisted warned announced
    asked replied stressed urged declared tweeted admitted acknowledged confirmed denied
    predicted estimated
    """
)

# Lower-case words that stand before a name as well as inside one: "former
# Enron", "western Europe", "de Graaf", "executive Rex Tillerson" beside
# "Former Enron", "Western Europe", "De Graaf", "Chief Executive Rex".
NAME_MODIFIERS = _words(
    """
    former late then ex western eastern northern southern central north south east west
    de da di du del della der den van von la le el al bin ben ter
    two three four five six seven eight nine ten
    executive officer director manager chief founder economist strategist head vice
    """
)

# Verbs a person does, which put "the" and a lower-case word before them in a
# name slot: "the moon took part" for "Moon took part".
PERSON_VERBS = _words(
    """
    said says told added noted took met visited called urged asked arrived left signed
    spoke stressed ordered announced vowed pledged promised warned argued insisted
    praised criticised criticized welcomed rejected agreed attended expressed
    """
)

# Title words that put the next word in a name slot: "President Moon".
TITLES = _words(
    """
    mr mrs ms dr president minister premier chancellor senator sen governor gov judge
    chairman chairwoman ceo secretary professor prof general gen leader pm mayor prince
    princess pope sheikh emir lord lady sir dame coach captain capt speaker
    """
)

# Capitalised nouns that stand before "said" as institutions or roles, not as
# surnames: "the Government said" is British style, "the government said" too.
ROLE_WORDS = _words(
    """
    minister president chairman chairwoman secretary spokesman spokeswoman spokesperson
    governor government company bank court party group council agency police army
    department committee commission board ministry treasury fund union office embassy
    statement report source sources analyst analysts officials official prosecutors
    judge premier chancellor prime senator king queen prince pope exchange regulator
    cabinet parliament senate house navy agency federation association institute
    traders dealers economists executives investors analysts strategists brokers
    builders bankers lawyers experts residents witnesses diplomats authorities
    administration authority service institute organization organisation bureau reserve
    public people foundation university center centre corporation network times post
    journal news press police command forces council coalition alliance
    """
)

# Surnames that are also common English words: these are the ones a
# translation engine renders as words (Moon -> moon, Park -> park).
COMMON_WORD_SURNAMES = _words(
    """
    moon park rice bush brown white black green king young hill wood stone rose cook
    baker smith fox bird lamb bean bell cash love gold little long short page price
    rich wise hall ford banks lane field sterling hunter fisher carpenter mason cole
    frank bond gray grey shepherd steel sun song kim ma gao hu wang lin wolf summers
    """
)

# A function word in lower case: never a surname candidate ("may said" is not
# Theresa May lower-cased, it is a split sentence).
LOWER_FUNCTION_WORDS = _words(
    """
    a an the this that these those some any no every each all both other another such
    what which who whom whose i me my you your he him his she her it its we us our they
    them their about above across after against along among around as at before behind
    below between beyond but by despite down during for from in into like near of off on
    onto out over past per since through to toward towards under until up upon via with
    within without and or nor so yet because although though while if unless whether
    than once when where why how also be am is are was were been being have has had do
    does did will would shall should can could may might must not never only just even
    still very here there then now ago more most many much few less
    """
)

#: Zipf frequency from which a capitalised word counts as a common English word.
COMMON_WORD_ZIPF = 3.5

# A surname before a Korean-style given name: Moon Jae-in, Park Geun-hye. (The
# surname starts at a word boundary; the look-behind follows its capital, so
# that a search jumps from capital to capital.)
SURNAME_BEFORE_GIVEN_NAME_RE = re.compile(
    r"(?P<surname>[A-Z](?<!\w[A-Z])[a-z]+) [A-Z][a-z]+-[a-z]+\b"
)

# Surnames written before a hyphenated given name in English news: Korean and
# Chinese ones (Moon Jae-in, Ma Ying-jeou). Any other capitalised English word
# there is a surname a round trip translated as a word: "Ahn" came back as
# "Low", "Moon" as "Moon" because it is one of these.
EAST_ASIAN_SURNAMES = _words(
    """
    kim lee yi rhee park pak choi choe jung jeong chung kang cho jo yoon yun jang chang
    lim im han oh seo suh shin sin kwon hwang ahn an song yoo yu ryu hong jeon chun go ko
    moon mun yang son bae baek paik heo hur nam noh roh ha kwak sung cha joo ju woo min
    na jin ji um eom chae won cheon bang gong hyun ham byun yeom yeo chu do seol ku gu koo
    ma chen
    wang li zhang liu lin huang wu hsu xu tsai cai su lai hu xi wen zhu zhou zhao sun guo
    he luo gao zheng xie tang feng deng cao peng zeng xiao tian dong pan yuan jiang lu
    wei shen qian kong tan ong teo goh ng lau leung wong cheung tse chow lam
    """
)

# A chunk opening with a bracket, a dash or an ellipsis continues a sentence:
# "(additional reporting by ...)", "-- which includes ...".
CONTINUATION_OPENERS = frozenset("( [ - – — … .".split())

# Line-start bullets and dashes that may precede a sentence's first word.
LEADING_PUNCTUATION = frozenset("\"'“”‘’([{-–—*•·>#")

# What the main loop does with a token, as bit flags in one lookup.
_REPORTING, _TITLE, _PRONOUN_I, _PROPER, _STRAY = 1, 2, 4, 8, 16


def _token_actions() -> dict[str, int]:
    actions: dict[str, int] = {}

    def mark(words: frozenset[str] | set[str], flag: int) -> None:
        for word in words:
            actions[word] = actions.get(word, 0) | flag

    mark(REPORTING_VERBS, _REPORTING)
    mark(TITLES | {title.capitalize() for title in TITLES}, _TITLE)
    mark({"i"}, _PRONOUN_I)
    mark(set(PROPER_NOUN_KIND) | MULTIWORD_FIRST, _PROPER)
    mark(CAPITALISED_COMMON_WORDS | CAPITALISED_COMMON_NOUNS, _STRAY)
    return actions


TOKEN_ACTIONS: Mapping[str, int] = _token_actions()

# Characters that glue a word into a URL, e-mail, hashtag or file name.
URL_GLUE = frozenset("./@#_\\:=")

LINE_BREAK_RE = re.compile(r"\n")
LOWER_WORD_RE = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
CAPS_WORD_RE = re.compile(r"(?<![\w'’-])[A-Z]{2,}(?![\w'’-])")
UPPER_RE = re.compile(r"[A-Z]")
# Three lower-case words in a row: running prose, never a headline or caps line.
PROSE_RUN_RE = re.compile(r"\b[a-z]{2,} [a-z]{2,} [a-z]{3,}\b")


def _line_starts(text: str) -> list[int]:
    """Offsets at which lines start.

    >>> _line_starts("ab\\ncd\\n")
    [0, 3, 6]
    """
    return [0] + [match.end() for match in LINE_BREAK_RE.finditer(text)]


def line_style(line: str) -> str:
    """How a line is set: ``headline``, ``caps``, ``lowercase``, ``blank`` or ``prose``.

    A headline keeps every content word capitalised; a caps line has most
    words in capitals; a lower-case line (two words or more without a single
    capital) is a writer's habit. Casing rules say nothing about those three.

    >>> [line_style(x) for x in ("Shares Rise on Strong Yen", "The yen rose.",
    ...                          "CLOSE UP 2 PCT", "ok then i go", " ")]
    ['headline', 'prose', 'caps', 'lowercase', 'blank']
    """
    if UPPER_RE.search(line) is None:
        n_words = len(WORD_RE.findall(line))
        if n_words == 0:
            return "blank"
        return "lowercase" if n_words >= 2 else "prose"
    if PROSE_RUN_RE.search(line) is not None:
        return "prose"
    n_words = len(WORD_RE.findall(line))
    caps = len(CAPS_WORD_RE.findall(line))
    if caps >= 2 and caps >= 0.6 * n_words:
        return "caps"
    lowers = LOWER_WORD_RE.findall(line)
    if len(lowers) <= n_words // 2 + 1:
        content = sum(1 for word in lowers if word not in LOWER_FUNCTION_WORDS)
        if n_words - len(lowers) >= 2 and content <= n_words // 10:
            return "headline"
    return "prose"


class _Lines:
    """Line styles of a text, worked out only for the lines that are asked about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = _line_starts(text)
        self._styles: dict[int, str] = {}

    def style(self, index: int) -> str:
        style = self._styles.get(index)
        if style is None:
            start = self.starts[index]
            end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
            style = self._styles[index] = line_style(self.text[start:end])
        return style

    def skipped(self, position: int) -> bool:
        """True if the line holding ``position`` is a headline, caps or lower-case line."""
        index = 0 if len(self.starts) == 1 else bisect_right(self.starts, position) - 1
        return self.style(index) not in {"prose", "blank"}

    def headline_share(self) -> float:
        """Share of non-blank lines set as headlines or in capitals."""
        styles = [self.style(index) for index in range(len(self.starts))]
        non_blank = sum(1 for style in styles if style != "blank")
        return rate(sum(1 for style in styles if style in {"headline", "caps"}), non_blank)


def _glued_into_url(text: str, token: Token) -> bool:
    """True when a word is part of a URL, address, hashtag or file name."""
    before = text[token.start - 1] if token.start else " "
    after = text[token.end] if token.end < len(text) else " "
    after_next = text[token.end + 1] if token.end + 1 < len(text) else " "
    return before in URL_GLUE or (after in URL_GLUE and after_next.isalnum())


def _continues_previous(text: str, start: int) -> bool:
    """True when a chunk starting at ``start`` is not really a new sentence.

    That is the case after a closing quotation ("Why?" he asked), after an
    abbreviation or initials (9 a.m. local time, Google Inc. said), after a
    list number (1. the first), after an ellipsis and after an exclamation
    mark, which brand names carry (Yahoo! and Microsoft).

    >>> text = '"Why now?" he asked. Shares rose at 9 a.m. local time.'
    >>> _continues_previous(text, text.index("he")), _continues_previous(text, text.index("local"))
    (True, True)
    """
    cursor = start
    while cursor > 0 and text[cursor - 1].isspace():
        cursor -= 1
    if cursor == 0:
        return False
    last = text[cursor - 1]
    if last in "\"'”’)]…:;,!":
        return True
    if last != ".":
        return False
    if cursor >= 2 and text[cursor - 2] == ".":
        return True  # ellipsis
    word_end = cursor - 1
    word_start = word_end
    while word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:word_end]
    return len(word) <= 1 or "." in word or word.isdigit() or word.lower() in ABBREVIATIONS


class _Scan(NamedTuple):
    """A document's tokens in sentence order and the positions worth a closer look.

    The loops over a document's words test each word first for a cheap
    property (capitalised, after ``the``, a learnt name); the positions that
    pass are found for a whole batch at once with array operations on one
    lookup per token (:func:`_word_flags`), and only they are looked at word
    by word.
    """

    #: every token of every sentence, sentence after sentence
    tokens: list[Token]
    #: each token's index inside its sentence
    local: np.ndarray
    #: a capitalised word after a capitalised word, third word of its sentence or later
    pairs: list[int]
    #: a lower-case content word between "the" and a verb a person does
    slots: list[int]
    #: a capitalised word after a lower-case one, third word of its sentence or later
    broken: list[int]
    #: a lower-case word clean news writes only as a name, not opening its sentence
    known: list[int]


# What the batch scan knows of a word, as bit flags (see _word_flags).
_UPPER_FIRST, _LOWER_FIRST, _CAPITALISED, _THE, _SLOT_WORD, _PERSON_VERB = 1, 2, 4, 8, 16, 32


@lru_cache(maxsize=1 << 16)
def _word_flags(word: str) -> int:
    """The properties :func:`_scan` looks for, of one token (memoised: words repeat).

    >>> _word_flags("Warner") == _UPPER_FIRST | _CAPITALISED
    True
    >>> _word_flags("the") == _LOWER_FIRST | _THE
    True
    """
    flags = 0
    if word[:1].isupper():
        flags |= _UPPER_FIRST
    if word[:1].islower():
        flags |= _LOWER_FIRST
    if _is_capitalised(word):
        flags |= _CAPITALISED
    if word in {"the", "The"}:
        flags |= _THE
    if word.islower() and _is_plain_word(word) and word not in LOWER_FUNCTION_WORDS:
        flags |= _SLOT_WORD
    if word in PERSON_VERBS:
        flags |= _PERSON_VERB
    return flags


def _scan(docs: Sequence[Document], known: frozenset[str]) -> list[_Scan]:
    """The :class:`_Scan` of each document of a batch, computed for the batch at once.

    Everything a scan holds depends on a token and its sentence, and a part
    (see :meth:`~detector.text.Document.part`) is a run of its document's
    sentences: a part whose document is in the batch takes its share of the
    document's scan.

    >>> doc = Document.of("Shares of Time Warner rose.\\n\\nThen the moon said no.")
    >>> scan = _scan([doc], frozenset())[0]
    >>> [scan.tokens[i].text for i in scan.pairs], [scan.tokens[i].text for i in scan.slots]
    (['Warner'], ['moon'])
    >>> part = doc.part(*doc.paragraphs[1])
    >>> shared, alone = _scan([doc, part], frozenset())[1], _scan([part], frozenset())[0]
    >>> shared.tokens == alone.tokens, shared.local.tolist() == alone.local.tolist()
    (True, True)
    >>> shared[2:] == alone[2:], [shared.tokens[i].text for i in shared.slots]
    (True, ['moon'])
    """
    wholes = wholes_in_batch(docs)
    read = [index for index, whole in enumerate(wholes) if whole is None]
    if len(read) == len(docs):
        return _scan_read(docs, known)
    scans: dict[int, _Scan] = dict(
        zip(read, _scan_read([docs[i] for i in read], known), strict=True)
    )
    firsts: dict[int, list[int]] = {}  # each document's first token of each sentence, and the end
    found = []
    for index, whole in enumerate(wholes):
        if whole is None:
            found.append(scans[index])
            continue
        at, first, last = whole
        if at not in firsts:
            sizes = map(len, docs[at].sentence_tokens)
            firsts[at] = [0, *accumulate(sizes)]
        low, high = firsts[at][first], firsts[at][last]
        of = scans[at]
        found.append(
            _Scan(
                list(chain.from_iterable(docs[index].sentence_tokens)),
                of.local[low:high],
                *(
                    [
                        position - low
                        for position in positions[
                            bisect_left(positions, low) : bisect_left(positions, high)
                        ]
                    ]
                    for positions in (of.pairs, of.slots, of.broken, of.known)
                ),
            )
        )
    return found


def _scan_read(docs: Sequence[Document], known: frozenset[str]) -> list[_Scan]:
    """:func:`_scan` of documents read token by token."""
    tokens_of = [list(chain.from_iterable(doc.sentence_tokens)) for doc in docs]
    words = list(map(itemgetter(0), chain.from_iterable(tokens_of)))
    total = len(words)
    sizes = np.fromiter(
        map(len, chain.from_iterable(doc.sentence_tokens for doc in docs)), dtype=np.int64
    )
    first = np.repeat(np.cumsum(sizes) - sizes, sizes)
    local = np.arange(total) - first
    length = np.repeat(sizes, sizes)
    flags = np.fromiter(map(_word_flags, words), dtype=np.int64, count=total)
    before = np.zeros(total, dtype=np.int64)  # the flags of the word before, in its sentence
    before[1:] = flags[:-1]
    before[local == 0] = 0
    after = np.zeros(total, dtype=np.int64)  # ...and of the word after
    after[:-1] = flags[1:]
    after[local + 1 >= length] = 0
    pairs = (flags & before & _CAPITALISED).astype(bool) & (local >= 2)
    slots = (
        (before & _THE).astype(bool)
        & (flags & _SLOT_WORD).astype(bool)
        & (after & _PERSON_VERB).astype(bool)
    )
    broken = (flags & _UPPER_FIRST).astype(bool) & (before & _LOWER_FIRST).astype(bool)
    broken &= local >= 2
    # few of a text's words are names clean news never writes in lower case
    names = {word for word in known.intersection(words) if word.islower()} - PROPER_NOUN_KIND.keys()
    if names:
        learnt = np.fromiter(map(names.__contains__, words), dtype=bool, count=total)
        learnt &= local >= 1
    else:
        learnt = np.zeros(total, dtype=bool)
    # the positions of a whole batch found at once, then handed to their documents
    ends = np.cumsum([len(tokens) for tokens in tokens_of]).tolist()
    found = [_by_document(np.flatnonzero(where).tolist(), ends)
             for where in (pairs, slots, broken, learnt)]  # fmt: skip
    scans = []
    position = 0
    for index, (tokens, end) in enumerate(zip(tokens_of, ends, strict=True)):
        scans.append(_Scan(tokens, local[position:end], *(each[index] for each in found)))
        position = end
    return scans


def _actions(doc: Document) -> list[int | None]:
    """:data:`TOKEN_ACTIONS` of each token of a document, kept on it.

    A part (see :meth:`~detector.text.Document.part`) holds its document's
    tokens that start inside it, so it takes their actions from its
    document's when the document has them.

    >>> doc = Document.of("Sales rose in japan.\\n\\nThe moon said no.")
    >>> part = doc.part(*doc.paragraphs[1])
    >>> _actions(doc)[5:] == _actions(part)
    True
    >>> _actions(part) == [TOKEN_ACTIONS.get(token.text) for token in part.tokens]
    True
    """
    actions: list[int | None] | None = doc.__dict__.get("_actions")
    if actions is None:
        within = doc.__dict__.get("_within")
        whole = within[0].__dict__.get("_actions") if within is not None else None
        if within is not None and whole is not None:
            low = bisect_left(within[0].token_starts, doc.__dict__["_offset"])
            actions = whole[low : low + len(doc.tokens)]
        else:
            actions = list(map(TOKEN_ACTIONS.get, map(itemgetter(0), doc.tokens)))
        doc.__dict__["_actions"] = actions
    return actions


def _by_document(positions: list[int], ends: list[int]) -> list[list[int]]:
    """Sorted positions of a batch, split by document and counted from each one's start.

    >>> _by_document([0, 2, 3, 7], [3, 3, 8])
    [[0, 2], [], [0, 4]]
    """
    split: list[list[int]] = []
    start = low = 0
    for end in ends:
        high = bisect_right(positions, end - 1, low)
        split.append([position - start for position in positions[low:high]])
        start, low = end, high
    return split


class _Findings(NamedTuple):
    """Everything :func:`_find` saw in a document, from which values and evidence follow."""

    proper: list[Evidence]
    known_names: list[Evidence]
    lower_starts: list[Evidence]
    capitalised: list[Evidence]
    flips: list[Evidence]
    flip_weight: float
    lowercase_i: int
    lines: _Lines


def transform(docs: Sequence[Document], resources: Resources | None = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document.

    >>> transform([Document.of("Exports to south korea rose."), Document.of("")]).tolist()[1]
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    """
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    for index, (doc, scan) in enumerate(zip(docs, _scan(docs, _known(resources)), strict=True)):
        if doc.tokens:
            found = kept_on(doc, FAMILY, resources, _find, doc, resources, scan)
            rows[index] = _values(doc, found)
    return rows


def evidence(doc: Document, resources: Resources | None = None) -> list[Evidence]:
    """The case anomalies of one document, in text order."""
    if not doc.tokens:
        return []
    found = kept_on(
        doc,
        FAMILY,
        resources,
        lambda: _find(doc, resources, _scan([doc], _known(resources))[0]),
    )
    return sorted(
        found.proper + found.known_names + found.lower_starts + found.capitalised + found.flips,
        key=lambda e: e.start,
    )


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Measure case anomalies in ``text`` (a batch of one).

    Parameters
    ----------
    text : str or Document
        The text, or a :class:`~detector.text.Document` built from it.
    resources : Resources, optional
        A model's resources: their :attr:`~detector.resources.Resources.proper_words`
        add the names learnt from clean text to the tables here.

    Returns
    -------
    FeatureResult
        Every name in :data:`FEATURE_NAMES`. Evidence marks lower-cased
        names, lower-case sentence starts, stray capitals and name flips.

    Examples
    --------
    >>> r = extract("Exports to south korea rose. the yen fell in may 2012.")
    >>> [e.snippet for e in r.evidence]
    ['south korea', 'the', 'may']
    """
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)


def _known(resources: Resources | None) -> frozenset[str]:
    return resources.proper_words if resources is not None else frozenset()


def _values(doc: Document, found: _Findings) -> list[float]:
    """The values of :data:`FEATURE_NAMES` from a document's findings."""
    words = max(doc.n_words, 1)
    sentences = max(len(doc.sentences), 1)
    anomalies = (
        len(found.proper) + len(found.lower_starts) + len(found.capitalised) + found.flip_weight
    )
    return [
        rate(len(found.proper), words, 100),
        rate(len(found.lower_starts), sentences),
        rate(len(found.capitalised), words, 100),
        rate(found.flip_weight, words, 100),
        rate(found.lowercase_i, words, 100),
        found.lines.headline_share(),
        rate(anomalies, sentences),
        rate(len(found.known_names), words, 100),
    ]


def _find(doc: Document, resources: Resources | None, scan: _Scan) -> _Findings:
    """The case anomalies of a document with tokens, and what its values need."""
    source = doc.text
    lines = _Lines(source)

    proper: list[Evidence] = []
    known_names: list[Evidence] = []
    lower_starts: list[Evidence] = []
    capitalised: list[Evidence] = []
    surnames: set[str] = set()
    slot_candidates: list[Token] = []
    lowercase_i = 0

    tokens = doc.tokens
    n_tokens = len(tokens)
    # global index of each sentence's first token, and of its first word
    sentence_first: list[int] = []
    sentence_opening: list[int] = []
    offset = 0
    for sentence in doc.sentence_tokens:
        opening = 0
        while opening < len(sentence) and sentence[opening].text in LEADING_PUNCTUATION:
            opening += 1
        sentence_first.append(offset)
        sentence_opening.append(offset + opening)
        if opening < len(sentence):
            lower_start = _lower_start(source, sentence, opening, lines)
            if lower_start is not None:
                lower_starts.append(lower_start)
        offset += len(sentence)

    def bounds(index: int) -> tuple[int, int, int]:
        """First token, first word and end (exclusive) of the sentence of ``index``."""
        k = bisect_right(sentence_first, index) - 1
        end = sentence_first[k + 1] if k + 1 < len(sentence_first) else n_tokens
        return sentence_first[k], sentence_opening[k], end

    translated: list[Evidence] = []
    english = resources.english_zipf if resources is not None else {}
    for match in SURNAME_BEFORE_GIVEN_NAME_RE.finditer(source):
        surname = match.group("surname")
        if surname.lower() in ROLE_WORDS or lines.skipped(match.start()):
            continue
        surnames.add(surname.lower())
        syllable = match.group(0).rsplit("-", 1)[1]
        if (
            surname.lower() not in EAST_ASIAN_SURNAMES
            and english.get(surname.lower(), 0.0) >= COMMON_WORD_ZIPF
            # "New York-based", "Sri Lankan-born": an English word after the hyphen
            and (len(syllable) <= 2 or english.get(syllable, 0.0) < COMMON_WORD_ZIPF)
            and match.start() > 0  # not the first word of the text, capitalised anyway
            and not source.startswith("-", match.end())  # "Rent-a-Car"
        ):
            end = match.start("surname") + len(surname)
            translated.append(
                evidence_at(
                    source, FAMILY, "casing.name_case_flip", match.start("surname"), end,
                    f"`{surname}` before a Korean or Chinese given name is an English "
                    "word, not a surname: a name translated as a word",
                )
            )  # fmt: skip

    actions = _actions(doc)
    for index in compress(range(n_tokens), actions):
        action = actions[index] or 0
        token = tokens[index]
        word = token.text
        first, opening, end = bounds(index)
        if action & _REPORTING and index > first:
            before = tokens[index - 1]
            if before.text.islower():
                if before.text not in LOWER_FUNCTION_WORDS and _is_plain_word(before.text):
                    slot_candidates.append(before)
            elif index - 1 > opening:
                _note_surname(before, lines, surnames)
        if action & _TITLE and index + 1 < end:
            after = tokens[index + 1]
            if after.text.islower():
                if after.text not in LOWER_FUNCTION_WORDS and _is_plain_word(after.text):
                    slot_candidates.append(after)
            else:
                _note_surname(after, lines, surnames)
        if action & _PRONOUN_I:
            previous = tokens[index - 1].text if index > first else ""
            following = tokens[index + 1].text if index + 1 < end else ""
            if previous != "(" and following not in {")", "."}:
                lowercase_i += 1
        if action & _PROPER:
            hit = _lowercase_name(source, tokens, index, first, end)
            if hit is not None and not lines.skipped(token.start):
                stop, kind = hit
                proper.append(
                    evidence_at(
                        source, FAMILY, "casing.lowercase_proper_noun", token.start, stop,
                        f"`{source[token.start:stop]}` is {kind} written in lower case",
                    )
                )  # fmt: skip
        if action & _STRAY and index > opening:
            previous = tokens[index - 1].text
            following = tokens[index + 1].text if index + 1 < end else ""
            if _stray_capital(word, previous, following) and not lines.skipped(token.start):
                capitalised.append(
                    evidence_at(
                        source, FAMILY, "casing.capitalised_common_word", token.start,
                        token.end, f"`{word}` is capitalised in the middle of a sentence",
                    )
                )  # fmt: skip

    if len(scan.known):
        covered = {item.start for item in proper}
        for position in scan.known:
            token = scan.tokens[position]
            word = token.text
            if (
                token.start not in covered
                and not _glued_into_url(source, token)
                and not lines.skipped(token.start)
            ):
                known_names.append(
                    evidence_at(
                        source, FAMILY, "casing.lowercase_known_name", token.start,
                        token.end, f"`{word}` is written in clean news only as a name, "
                        f"capitalised: `{word.capitalize()}`",
                    )
                )  # fmt: skip

    pairs = _name_pairs(scan, lines, surnames, slot_candidates)
    flips: list[Evidence] = list(translated)
    flip_weight = float(len(translated))
    learnt = resources.name_pairs if resources is not None else frozenset()
    for head, tail in _broken_pairs(scan, lines, pairs, learnt):
        flip_weight += 1.0
        name = f"{head.text.capitalize()} {tail.text}"
        note = f"`{source[head.start : tail.end]}` is the name `{name}` with a word lower-cased"
        flips.append(
            evidence_at(source, FAMILY, "casing.name_case_flip", head.start, tail.end, note)
        )
    flagged = {item.start for item in flips}
    for token in slot_candidates:
        if token.start in flagged:
            continue
        flagged.add(token.start)
        if token.text in surnames and not lines.skipped(token.start):
            flip_weight += 1.0 if token.text in COMMON_WORD_SURNAMES else 0.5
            note = f"`{token.text}` is a surname elsewhere in the text but lower-cased here"
            flips.append(
                evidence_at(source, FAMILY, "casing.name_case_flip", token.start, token.end, note)
            )

    n_sentences = len(doc.sentences)
    informal = lowercase_i > 0 or (n_sentences >= 4 and len(lower_starts) > n_sentences / 2)
    if informal:
        # lower case is this writer's habit, not an artifact
        proper, known_names, lower_starts = [], [], []

    return _Findings(
        proper, known_names, lower_starts, capitalised, flips, flip_weight, lowercase_i, lines
    )


def _is_plain_word(word: str) -> bool:
    """A word token (letters, inner hyphens or apostrophes), not a code or number."""
    return word[0].isalpha() and "." not in word


def _is_capitalised(word: str) -> bool:
    """A word in Title case: ``Warner``, not ``warner``, ``WARNER`` or ``3M``."""
    return word[:1].isupper() and word.isalpha() and not word.isupper()


def _name_pairs(
    scan: _Scan, lines: _Lines, surnames: set[str], slot_candidates: list[Token]
) -> set[tuple[str, str]]:
    """Two-word names of the text (``Time Warner``), in lower case; add surnames and slots.

    The second word of a two-word name inside a sentence is a surname
    candidate when it is also a common word (``Mike White``). A lower-case
    word between ``the`` and a verb a person does (``the moon took part``)
    is in a name slot: it is added to ``slot_candidates``.

    >>> doc = Document.of("Shares of Time Warner rose. Then analyst Mike White met the moon.")
    >>> surnames, slots = set(), []
    >>> pairs = _name_pairs(_scan([doc], frozenset())[0], _Lines(doc.text), surnames, slots)
    >>> sorted(pairs), sorted(surnames)
    ([('mike', 'white'), ('time', 'warner')], ['white'])
    """
    pairs: set[tuple[str, str]] = set()
    tokens, local = scan.tokens, scan.local
    # both kinds of name slot follow a capital or "the"; a name's second word
    # is capitalised after a capitalised word, never its sentence's first two
    for position in scan.pairs:
        index = local[position]
        token = tokens[position]
        word, previous = token.text, tokens[position - 1].text
        ends_sentence = position + 1 == len(tokens) or local[position + 1] == 0
        following = "" if ends_sentence else tokens[position + 1].text
        earlier = tokens[position - 2].text
        if index == 2 and _opens_like_a_common_word(earlier):
            earlier = ""  # "Analyst Mike White": the capital opens the sentence
        if (
            not _is_capitalised(earlier)
            and not _is_capitalised(following)
            and previous.lower() not in LOWER_FUNCTION_WORDS
            and not lines.skipped(token.start)
        ):
            pairs.add((previous.lower(), word.lower()))
            if word.lower() in COMMON_WORD_SURNAMES and previous.lower() not in TITLES:
                surnames.add(word.lower())
    slot_candidates.extend(tokens[position] for position in scan.slots)
    return pairs


def _opens_like_a_common_word(word: str) -> bool:
    """True for a sentence's first word that is a role, title or function word."""
    lower = word.lower()
    return lower in ROLE_WORDS or lower in TITLES or lower in LOWER_FUNCTION_WORDS


def _broken_pairs(
    scan: _Scan, lines: _Lines, pairs: set[tuple[str, str]], learnt: frozenset[str]
) -> list[tuple[Token, Token]]:
    """Two-word names written with the first word in lower case.

    ``time Warner`` where the text also has ``Time Warner``, or ``world
    War`` where clean news writes ``World War`` (``learnt``, see
    :func:`detector.build.name_pairs`): a round trip re-cased the name word
    by word.

    >>> doc = Document.of("Shares rose after the second world War ended.")
    >>> scan = _scan([doc], frozenset())[0]
    >>> found = _broken_pairs(scan, _Lines(doc.text), set(), frozenset({"world war"}))
    >>> [(first.text, second.text) for first, second in found]
    [('world', 'War')]
    """
    broken: list[tuple[Token, Token]] = []
    if not pairs and not learnt:
        return broken
    # a capital after a word starting in lower case, third word of its sentence or later
    for position in scan.broken:
        first, second = scan.tokens[position - 1], scan.tokens[position]
        key = first.text.lower(), second.text.lower()
        if key not in pairs and f"{key[0]} {key[1]}" not in learnt:
            continue
        # only the first word lower-cased: "Russian steel" beside "Russian
        # Steel" is a common noun phrase beside a name, "time Warner" is not
        lower_first = first.text.islower() and _is_capitalised(second.text)
        if (
            lower_first
            and first.text not in LOWER_FUNCTION_WORDS
            and first.text not in NAME_MODIFIERS
            and first.text not in ROLE_WORDS
            and first.text not in TITLES
            and first.text.isalpha()
            and not lines.skipped(first.start)
        ):
            broken.append((first, second))
    return broken


def _note_surname(token: Token, lines: _Lines, surnames: set[str]) -> None:
    """Record a capitalised word in a name slot as a surname if it looks like one.

    Institutions and roles (``the Government said``) are not surnames; the
    caller makes sure the word does not open its sentence, where a capital
    says nothing.
    """
    word = token.text
    if not (word[:1].isupper() and word[1:].islower() and word.isalpha()):
        return
    lower = word.lower()
    if lower in ROLE_WORDS or lower in LOWER_FUNCTION_WORDS or lines.skipped(token.start):
        return
    surnames.add(lower)


def _lower_start(
    source: str, sentence: list[Token], opening: int, lines: _Lines
) -> Evidence | None:
    """Evidence for a sentence whose first word is lower case, if it counts."""
    first = sentence[opening]
    word = first.text
    if (
        word.islower()
        and _is_plain_word(word)
        and word not in LOWERCASE_OPENERS
        and sentence[0].text not in CONTINUATION_OPENERS
        and not _continues_previous(source, sentence[0].start)
        and not lines.skipped(first.start)
    ):
        note = f"sentence starts with lower-case `{word}`"
        return evidence_at(
            source, FAMILY, "casing.lowercase_sentence_start", first.start, first.end, note
        )
    return None


def _lowercase_name(
    source: str, tokens: list[Token], index: int, first: int, end: int
) -> tuple[int, str] | None:
    """End offset and kind of a lower-cased name starting at ``tokens[index]``.

    ``first`` and ``end`` bound the sentence, so context never crosses it.

    >>> doc = Document.of("we met in new york on monday")
    >>> text, tokens, n = doc.text, doc.tokens, len(doc.tokens)
    >>> _lowercase_name(text, tokens, 3, 0, n), _lowercase_name(text, tokens, 6, 0, n)
    ((18, 'a place name'), (28, 'a day of the week'))
    """
    token = tokens[index]
    word = token.text
    if word in MULTIWORD_FIRST:
        for length in (3, 2):
            if index + length > end:
                continue
            parts = tokens[index : index + length]
            if tuple(part.text for part in parts) in MULTIWORD_NAMES and all(
                source[a.end : b.start] == " " for a, b in pairwise(parts)
            ):
                return parts[-1].end, "a place name"
    kind = PROPER_NOUN_KIND.get(word)
    if kind is None or _glued_into_url(source, token):
        return None
    following = tokens[index + 1].text.lower() if index + 1 < end else ""
    previous = tokens[index - 1].text.lower() if index > first else ""
    if following in COMMON_NOUN_FOLLOWERS.get(word, ()):
        return None
    if previous in COMMON_NOUN_PRECEDERS.get(word, ()):
        return None
    if word in AMBIGUOUS_MONTHS and DATE_FOLLOWER_RE.match(source, token.end) is None:
        return None
    return token.end, kind


def _stray_capital(word: str, previous: str, following: str) -> bool:
    """A capitalised function word or common noun inside a sentence.

    The word before must be a lower-case word, a number or a comma (so quotes,
    colons, dashes and brackets that legitimately open a capitalised phrase
    are excluded), and the word after must be lower case (so names such as
    ``The Hague`` or ``Class And Co`` are excluded).

    >>> _stray_capital("And", "rose", "others"), _stray_capital("The", "in", "Hague")
    (True, False)
    >>> _stray_capital("War", "world", "ended"), _stray_capital("And", ":", "others")
    (True, False)
    """
    if word in CAPITALISED_COMMON_WORDS:
        after_ok = following.islower() and is_word(following)
    elif word in CAPITALISED_COMMON_NOUNS:
        after_ok = (
            following.islower() and is_word(following) and following not in LOWER_FUNCTION_WORDS
        )
    else:
        return False
    before_ok = previous == "," or previous.isdigit() or (previous.islower() and is_word(previous))
    return before_ok and after_ok
