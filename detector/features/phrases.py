"""Spinner slips and tortured phrases inside names, idioms and fixed phrases.

An article spinner replaces each word with the first entry its thesaurus
offers, without knowing that the word sits inside a name or a fixed phrase:
``skin`` becomes ``pores and skin``, ``Windows`` becomes ``Home windows``,
``year`` becomes ``12 months`` (so ``last year`` turns into ``final 12
months``), the month ``May`` becomes the modal ``Could``, ``Wall Street``
becomes ``Wall Avenue`` and ``party`` becomes ``Get together``. Paraphrasing
tools used on scientific text produce the "tortured phrases" catalogued by
Cabanac, Labbe and Magazinov (2021): ``counterfeit consciousness`` for
artificial intelligence, ``profound learning`` for deep learning. A spinner
template whose options were never resolved leaves its syntax in the text:
``{quick|fast}``. Machine-translation round trips produce a few of the same
swaps when a name is translated word by word.

What looks similar but is legitimate: most of these words are fine on their
own, so every pattern anchors on the fixed phrase and, where the substituted
phrase is also good English, on context that only the slip has: ``the past 12
months``, ``12 months ago`` and ``over the subsequent 12 months`` are correct
and do not match; ``Could 5`` counts only mid-sentence or after a date
preposition, so a question opening with ``Could`` does not; ``Home windows``
counts only before a version or after ``Microsoft``; curly braces count as
spin syntax only when they hold ``|``-separated options or a run of
lower-case words, not a template field like ``{name}`` or a set ``{x | x > 0}``.

>>> result = extract("Final 12 months, Home windows 10 pores and skin care sales "
...                  "rose on Wall Avenue in Could.")
>>> [e.snippet for e in result.evidence]
['Final 12 months', 'Home windows', 'pores and skin', 'Wall Avenue', 'in Could']
>>> result.evidence[2].note
"spinner slip: 'pores and skin' stands for 'skin'"
>>> extract("Sales rose over the past 12 months, and in May skin care led.").evidence
[]
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import compress
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
)
from detector.resources import Resources
from detector.text import Document

FAMILY = "phrases"

FEATURE_NAMES: tuple[str, ...] = (
    # spinner slips in names and fixed news phrases, per 100 words
    "phrases.slip_rate",
    # tortured phrases of scientific and technical text, per 100 words
    "phrases.tortured_rate",
    # "12 months" standing for "year" (final 12 months), per 100 words
    "phrases.year_as_12_months_rate",
    # "Could"/"Might" standing for the month May (on Could 5), per 100 words
    "phrases.month_as_modal_rate",
    # unresolved spin syntax ({quick|fast}), per 100 words
    "phrases.spin_syntax_rate",
    # all of the above, per 100 words
    "phrases.total_rate",
    # share of sentences holding at least one hit
    "phrases.sentence_share",
)


class Phrase(NamedTuple):
    """One substitution: what the slip stands for and how to find it."""

    kind: str
    name: str
    stands_for: str
    #: the regular expression matched at a token start, then a word boundary
    pattern: str
    ignore_case: bool
    #: lower-cased words the phrase can start with (``#`` for a number)
    starts: frozenset[str]

    @property
    def regex(self) -> re.Pattern[str]:
        """The phrase's own pattern, compiled (scoring tries a word's phrases at once)."""
        return re.compile(self.pattern, re.IGNORECASE if self.ignore_case else 0)


_LOOKBEHIND_RE = re.compile(r"\(\?<[=!][^()]*(?:\([^()]*\)[^()]*)*\)")
_LITERAL_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _split_alternatives(body: str) -> list[str]:
    """Split a group body on its top-level ``|``."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for index, char in enumerate(body):
        escaped = index > 0 and body[index - 1] == "\\"
        if char == "(" and not escaped:
            depth += 1
        elif char == ")" and not escaped:
            depth -= 1
        elif char == "|" and depth == 0 and not escaped:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _group_end(pattern: str, start: int) -> int:
    """Index just past the parenthesis closing the group opened at ``start``."""
    depth = 0
    for index in range(start, len(pattern)):
        char = pattern[index]
        if index > 0 and pattern[index - 1] == "\\":
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def leading_words(pattern: str) -> frozenset[str]:
    """The words a pattern can start with, lower-cased; ``#`` stands for a number.

    >>> sorted(leading_words(r"(?<!the\\s)(?:final|last)\\s+12|12\\s+months"))
    ['#', 'final', 'last']
    >>> sorted(leading_words(r"(?:Microsoft\\s+)?Home\\s+windows"))
    ['home', 'microsoft']
    """
    words: set[str] = set()
    for alternative in _split_alternatives(pattern):
        rest = alternative
        while True:
            lookbehind = _LOOKBEHIND_RE.match(rest)
            if lookbehind is None:
                break
            rest = rest[lookbehind.end() :]
        if rest.startswith(("(?:", "(?i:")) or (rest.startswith("(") and not rest.startswith("(?")):
            end = _group_end(rest, 0)
            inner = rest[rest.index(":") + 1 if rest.startswith("(?") else 1 : end - 1]
            words |= leading_words(inner)
            if rest[end : end + 1] in {"?", "*"}:
                words |= leading_words(rest[end + 1 :])
            continue
        if rest.startswith(("\\d", "[0-9]", "[1-9]", "[12]")) or rest[:1].isdigit():
            words.add("#")
            continue
        literal = _LITERAL_WORD_RE.match(rest)
        if literal is None:
            raise ValueError(f"cannot find the leading word of {alternative!r}")
        word = literal.group()
        # a regex escape or class right after the letters ends the literal word
        words.add(word.lower())
    return frozenset(words)


