"""A small rule-based English inflector for the spinner's replacements.

A spinner swaps a lemma for a synonym's lemma; the swap must then carry the
original word's inflection ("shares" -> "portions", "rose" -> "ascended"),
or the output is ungrammatical in a way real spinners avoid. WordNet's
``morphy`` goes from forms to lemmas only; this module goes back, with the
regular English rules and a table of irregular forms.

>>> pluralize("company"), pluralize("box"), pluralize("man")
('companies', 'boxes', 'men')
>>> conjugate("rise", "past"), conjugate("rise", "participle"), conjugate("stop", "gerund")
('rose', 'risen', 'stopping')
>>> conjugate("go up", "third_person")
'goes up'
"""

from __future__ import annotations

import re
from typing import Literal

VerbForm = Literal["base", "third_person", "past", "participle", "gerund"]

#: Irregular verbs: base -> (past, past participle). The common ones of news text.
IRREGULAR_VERBS: dict[str, tuple[str, str]] = {
    "arise": ("arose", "arisen"), "be": ("was", "been"), "bear": ("bore", "borne"),
    "beat": ("beat", "beaten"), "become": ("became", "become"), "begin": ("began", "begun"),
    "bid": ("bid", "bid"), "bind": ("bound", "bound"), "break": ("broke", "broken"),
    "bring": ("brought", "brought"), "build": ("built", "built"), "buy": ("bought", "bought"),
    "catch": ("caught", "caught"), "choose": ("chose", "chosen"), "come": ("came", "come"),
    "cost": ("cost", "cost"), "cut": ("cut", "cut"), "deal": ("dealt", "dealt"),
    "do": ("did", "done"), "draw": ("drew", "drawn"), "drive": ("drove", "driven"),
    "eat": ("ate", "eaten"), "fall": ("fell", "fallen"), "feel": ("felt", "felt"),
    "fight": ("fought", "fought"), "find": ("found", "found"), "fly": ("flew", "flown"),
    "forecast": ("forecast", "forecast"), "forget": ("forgot", "forgotten"),
    "freeze": ("froze", "frozen"), "get": ("got", "got"), "give": ("gave", "given"),
    "go": ("went", "gone"), "grow": ("grew", "grown"), "hang": ("hung", "hung"),
    "have": ("had", "had"), "hear": ("heard", "heard"), "hide": ("hid", "hidden"),
    "hit": ("hit", "hit"), "hold": ("held", "held"), "hurt": ("hurt", "hurt"),
    "keep": ("kept", "kept"), "know": ("knew", "known"), "lay": ("laid", "laid"),
    "lead": ("led", "led"), "leave": ("left", "left"), "lend": ("lent", "lent"),
    "let": ("let", "let"), "lie": ("lay", "lain"), "lose": ("lost", "lost"),
    "make": ("made", "made"), "mean": ("meant", "meant"), "meet": ("met", "met"),
    "pay": ("paid", "paid"), "put": ("put", "put"), "quit": ("quit", "quit"),
    "read": ("read", "read"), "ride": ("rode", "ridden"), "ring": ("rang", "rung"),
    "rise": ("rose", "risen"), "run": ("ran", "run"), "say": ("said", "said"),
    "see": ("saw", "seen"), "seek": ("sought", "sought"), "sell": ("sold", "sold"),
    "send": ("sent", "sent"), "set": ("set", "set"), "shake": ("shook", "shaken"),
    "shed": ("shed", "shed"), "shoot": ("shot", "shot"), "show": ("showed", "shown"),
    "shrink": ("shrank", "shrunk"), "shut": ("shut", "shut"), "sink": ("sank", "sunk"),
    "sit": ("sat", "sat"), "sleep": ("slept", "slept"), "slide": ("slid", "slid"),
    "speak": ("spoke", "spoken"), "spend": ("spent", "spent"), "split": ("split", "split"),
    "spread": ("spread", "spread"), "stand": ("stood", "stood"), "steal": ("stole", "stolen"),
    "stick": ("stuck", "stuck"), "strike": ("struck", "struck"), "swing": ("swung", "swung"),
    "take": ("took", "taken"), "teach": ("taught", "taught"), "tear": ("tore", "torn"),
    "tell": ("told", "told"), "think": ("thought", "thought"), "throw": ("threw", "thrown"),
    "understand": ("understood", "understood"), "wake": ("woke", "woken"),
    "wear": ("wore", "worn"), "win": ("won", "won"), "withdraw": ("withdrew", "withdrawn"),
    "write": ("wrote", "written"),
}  # fmt: skip

#: Irregular plurals of nouns common in news text (WordNet's noun.exc can add more).
IRREGULAR_NOUNS: dict[str, str] = {
    "man": "men", "woman": "women", "child": "children", "person": "people",
    "foot": "feet", "tooth": "teeth", "mouse": "mice", "analysis": "analyses",
    "crisis": "crises", "thesis": "theses", "basis": "bases", "index": "indices",
    "criterion": "criteria", "phenomenon": "phenomena", "medium": "media",
    "life": "lives", "wife": "wives", "knife": "knives", "leaf": "leaves", "half": "halves",
    "shelf": "shelves", "thief": "thieves", "wolf": "wolves", "series": "series",
    "species": "species", "sheep": "sheep", "fish": "fish", "aircraft": "aircraft",
}  # fmt: skip

