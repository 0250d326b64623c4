import pytest

from detector.synth.inflect import conjugate, pluralize, verb_form


@pytest.mark.parametrize(
    ("noun", "plural"),
    [
        ("company", "companies"),
        ("day", "days"),
        ("tax", "taxes"),
        ("branch", "branches"),
        ("child", "children"),
        ("crisis", "crises"),
        ("interest rate", "interest rates"),
        ("pores and skin", "pores and skins"),
    ],
)
def test_pluralize(noun, plural):
    assert pluralize(noun) == plural


@pytest.mark.parametrize(
    ("verb", "form", "expected"),
    [
        ("rise", "past", "rose"),
        ("rise", "participle", "risen"),
        ("lift", "past", "lifted"),
        ("plan", "gerund", "planning"),
        ("visit", "past", "visited"),
        ("open", "past", "opened"),
        ("carry", "third_person", "carries"),
        ("push", "third_person", "pushes"),
        ("go up", "past", "went up"),
        ("move up", "gerund", "moving up"),
        ("agree", "gerund", "agreeing"),
        ("state", "base", "state"),
    ],
)
def test_conjugate(verb, form, expected):
    assert conjugate(verb, form) == expected


@pytest.mark.parametrize(
    ("word", "lemma", "previous", "form"),
    [
        ("said", "say", "", "past"),
        ("said", "say", "has", "participle"),  # same form: the word before decides
        ("fallen", "fall", "had", "participle"),
        ("fell", "fall", "", "past"),
        ("raised", "raise", "was", "participle"),
        ("raises", "raise", "", "third_person"),
        ("raising", "raise", "", "gerund"),
        ("raise", "raise", "to", "base"),
    ],
)
def test_verb_form(word, lemma, previous, form):
    assert verb_form(word, lemma, previous) == form