_PHRASES: list[Phrase] = []


def _add(kind: str, name: str, stands_for: str, pattern: str, *, ignore_case: bool = True) -> None:
    """Register a phrase; the pattern is matched at a token start, then ``\\b``."""
    bounded = f"(?:{pattern})(?![\\w’'-])"
    _PHRASES.append(Phrase(kind, name, stands_for, bounded, ignore_case, leading_words(pattern)))


def slip(name: str, stands_for: str, pattern: str, *, ignore_case: bool = True) -> None:
    """A spinner slip inside a name or a fixed news phrase."""
    _add("slip", name, stands_for, pattern, ignore_case=ignore_case)


def tortured(name: str, stands_for: str, pattern: str) -> None:
    """A tortured phrase of technical writing (Cabanac et al., 2021)."""
    _add("tortured", name, stands_for, pattern)


def year(name: str, stands_for: str, pattern: str, *, ignore_case: bool = True) -> None:
    """``12 months`` put where ``year`` belongs."""
    _add("year", name, stands_for, pattern, ignore_case=ignore_case)


def month(name: str, stands_for: str, pattern: str) -> None:
    """The modal ``Could``/``Might`` put where the month ``May`` belongs."""
    _add("month", name, stands_for, pattern, ignore_case=False)


# Possessives and determiners before "final/subsequent 12 months" that make
# them correct English ("his final 12 months in office").
_NOT_AFTER_DETERMINER = (
    r"(?<!the\s)(?<!its\s)(?<!his\s)(?<!her\s)(?<!their\s)(?<!our\s)(?<!my\s)"
    r"(?<!your\s)(?<!these\s)(?<!those\s)(?<!a\s)"
)
# Date prepositions and modifiers that make "Could" a month: "in Could".
_DATE_WORDS = (
    r"(?:in|on|since|until|till|by|from|through|during|of|early|late|mid|mid-|last|next|"
    r"final|subsequent|between|before|after)"
)
# Words after "Could" that make it the verb again: "since Could be", "by Could not".
_NOT_A_VERB_FOLLOWS = (
    r"(?!\s+(?:be|have|not|also|still|well|soon|never|only|even|just|possibly|now|"
    r"get|take|make|see|do|go|help|lead|mean|come|face|become|prove|hurt|affect)\b)"
)
# a day of the month, not an amount: "Could 5" yes, "Could 5.5" or "Could 5,000" no
_DAY_OF_MONTH = r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?![\d%]|[.,]\d)"

# --- "year" -> "12 months": the thesaurus entry for "year" is "12 months"
year("this_12_months", "this year", r"this\s+12\s+months(?!\s+(?:period|window|stretch))")
year("final_12_months", "last year", _NOT_AFTER_DETERMINER + r"final\s+12\s+months")
year("subsequent_12_months", "next year", _NOT_AFTER_DETERMINER + r"subsequent\s+12\s+months")
year("12_months_on_12_months", "year-on-year", r"12\s+months?[-\s](?:on|over)[-\s]12\s+months?")
# "in the year 2020" -> "within the 12 months 2020"
year("the_12_months_2020", "the year 2020", r"(?<=the\s)12\s+months\s+(?:19|20)\d\d")
# "a year earlier" -> "a 12 months earlier"; "a year ago" -> "a 12 months in the past"
year(
    "a_12_months_earlier",
    "a year earlier",
    r"(?<=\ba\s)12\s+months\s+(?:earlier|later|in\s+the\s+past|prior|after|before|on)",
)
# a possessive that only "year" takes: "final 12 months's outcomes"
year("12_months_possessive", "year's", r"12\s+months['’]s")
# "fiscal year", "financial year", "school year", "tax year"
year(
    "fiscal_12_months",
    "fiscal year",
    r"(?:fiscal|monetary|calendar|tax|faculty|college|educational|tutorial)\s+12\s+months",
)
year("year_end", "year-end", r"12\s+months-(?:finish|end|to-date|in\s+the\s+past)")
year("new_12_months", "New Year", r"New\s+12\s+months", ignore_case=False)
year("same_12_months", "the same year", r"(?<=the\s)identical\s+12\s+months")

# --- the month May read as the modal verb "may" and swapped for "could"/"might"
month(
    "in_could",
    "in May",
    "(?i:"
    + _DATE_WORDS
    + r")\s+(?:Could|Might)\b"
    + _NOT_A_VERB_FOLLOWS
    + r"(?:\s+"
    + _DAY_OF_MONTH
    + ")?",
)
month("could_5", "May 5", r"(?<=[a-z,]\s)(?:Could|Might)\s+" + _DAY_OF_MONTH)
month("could_2020", "May 2020", r"(?<=[a-z,]\s)(?:Could|Might)\s+(?:19|20)\d\d\b")
month("5_could", "5 May", _DAY_OF_MONTH + r"\s+(?:Could|Might)\s+(?:19|20)\d\d\b")