# Words ending in "man" that are not compounds of it.
_REGULAR_MAN = frozenset(["human", "german", "roman", "shaman", "caiman", "talisman", "ottoman"])

_VOWELS = "aeiou"
# Short verbs ending consonant-vowel-consonant double the last consonant
# ("stop" -> "stopped"); longer ones mostly do not ("visit" -> "visited").
_DOUBLING_RE = re.compile(r"^[^aeiou]*[aeiou][bdgklmnprt]$")


def _sibilant(word: str) -> bool:
    return word.endswith(("s", "x", "z", "ch", "sh"))


def pluralize(noun: str, irregular: dict[str, str] | None = None) -> str:
    """Plural of a noun (of the last word of a phrase: "interest rate" -> "interest rates").

    >>> pluralize("interest rate"), pluralize("policy"), pluralize("day"), pluralize("newsman")
    ('interest rates', 'policies', 'days', 'newsmen')
    """
    head, _, last = noun.rpartition(" ")
    prefix = head + " " if head else ""
    table = irregular if irregular is not None else IRREGULAR_NOUNS
    if last in table:
        return prefix + table[last]
    # Compounds of "man" follow it ("chairman" -> "chairmen"); "human" does not.
    if last.endswith("man") and last not in _REGULAR_MAN:
        return prefix + last[:-3] + "men"
    if _sibilant(last):
        return prefix + last + "es"
    if len(last) > 1 and last.endswith("y") and last[-2] not in _VOWELS:
        return prefix + last[:-1] + "ies"
    return prefix + last + "s"


def _double_final(verb: str) -> bool:
    return _DOUBLING_RE.match(verb) is not None


def conjugate(verb: str, form: VerbForm) -> str:
    """A verb (or the first word of a phrasal verb: "go up") in the given form.

    >>> [conjugate("plan", f) for f in ("third_person", "past", "gerund")]
    ['plans', 'planned', 'planning']
    >>> conjugate("carry", "past"), conjugate("tie", "gerund"), conjugate("make", "gerund")
    ('carried', 'tying', 'making')
    """
    first, space, rest = verb.partition(" ")
    tail = space + rest
    if form == "base":
        return verb
    if first in IRREGULAR_VERBS and form in ("past", "participle"):
        past, participle = IRREGULAR_VERBS[first]
        return (past if form == "past" else participle) + tail
    if form == "third_person":
        if first == "have":
            return "has" + tail
        if first == "be":
            return "is" + tail
        if _sibilant(first) or first.endswith("o"):
            return first + "es" + tail
        if len(first) > 1 and first.endswith("y") and first[-2] not in _VOWELS:
            return first[:-1] + "ies" + tail
        return first + "s" + tail
    if form == "gerund":
        if first.endswith("ie"):
            return first[:-2] + "ying" + tail
        if first.endswith("e") and not first.endswith(("ee", "ye", "oe")) and len(first) > 2:
            return first[:-1] + "ing" + tail
        if _double_final(first):
            return first + first[-1] + "ing" + tail
        return first + "ing" + tail
    # Regular past and past participle are the same form.
    if first.endswith("e"):
        return first + "d" + tail
    if len(first) > 1 and first.endswith("y") and first[-2] not in _VOWELS:
        return first[:-1] + "ied" + tail
    if _double_final(first):
        return first + first[-1] + "ed" + tail
    return first + "ed" + tail


#: Words after which a verb form in -ed/-en is a participle, not a simple past.
PARTICIPLE_CUES = frozenset(
    [
        "has",
        "have",
        "had",
        "having",
        "been",
        "be",
        "is",
        "are",
        "was",
        "were",
        "being",
        "'s",
        "get",
        "got",
        "gets",
    ]
)


def verb_form(word: str, lemma: str, previous: str = "") -> VerbForm:
    """Which form ``word`` is of the verb ``lemma`` (``previous`` is the word before it).

    >>> verb_form("rose", "rise"), verb_form("risen", "rise"), verb_form("raised", "raise", "has")
    ('past', 'participle', 'participle')
    >>> verb_form("sells", "sell"), verb_form("selling", "sell"), verb_form("sell", "sell")
    ('third_person', 'gerund', 'base')
    """
    word = word.lower()
    first = lemma.split(" ")[0]
    if word == first:
        return "base"
    if word.endswith("ing"):
        return "gerund"
    if first in IRREGULAR_VERBS:
        past, participle = IRREGULAR_VERBS[first]
        if word == participle and word != past:
            return "participle"
        if word == past and word != participle:
            return "past"
    if word.endswith("s") and not word.endswith("ss"):
        return "third_person"
    return "participle" if previous.lower() in PARTICIPLE_CUES else "past"
