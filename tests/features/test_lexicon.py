import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.features import lexicon
from detector.resources import Resources


@pytest.fixture(scope="module")
def resources():
    empty = Resources.empty()
    return Resources(
        vocabulary={},
        word_model=empty.word_model,
        class_model=empty.class_model,
        english_zipf={
            "the": 7.7,
            "company": 5.5,
            "said": 6.0,
            "its": 6.3,
            "profit": 4.6,
            "rose": 4.8,
            "output": 4.5,
            "quixotic": 2.1,
            "of": 7.4,
            "new": 6.2,
        },
        foreign_words={"empresa": "es", "també": "ca"},
    )


def test_untranslated_words_are_evidence(resources):
    result = lexicon.extract("The empresa said its profit rose.", resources)
    assert result.values["lexicon.foreign_word_rate"] > 0
    (item,) = [e for e in result.evidence if e.name == "lexicon.untranslated_word"]
    assert item.snippet == "empresa" and "Spanish" in item.note


def test_glued_words_count_as_untranslated(resources):
    result = lexicon.extract("The company said materialdetecnologia rose.", resources)
    assert [e.snippet for e in result.evidence] == ["materialdetecnologia"]


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("materialdetecnologia", ("material", "de", "tecnologia")),
        ("desarrollosostenible", ("desarrollo", "sostenible")),
        ("ventasdetienda", ("ventas", "de", "tienda")),
        # English compounds, names and misspellings are not glued phrases
        ("companyoutput", None),
        ("profitdecompany", None),  # no pivot-language part
        ("tecnologia", None),  # one word: untranslated, not glued
        ("desarollo", None),
        ("detecnologia", None),  # a connector must sit between two parts
    ],
)
def test_glued_pieces(word, pieces):
    english = {"material": 5.0, "company": 5.5, "output": 4.5, "profit": 4.6}
    foreign = {"tecnologia": "es", "desarrollo": "es", "sostenible": "es", "ventas": "es",
               "tienda": "es", "materiale": "it"}  # fmt: skip
    assert lexicon.glued_pieces(word, english, foreign) == pieces


def test_glued_pieces_ignores_words_too_long_to_be_a_phrase():
    english = {"material": 5.0, "counterrevolutionaries": 3.5}
    foreign = {"internacionalizacion": "es"}
    assert lexicon.glued_pieces("materialdeinternacionalizacion", english, foreign)
    too_long = "counterrevolutionariesdeinternacionalizacion"
    assert len(too_long) > lexicon.MAX_GLUED_LETTERS
    assert lexicon.glued_pieces(too_long, english, foreign) is None


def test_glued_phrases_have_their_own_rate(resources):
    glued = Resources(
        vocabulary={}, word_model=resources.word_model, class_model=resources.class_model,
        english_zipf={**resources.english_zipf, "material": 5.0},
        foreign_words={"tecnologia": "es"},
    )  # fmt: skip
    result = lexicon.extract("The company said materialdetecnologia rose.", glued)
    assert result.values["lexicon.glued_word_rate"] == pytest.approx(100 / 5)
    (item,) = result.evidence
    assert "'material de tecnologia' run together" in item.note
    plain = lexicon.extract("The company said empresa rose.", resources)
    assert plain.values["lexicon.glued_word_rate"] == 0


def test_names_are_not_foreign(resources):
    result = lexicon.extract("Empresa Holdings said its profit rose.", resources)
    assert result.values["lexicon.foreign_word_rate"] == 0


@pytest.mark.parametrize(
    ("text", "mixed"),
    [
        ("The colour of the centre and the organisation.", False),
        ("The color of the center and the organization.", False),
        ("The colour of the center and the organisation.", True),
        ("Check the program, said the Theatre.", False),
    ],
)
def test_spelling_mix(resources, text, mixed):
    assert (lexicon.extract(text, resources).values["lexicon.spelling_mix"] > 0) is mixed


def test_rare_word_profile(resources):
    plain = lexicon.extract("The company said its new output rose.", resources)
    rare = lexicon.extract("The quixotic company said its quixotic output rose.", resources)
    assert rare.values["lexicon.rare_word_share"] > plain.values["lexicon.rare_word_share"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_invariants(resources, text):
    result = lexicon.extract(text, resources)
    assert set(result.values) == set(lexicon.FEATURE_NAMES)
    assert all(math.isfinite(v) and 0 <= v <= 100 for v in result.values.values())
    for item in result.evidence:
        assert text[item.start : item.end] == item.snippet


def test_empty_text_gives_zeros():
    result = lexicon.extract("   ")
    assert all(value == 0.0 for value in result.values.values())


def test_percentages_written_both_ways_are_a_mix(resources):
    text = "Sales rose 3 percent and profit 5 percent, while costs fell 2%."
    result = lexicon.extract(text, resources)
    assert result.values["lexicon.percent_style_mix"] == 0.5
    (item,) = [e for e in result.evidence if e.name == "lexicon.percent_style_mix"]
    assert item.snippet == "%" and "percent" in item.note


@pytest.mark.parametrize(
    "text",
    [
        "Sales rose 3 percent and profit 5 percent.",
        "Sales rose 3% and profit 5 %, a 10 percentage point gain.",
        "The percent sign % is on the keyboard; 3 per cent is British.",
    ],
)
def test_one_percent_style_is_no_mix(resources, text):
    assert lexicon.extract(text, resources).values["lexicon.percent_style_mix"] == 0.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdefgh"), max_size=120), max_size=5))
def test_the_batch_type_token_ratio_is_the_sliding_one(documents):
    import numpy as np

    from detector.features.lexicon import _moving_type_token_ratios, moving_type_token_ratio

    index: dict[str, int] = {}
    ids = np.array([index.setdefault(w, len(index)) for d in documents for w in d], dtype=np.int64)
    sizes = np.array([len(d) for d in documents], dtype=np.int64)
    owner = np.repeat(np.arange(len(documents)), sizes)
    batch = _moving_type_token_ratios(ids, owner, sizes)
    assert batch.tolist() == [moving_type_token_ratio(d) for d in documents]


#: Pieces of the texts below: foreign, glued, long unknown, British and
#: American spellings, percentages written both ways.
LEXICON_PIECES = [
    "empresa ", "Empresa ", "també ", "the ", "company ", "said ", "colour ", "color ",
    "organisation ", "organization ", "materialdetecnologia ", "quixotic ", "xyzzyplughwordy ",
    "3% ", "4 percent ", "5 per cent ", ". ", "\n\n",
]  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(LEXICON_PIECES), max_size=40))
def test_evidence_is_that_of_the_word_by_word_scan(resources, pieces):
    """The evidence built from the batch's word masks is the word-by-word scan's."""
    from detector.text import Document

    text = "".join(pieces)
    assert (
        lexicon.evidence(Document.of(text), resources)
        == lexicon._scan(Document.of(text), resources).evidence
    )