# --- news names and fixed phrases
# "skin" -> "pores and skin" (the thesaurus gloss of "skin")
slip(
    "pores_and_skin",
    "skin",
    r"(?<![Cc]logged\s)(?<![Ee]nlarged\s)(?<![Oo]pen\s)"
    r"pores\s+and\s+skin(?!\s+(?:texture|of\s+the))",
)
# "cancer" -> "most cancers"
slip(
    "most_cancers",
    "cancer",
    r"(?:breast|lung|prostate|skin|colon|bowel|pancreatic|cervical|ovarian|liver|blood|"
    r"throat|pores\s+and\s+skin)\s+most\s+cancers|most\s+cancers\s+(?:sufferers|analysis|"
    r"remedy|prognosis|screening|charity|survivors?)",
)
# "Windows" -> "Home windows": only the product, never the windows of a house
slip(
    "home_windows",
    "Windows",
    r"(?<=Microsoft\s)Home\s+windows|(?<=Microsoft['’]s\s)Home\s+windows"
    r"|Home\s+windows(?=\s+(?:\d|XP|Vista|Server|Phone|Defender|Replace|Retailer|PC|PCs))",
    ignore_case=False,
)
slip("microsoft_home_windows", "Microsoft Windows", r"Microsoft\s+Home\s+windows")
# "National Guard" etc.: "national" -> "nationwide"
slip(
    "nationwide_guard",
    "National Guard / National ... (a US federal body)",
    r"Nationwide\s+(?:Guard|Hurricane\s+Heart|Climate\s+Service|Basketball\s+Affiliation|"
    r"Soccer\s+League|Institutes\s+of\s+Well\s+being|Individuals['’]s\s+Congress|Meeting)",
    ignore_case=False,
)
# "green" -> "inexperienced"
slip(
    "inexperienced_green",
    "Green (New Deal, Party, energy)",
    r"inexperienced\s+(?:New\s+Deal|Get\s+together|Celebration|vitality|hydrogen|bonds?|"
    r"transition)",
)
# "Party" -> "Get together" (a phrasal-verb synonym of the noun)
slip(
    "get_together_party",
    "Party",
    r"(?:Democratic|Republican|Labour|Labor|Conservative|Communist|Liberal|Socialist|"
    r"Nationalist|Tea|Workers['’]|Individuals['’]s|People['’]s|Janata|Freedom|Justice|"
    r"Independence|Reform|Unity|Brexit|Social\s+Democratic|Green)\s+Get\s+together",
    ignore_case=False,
)
# "party" -> "celebration" / "social gathering"
slip(
    "party_celebration",
    "party",
    r"(?:ruling|opposition)\s+(?:celebration|social\s+gathering)"
    r"|(?:Republican|Democratic|Labour|Labor|Conservative|Communist)\s+social\s+gathering"
    r"|third[-\s]celebration",
)
# "Street" -> "Avenue"
slip(
    "wall_avenue",
    "Wall Street / Downing Street / High Street",
    r"(?:Wall|Downing|Excessive)\s+Avenue",
    ignore_case=False,
)
# "Prime Minister" -> "Premier/Primary/Top Minister"
slip(
    "prime_minister",
    "Prime Minister",
    r"(?:Premier|Primary|Excessive)\s+Minister"
    r"|(?<=[a-z,]\s)(?:Top|Best|Key|Main|Leading|Foremost|Finest|Major)\s+Minister"
    r"(?=\s+[A-Z][a-z]+\s+[A-Z])",
    ignore_case=False,
)
# "chief executive" -> "chief government" (executive: the branch of government)
slip(
    "chief_government",
    "chief executive",
    r"chief\s+government(?=\s+(?:officer|of\s+(?-i:[A-Z])|(?-i:[A-Z][a-z]+\s+[A-Z])|,|\.))",
)
# "chief financial/operating/technology officer"
slip(
    "chief_x_officer",
    "chief financial/operating/technology/marketing officer",
    r"chief\s+(?:monetary|working|expertise|advertising)\s+officer",
)
# "the government has" -> "the authorities has": number agreement betrays it
slip(
    "authorities_singular",
    "the government",
    r"(?<=the\s)(?:US|U\.S\.|federal|Chinese|British|Indian|German|French|Japanese|Russian)"
    r"\s+authorities\s+(?:has|is|was|does)",
)
# "Chancellor of the Exchequer" with its second half swapped
slip(
    "chancellor_exchequer",
    "Chancellor of the Exchequer",
    r"Chancellor\s+of\s+the\s+(?:Treasury|Coffers|Treasure|Exchecker)",
    ignore_case=False,
)
# "Court" -> "Courtroom" / "Court docket"
slip(
    "supreme_courtroom",
    "Supreme Court / High Court",
    r"(?:Supreme|Excessive|High|District|Appeals|Appellate|Federal|Circuit|Constitutional|"
    r"Crown|County|Superior)\s+Court(?:room|\s+docket\s+(?:dominated|stated|mentioned|"
    r"justices?|choose|judges|determination|resolution|listening))",
    ignore_case=False,
)
# "judge" -> "choose" / "decide"; "ruled" -> "dominated"
slip(
    "judge_choose",
    "judge / ruled",
    r"(?:federal|district|circuit|appeals|presiding|U\.S\.)\s+(?:choose|decide)\b"
    r"(?!\s+(?:to|whether|which|what|how|who|the|a|an|not)\b)"
    r"|(?:court(?:room)?|court\s+docket|choose|judges)\s+dominated\s+(?:that|in|on|against|"
    r"towards|in\s+favou?r)",
)
# "Bank" -> "Financial institution"
slip(
    "financial_institution_bank",
    "Bank",
    r"Financial\s+institution(?=\s+of\s+[A-Z])"
    r"|(?:World|Central|Reserve|Development|Investment|Deutsche|Export-Import|Nationwide|"
    r"Individuals['’]s|Folks['’]s|People['’]s|European\s+Central|Asian\s+Growth|Asian"
    r"\s+Development)\s+Financial\s+institution",
    ignore_case=False,
)
slip("central_financial_institution", "central bank", r"central\s+financial\s+institutions?")
slip(
    "funding_financial_institution",
    "investment bank",
    r"funding\s+(?:financial\s+institutions?|banking|banker|bankers)",
)
# "General" -> "Basic" / "Common" / "Normal"
slip(
    "general_motors",
    "General Motors / General Electric / Attorney General / Secretary-General",
    r"(?:Basic|Common|Normal)\s+(?:Motors|Electrical|Meeting)"
    r"|(?:Lawyer|Legal\s+professional)\s+(?:Common|Basic|Normal)"
    r"|Secretary[-\s](?:Common|Basic|Normal)\b",
    ignore_case=False,
)
# "White House", "House of Representatives", "House Speaker" -> "Home"
slip(
    "white_home",
    "White House / House (of Representatives)",
    r"White\s+Home|Home\s+of\s+Representatives|Speaker\s+of\s+the\s+Home"
    r"|Home\s+(?:Speaker|Democrats|Republicans|Majority|Minority|Judiciary|Intelligence|"
    r"Oversight)",
    ignore_case=False,
)
# "Associated Press", "New York Times", "Washington Post", "Fox News"
slip("related_press", "Associated Press", r"Related\s+Press", ignore_case=False)
slip(
    "newspaper_instances",
    "Times (newspaper)",
    r"(?:New\s+York|Los\s+Angeles|Monetary|Financial|Sunday|Seattle|Irish|Straits|Economic)"
    r"\s+Instances|Instances\s+of\s+India",
    ignore_case=False,
)
slip(
    "newspaper_put_up",
    "Post (newspaper)",
    r"(?:Washington|Huffington|Jerusalem|New\s+York|Bangkok|Denver)\s+Put\s+up",
    ignore_case=False,
)
slip(
    "news_information",
    "News",
    r"(?:Fox|NBC|CBS|ABC|Sky|BBC|CNN|Bloomberg|Yahoo|Google)\s+Information\b"
    r"|information\s+(?:convention|launch)"
    r"|(?:state|Reuters)\s+information\s+company",
)
# "Facebook" -> "Fb"
slip(
    "fb_facebook",
    "Facebook",
    r"Fb(?=\s+(?:and|or|page|pages|publish|posts?|customers|consumer|Messenger|Market)\b)"
    r"|(?<=on\s)Fb\b|(?<=and\s)Fb\b",
    ignore_case=False,
)
# "stock" -> "inventory"
slip(
    "inventory_market",
    "stock market / stock exchange",
    r"inventory\s+(?:market|markets|trade|change|alternate|choices|ind(?:ex|exes|ices)|"
    r"buyback|buybacks|break\s+up)",
)
# "interest rate(s)" -> "curiosity charges/price"
slip(
    "curiosity_rates",
    "interest rate(s)",
    r"curiosity\s+(?:charges|price|fee|charge|funds)",
)
# "rate" -> "price" in economic rates
slip(
    "rate_price",
    "unemployment/inflation/growth rate",
    r"(?:unemployment|jobless|inflation|emptiness|mortality)\s+"
    r"price(?!s)\b",
)
slip("gross_home_product", "gross domestic product", r"gross\s+home\s+product")
# "climate" -> "local weather"
slip(
    "local_weather_change",
    "climate change",
    r"local\s+weather\s+(?:change|disaster|disaster|disaster|coverage|activists?|targets?|"
    r"summit|motion|emergency|scientists?|finance)",
)
slip("world_warming", "global warming", r"world\s+warming")
slip(
    "greenhouse_gasoline",
    "greenhouse gas / natural gas",
    r"greenhouse\s+gasoline|liquefied\s+pure\s+(?:gasoline|fuel)|pure\s+gasoline\s+"
    r"(?:pipeline|reserves|subject|discipline|producer|exports|imports|provides)",
)
# "energy" -> "vitality"; "solar" -> "photo voltaic"
slip(
    "renewable_vitality",
    "(renewable) energy",
    r"(?:renewable|clear|photo\s+voltaic|solar|wind|nuclear|clean)\s+vitality"
    r"|vitality\s+(?:costs|payments|effectivity|firms|corporations|disaster|sector|provide|"
    r"safety|transition|consumption|ministry|minister)",
)
slip("photo_voltaic", "solar", r"photo\s+voltaic")
slip("supply_chain", "supply chain / supply and demand", r"provide\s+(?:chains?|and\s+demand)")
slip("balance_sheet", "balance sheet", r"(?:stability|steadiness)\s+(?:sheets?|of\s+funds)")
slip("current_account", "current account", r"present\s+account\s+(?:deficit|surplus)")
# "record high" -> "file excessive"
slip(
    "record_high",
    "record high / all-time high",
    r"(?:file|document)\s+(?:excessive|low|lows|highs)|all-time\s+excessive"
    r"|(?:52-week|multi-year|decade|(?<!\d)\d+-year)\s+excessive",
)
slip(
    "lowest_degree",
    "lowest/highest level since",
    r"(?:lowest|highest|weakest|strongest)\s+(?:degree|stage)\s+since",
)
slip(
    "pre_crisis_ranges",
    "pre-crisis levels",
    r"pre-(?:pandemic|crisis|Covid|COVID|war|recession)\s+ranges",
)
slip("percentage_points", "percentage points / basis points", r"(?:share|foundation)\s+factors")
slip("death_toll", "death toll", r"(?:demise|dying|loss\s+of\s+life)\s+toll")
slip("box_office", "box office", r"field\s+workplace")
slip("video_games", "video games", r"video\s+video\s+games?")
slip(
    "office_workplace",
    "Oval/Foreign/Home Office, Congressional Budget Office",
    r"(?:Oval|Overseas|Residence|Dwelling|Congressional\s+Funds)\s+Workplace",
    ignore_case=False,
)
slip(
    "mass_capturing",
    "shooting",
    r"(?:mass|deadly|fatal|faculty|college)\s+capturing"
    r"|capturing\s+(?:sufferer|victims|suspect|rampage|spree|incident|dying|demise|assault)",
)
slip(
    "fire_hearth",
    "fire (department)",
    r"hearth\s+(?:division|fighters|crews|vans|broke\s+out|spread|engulfed|officers|chief|"
    r"alarm|service|truck|vehicles)",
)
slip(
    "health_well_being",
    "health / World Health Organization",
    r"World\s+Well\s+being\s+Group|well\s+being\s+(?:care|officers|ministry|minister|"
    r"authorities|system|insurance|disaster|emergency|employees|staff|secretary|division|"
    r"consultants|specialists)",
)
slip("disease_control", "Centers for Disease Control", r"Facilities\s+for\s+Illness\s+Management")
slip("food_and_drug", "Food and Drug Administration", r"Meals\s+and\s+Drug\s+Administration")
slip("heart_attack", "heart attack / heart rate", r"coronary\s+heart\s+(?:assault|assaults|price)")
slip("blood_pressure", "blood pressure", r"blood\s+stress")
slip(
    "tested_positive",
    "tested positive/negative",
    r"(?:tested|examined)\s+(?:optimistic|constructive|detrimental)",
)
slip(
    "covid_instances",
    "(Covid) cases",
    r"(?:Covid(?:-19)?|coronavirus|omicron|an\s+infection)\s+instances",
)
slip("machine_studying", "machine/deep learning", r"(?:machine|deep)\s+studying")
slip("pure_language", "natural language processing", r"pure\s+language\s+processing")
slip(
    "neural_community",
    "neural network / 5G network",
    r"(?:neural|5G|4G|LTE)\s+community",
)
slip(
    "computer_laptop",
    "computer science / computer vision",
    r"laptop\s+(?:science|imaginative\s+and\s+prescient)"
    r"|(?:pc|machine|evening)\s+imaginative\s+and\s+prescient",
)
slip(
    "data_knowledge",
    "data center / data breach / privacy",
    r"knowledge\s+(?:middle|centre|facilities|breach|breaches)|information\s+(?:middle|"
    r"facilities)|privateness",
)
slip(
    "shopping_procuring",
    "shopping",
    r"procuring\s+(?:middle|mall|centre|season|spree|malls|facilities)"
    r"|(?:on-line|vacation|vacation\s+season)\s+procuring",
)
slip("fast_food", "fast food", r"quick\s+meals\s+(?:chain|chains|restaurant|restaurants|large|big)")
slip(
    "stimulus_bundle",
    "stimulus/rescue package",
    r"(?:stimulus|rescue|reduction|bailout|spending)\s+bundle",
)
slip(
    "spending_invoice",
    "bill (legislation)",
    r"(?:infrastructure|spending|stimulus|funds|reduction|appropriations|immigration)\s+invoice",
)
slip("budget_funds", "budget (deficit/office)", r"funds\s+(?:deficit|deficits|surplus)")
slip("revenue_service", "Internal Revenue Service", r"Inside\s+Income\s+Service")
slip("affordable_care", "Affordable Care Act", r"Inexpensive\s+Care\s+Act")
slip(
    "department_division",
    "Department (State, Justice, Labor, Commerce)",
    r"(?:State|Justice|Labor|Well\s+being|Vitality)\s+Division"
    r"|Division\s+of\s+(?:Justice|Homeland|Protection|Commerce|Well\s+being|Schooling|"
    r"Vitality|Veterans\s+Affairs|the\s+Treasury)",
    ignore_case=False,
)
slip("homeland_safety", "Homeland Security", r"Homeland\s+Safety", ignore_case=False)
slip(
    "protection_secretary",
    "Defense Secretary / Secretary of Defense",
    r"(?<!Environmental\s)(?<!Environment\s)(?<!Data\s)(?<!Consumer\s)(?<!Civil\s)"
    r"(?<!Child\s)(?<!Social\s)Protection\s+(?:Secretary|Division)|Secretary\s+of\s+Protection",
    ignore_case=False,
)
slip(
    "commission_fee",
    "Commission (European, SEC, FTC, FCC)",
    r"(?:European|Securities\s+and\s+(?:Trade|Alternate)|Federal\s+(?:Commerce|Communications|"
    r"Election)|Election)\s+Fee\b",
    ignore_case=False,
)
slip(
    "dow_industrial_common",
    "Dow Jones Industrial Average",
    r"Industrial\s+(?:Common|Normal)\b",
    ignore_case=False,
)
slip(
    "standard_and_poors",
    "Standard & Poor's",
    r"(?:Commonplace|Normal|Customary)\s+&\s+Poor",
    ignore_case=False,
)
slip("fitch_scores", "Fitch Ratings", r"Fitch\s+Scores", ignore_case=False)
slip(
    "credit_score",
    "credit (card, crunch, Suisse)",
    r"credit\s+score\s+(?:cards?|playing\s+cards|Suisse|Agricole|crunch|default\s+swaps?)",
)
slip(
    "private_equity",
    "private equity / venture capital",
    r"non-public\s+fairness|enterprise\s+capitalists?|personal\s+fairness\s+(?:agency|agencies|"
    r"group|teams|fund|funds|companies|corporations|firm|firms|investor|buyers|traders|backed)"
    r"|enterprise\s+capital\s+(?:agency|agencies|fund|funds|funding|firm|firms)",
)
slip(
    "public_offering",
    "initial public offering",
    r"preliminary\s+public\s+(?:providing|offering)",
)
slip(
    "financial_services",
    "financial services / institutions",
    r"monetary\s+(?:providers|companies|establishments)",
)
slip("earnings_call", "earnings/conference call", r"(?:earnings|convention)\s+name\b")
slip(
    "guidance_steerage",
    "(earnings) guidance",
    r"(?<!in\s)(?<!the\s)steerage(?!\s+(?:class|passengers?|compartment|deck|quarters))",
)
slip(
    "bankruptcy_chapter",
    "bankruptcy protection/filing",
    r"chapter\s+(?:safety|submitting)"
    r"|(?:regulatory|securities|inventory\s+trade|inventory\s+change|court\s+docket)\s+submitting",
)
slip("class_action", "class action", r"class[-\s]motion")
slip(
    "legal_authorized",
    "legal (action, battle, proceedings)",
    r"authorized\s+(?:motion|battle|battles|struggle|proceedings|challenges|recommendation|tender)",
)
slip("felony_costs", "criminal charges", r"felony\s+costs")
slip(
    "law_enforcement",
    "law enforcement / law school",
    r"(?:regulation|legislation)\s+faculty|legislation\s+enforcement",
)
slip("high_school", "high school", r"excessive\s+faculty")
slip(
    "world_war",
    "World War / Cold War",
    r"World\s+(?:Struggle|Warfare|Battle)\s+(?:I|II|One|Two)\b|Chilly\s+(?:Struggle|Warfare|War)",
    ignore_case=False,
)
slip("trade_war", "trade war", r"commerce\s+(?:struggle|warfare|battle)")
slip("middle_east", "Middle East", r"Center\s+East", ignore_case=False)
slip(
    "new_york_metropolis",
    "New York City / Mexico City",
    r"(?:New\s+York|Mexico|Kansas|Salt\s+Lake|Oklahoma|Ho\s+Chi\s+Minh|Quezon|Vatican)"
    r"\s+Metropolis|metropolis\s+(?:council|corridor)",
)
slip("belt_and_highway", "Belt and Road", r"Belt\s+and\s+Highway|Silk\s+Highway", ignore_case=False)
slip("peoples_individuals", "People's", r"Individuals['’]s")
slip(
    "chinese_language",
    "Chinese (adjective)",
    r"Chinese\s+language\s+(?:President|Premier|authorities|officers|officials|companies|firms|"
    r"corporations|economic\s+system|army|navy|state|individuals|customers|shoppers|buyers|"
    r"traders|tech|regulators|banks|lenders|exports|imports|"
    r"embassy|Communist|New\s+12\s+months|automakers|smartphone)",
)
slip(
    "minimum_wage",
    "minimum wage",
    r"(?<=the\s)minimal\s+wage|(?:federal|nationwide|national)\s+minimal\s+wage"
    r"|minimal\s+wage\s+(?:staff|employees|hike|improve)",
)
slip(
    "unemployment_advantages",
    "unemployment benefits",
    r"(?:unemployment|jobless|welfare)\s+advantages",
)
slip("amazon_net_providers", "Amazon Web Services", r"Amazon\s+(?:Net|Internet)\s+Providers")
slip("oil_manufacturing", "crude oil production", r"crude\s+manufacturing")
slip("electric_automobiles", "electric vehicles", r"electrical\s+automobiles")
slip(
    "worldwide_international",
    "International (Monetary Fund, Energy Agency, Olympic Committee)",
    r"Amnesty\s+Worldwide|Worldwide\s+(?:Financial\s+Fund|Power\s+Company|Olympic\s+Committee|"
    r"Atomic\s+Power\s+Company|Legal\s+Court)",
    ignore_case=False,
)
slip(
    "environmental_safety_company",
    "Environmental Protection Agency",
    r"Environmental\s+Safety\s+Company",
    ignore_case=False,
)
slip(
    "majority_chief",
    "majority/minority leader",
    r"(?:majority|minority)\s+chief\b",
)
slip("monetary_coverage", "monetary policy", r"financial\s+coverage\s+(?:committee|assembly|"
     r"tightening|easing|stance|choice|selections)|coverage\s*-?\s*makers?|unfastened\s+"
     r"(?:financial|monetary|coverage)")  # fmt: skip
slip(
    "debt_disaster",
    "debt/financial crisis",
    r"(?:debt|monetary|banking|liquidity|euro\s+zone|eurozone)\s+disaster",
)
slip("the_corporate_said", "the company said", r"the\s+corporate\s+(?:stated|mentioned)")

# --- tortured phrases catalogued by Cabanac, Labbe and Magazinov (2021)
tortured(
    "counterfeit_consciousness",
    "artificial intelligence",
    r"counterfeit\s+(?:consciousness|intelligence)|man-made\s+consciousness"
    r"|synthetic\s+intelligence",
)
tortured(
    "profound_learning",
    "deep learning",
    r"profound\s+learning(?!\s+(?:experience|curve|moment|journey))|profound\s+neural",
)
tortured("bosom_peril", "breast cancer", r"bosom\s+(?:peril|malignant\s+growth|disease|cancer)")
tortured(
    "malignant_growth",
    "cancer",
    r"(?:lung|prostate|skin|colon|liver|ovarian|cervical|pancreatic)\s+malignant\s+growth",
)
tortured(
    "irregular_woodland",
    "random forest",
    r"(?:irregular|random|arbitrary)\s+(?:woodland|timberland|backwoods)",
)
tortured("colossal_information", "big data", r"colossal\s+information")
tortured("flag_to_commotion", "signal to noise", r"flag\s+to\s+commotion")
tortured("haze_figuring", "cloud computing", r"(?:haze|cloud)\s+figuring")
tortured("neural_organization", "neural network", r"neural\s+(?:organization|organisation)")
tortured(
    "fake_neural_system",
    "artificial neural network",
    r"(?:fake|counterfeit|profound)\s+neural\s+system",
)
tortured(
    "help_vector_machine",
    "support vector machine",
    r"(?:help|assist|bolster)\s+vector\s+(?:machine|machines)",
)
tortured("choice_tree", "decision tree", r"choice\s+tree")
tortured("credulous_bayes", "naive Bayes", r"(?:credulous|gullible)\s+Bayes")
tortured("k_closest_neighbor", "k-nearest neighbour", r"k-closest\s+neighbou?rs?")
tortured("straight_relapse", "linear regression", r"(?:straight|direct)\s+relapse")
tortured("calculated_relapse", "logistic regression", r"(?:calculated|strategic)\s+relapse")
tortured("mean_square_blunder", "mean square error", r"mean\s+square\s+blunder")
tortured("information_stockroom", "data warehouse", r"information\s+stockroom")
tortured(
    "remote_sensor_organization",
    "wireless sensor network",
    r"remote\s+sensor\s+(?:organization|system|arrange)",
)
tortured("vitality_utilization", "energy consumption", r"vitality\s+utili[sz]ation")
tortured(
    "sun_based_vitality", "solar energy", r"sun\s+(?:based|oriented|powered)\s+(?:vitality|power)"
)
tortured(
    "organ_disappointment",
    "kidney/heart failure",
    r"(?:kidney|renal|heart|liver|organ|respiratory)\s+disappointment",
)
tortured("circulatory_strain", "blood pressure", r"circulatory\s+strain")
tortured("insusceptible_framework", "immune system", r"(?:insusceptible|resistant)\s+framework")
tortured("quality_articulation", "gene expression", r"quality\s+articulation")
tortured(
    "amino_corrosive",
    "amino acid",
    r"(?:amino|lactic|nucleic|fatty|folic|uric|citric|acetic|hydrochloric|sulfuric|nitric)"
    r"\s+corrosive",
)
tortured("oxidative_pressure", "oxidative stress", r"oxidative\s+pressure")
tortured("sign_handling", "signal/image processing", r"(?:sign|picture)\s+handling")
tortured("organize_security", "network security", r"(?:organize|arrange)\s+security")
tortured("staying_vitality", "remaining energy", r"staying\s+vitality")
tortured("recurrence_area", "frequency domain", r"recurrence\s+(?:area|space|reaction)")
tortured("ant_settlement", "ant colony", r"subterranean\s+insect\s+settlement")
tortured("molecule_swarm", "particle swarm", r"molecule\s+swarm")
tortured("hereditary_calculation", "genetic algorithm", r"hereditary\s+calculation")
tortured("equal_registering", "parallel computing", r"equal\s+registering")
tortured(
    "face_acknowledgment",
    "face/speech/pattern recognition",
    r"(?:face|facial|speech|pattern|handwriting|discourse)"
    r"\s+acknowledg(?:e)?ment",
)
tortured(
    "highlight_extraction",
    "feature extraction/selection",
    r"highlight\s+(?:extraction|determination)",
)
tortured(
    "opinion_investigation",
    "sentiment analysis",
    r"(?:opinion|assumption)\s+(?:investigation|examination)",
)
tortured("question_replying", "question answering", r"question\s+replying")
tortured("cross_approval", "cross-validation", r"cross[-\s]approval")
tortured("misfortune_work", "loss function", r"misfortune\s+work")
tortured("slope_plummet", "gradient descent", r"(?:slope|angle)\s+plummet")
tortured("enactment_work", "activation function", r"enactment\s+work")
tortured("commonplace_deviation", "standard deviation", r"commonplace\s+deviation")
tortured("warmth_move", "heat transfer", r"warmth\s+(?:move|exchange|switch)")
tortured("worldwide_temperature", "global warming", r"worldwide\s+temperature\s+alteration")
tortured(
    "regular_language",
    "natural language processing",
    r"(?:regular|characteristic)\s+language\s+(?:handling|preparing)",
)
tortured("pc_vision", "computer vision", r"PC\s+(?:vision|imagination)")

PHRASES: tuple[Phrase, ...] = tuple(_PHRASES)

SPIN_SYNTAX_RE = re.compile(
    r"""
    \{
    (?:
        # spintax options: {quick|fast|rapid}; each option stops at | or }
        [^{}|\n<>=]{1,80}(?:\|[^{}|\n<>=]{0,80}){1,20}
      # a template whose options were lost: {that a}, two or more lower-case words
      | [a-z]+(?:[ ][a-z]+){1,5}
    )
    \}
    """,
    re.VERBOSE,
)


def _trigger_table(phrases: tuple[Phrase, ...]) -> Mapping[str, tuple[Phrase, ...]]:
    table: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        for word in phrase.starts:
            table.setdefault(word, []).append(phrase)
    return {word: tuple(entries) for word, entries in table.items()}


#: Phrases by the lower-cased token they start with (``#`` for numbers).
TRIGGERS: Mapping[str, tuple[Phrase, ...]] = _trigger_table(PHRASES)


def _either(phrases: tuple[Phrase, ...]) -> re.Pattern[str]:
    """One pattern trying ``phrases`` in order, as many matches as trying each in turn.

    At one position a regex alternation takes the first alternative that
    matches, so the match is that of the first phrase whose own regex
    matches there; group ``_k`` says it is phrase ``k``. Each keeps its own
    case rule (``(?i:...)`` or ``(?-i:...)``).

    >>> either = _either(TRIGGERS["home"])
    >>> match = either.match("Home windows 10")
    >>> TRIGGERS["home"][int(match.lastgroup[1:])].name, match.group()
    ('home_windows', 'Home windows')
    """
    alternatives = []
    for index, phrase in enumerate(phrases):
        case = "i" if phrase.ignore_case else "-i"
        alternatives.append(f"(?P<_{index}>(?{case}:{phrase.pattern}))")
    return re.compile("|".join(alternatives))


@cache
def either_of(word: str) -> re.Pattern[str]:
    """:func:`_either` of the phrases ``word`` triggers (a key of :data:`TRIGGERS`).

    Compiled on first use: the 381 patterns took a seventh of a second at
    every start, and one text meets only a few of their words.

    >>> either_of("wall").match("Wall Avenue").group()
    'Wall Avenue'
    """
    return _either(TRIGGERS[word])


_NOTE_PREFIX = {
    "slip": "spinner slip",
    "tortured": "tortured phrase",
    "year": "spinner slip",
    "month": "spinner slip",
}


def _note(phrase: Phrase, snippet: str) -> str:
    """The human note for a hit.

    >>> _note(PHRASES[0], "this 12 months")
    "spinner slip: 'this 12 months' stands for 'this year'"
    """
    return f"{_NOTE_PREFIX[phrase.kind]}: '{snippet}' stands for '{phrase.stands_for}'"


class _Hit(NamedTuple):
    """A slip, tortured phrase or spin syntax: its kind, span, and the phrase (None for syntax)."""

    kind: str
    start: int
    end: int
    phrase: Phrase | None


def _kept_hits(doc: Document) -> list[_Hit]:
    """:func:`_find`, once per document."""
    return kept_on(doc, FAMILY, None, _find, doc)


def _find(doc: Document) -> list[_Hit]:
    """The hits of a document, in text order."""
    source = doc.text
    hits: list[_Hit] = []
    covered_until = -1
    tokens = doc.tokens
    # the tokens that trigger a phrase: a digit first, or a trigger word
    lowered = doc.lowered
    digit_first = list(map(str.isdigit, map(itemgetter(0), lowered)))
    trigger = map(operator.or_, digit_first, map(TRIGGERS.__contains__, lowered))
    for index in compress(range(len(lowered)), trigger):
        key = "#" if digit_first[index] else lowered[index]
        token = tokens[index]
        if token.start < covered_until or key not in TRIGGERS:
            continue
        match = either_of(key).match(source, token.start)
        if match is not None:
            phrase = TRIGGERS[key][int(match.lastgroup[1:])]  # type: ignore[index]
            hits.append(_Hit(phrase.kind, match.start(), match.end(), phrase))
            covered_until = match.end()
    if "{" in source:
        for match in SPIN_SYNTAX_RE.finditer(source):
            hits.append(_Hit("spin_syntax", match.start(), match.end(), None))
        hits.sort(key=lambda hit: hit.start)
    return hits


def transform(docs: Sequence[Document], resources: Resources | None = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document (``resources`` are not used).

    >>> transform([Document.of("Sales rose on Wall Avenue."), Document.of("")]).tolist()[0]
    [20.0, 0.0, 0.0, 0.0, 0.0, 20.0, 1.0]
    """
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    for index, doc in enumerate(docs):
        hits = _kept_hits(doc)
        if not hits:
            continue
        counts = dict.fromkeys(("slip", "tortured", "year", "month", "spin_syntax"), 0)
        for hit in hits:
            counts[hit.kind] += 1
        words = max(doc.n_words, 1)
        rows[index] = (
            rate(counts["slip"], words, 100),
            rate(counts["tortured"], words, 100),
            rate(counts["year"], words, 100),
            rate(counts["month"], words, 100),
            rate(counts["spin_syntax"], words, 100),
            rate(len(hits), words, 100),
            rate(_sentences_hit(doc, [hit.start for hit in hits]), len(doc.sentences)),
        )
    return rows


def evidence(doc: Document, resources: Resources | None = None) -> list[Evidence]:
    """The hits of one document, in text order."""
    source = doc.text
    items = []
    for hit in _kept_hits(doc):
        snippet = source[hit.start : hit.end]
        if hit.phrase is None:
            note = f"unresolved spin syntax '{snippet}' left by an article spinner"
        else:
            note = _note(hit.phrase, snippet)
        items.append(evidence_at(source, FAMILY, f"{FAMILY}.{hit.kind}", hit.start, hit.end, note))
    return items


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Measure spinner slips, tortured phrases and spin syntax in ``text`` (a batch of one).

    Parameters
    ----------
    text : str or Document
        The text, or a :class:`~detector.text.Document` built from it.
    resources : Resources, optional
        Not used: the family needs no model.

    Returns
    -------
    FeatureResult
        Every name in :data:`FEATURE_NAMES`; rates per 100 words, the
        sentence share over all sentences. Evidence marks each hit.

    Examples
    --------
    >>> r = extract("The {quick|fast} rise of counterfeit consciousness.")
    >>> [(e.name, e.snippet) for e in r.evidence]
    [('phrases.spin_syntax', '{quick|fast}'), ('phrases.tortured', 'counterfeit consciousness')]
    """
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)


def _sentences_hit(doc: Document, starts: list[int]) -> int:
    """How many sentences hold the start of at least one hit."""
    if not starts:
        return 0
    hit = set()
    index = 0
    spans = doc.sentences
    for start in sorted(starts):
        while index < len(spans) and start >= spans[index][1]:
            index += 1
        if index < len(spans) and start >= spans[index][0]:
            hit.add(index)
    return len(hit)
