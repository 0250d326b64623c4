"""Every family in the batch shape gives a batch the rows and evidence of each text alone.

The texts (``tests/data/engine_texts.jsonl``, written for this project) hold
what each family looks for (tickers, case slips, spin syntax, pronoun slips,
look-alike letters) and odd inputs (empty, blank, punctuation only, one long
run of letters, CRLF paragraphs, other scripts). ``benchmarks/engine_speed.py
--equality REV --corpus tests/data/engine_texts.jsonl`` compares the same
texts with the values and evidence of another revision's engine.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from detector.features import FAMILIES, extract_batch
from detector.resources import Resources
from detector.scoring import Scorer
from detector.text import Document

TEXTS_FILE = Path(__file__).resolve().parents[1] / "data" / "engine_texts.jsonl"
TEXTS = [json.loads(line)["text"] for line in TEXTS_FILE.open(encoding="utf-8")]
BATCH_FAMILIES = [family for family in FAMILIES if hasattr(family, "transform")]


@pytest.fixture(scope="module")
def resources() -> Resources:
    return Scorer.load().model.resources


def test_the_texts_hold_what_each_family_looks_for(resources):
    """Each family finds evidence in some text: the fixture exercises every family."""
    docs = [Document.of(text) for text in TEXTS]
    _, evidence = extract_batch(docs, resources, [True] * len(docs))
    found = {item.family for items in evidence for item in items}
    assert {"tickers", "casing", "phrases", "pronouns", "homoglyphs"} <= found


@pytest.mark.parametrize("family", BATCH_FAMILIES, ids=lambda family: family.FAMILY)
def test_a_batch_gives_each_text_its_own_row(family, resources):
    docs = [Document.of(text) for text in TEXTS]
    matrix = family.transform(docs, resources)
    assert matrix.shape == (len(TEXTS), len(family.FEATURE_NAMES))
    assert np.isfinite(matrix).all()
    for index, text in enumerate(TEXTS):
        alone = family.transform([Document.of(text)], resources)[0]
        assert np.array_equal(matrix[index], alone), (family.FAMILY, text)


@pytest.mark.parametrize("whole", ["alone", "after-whole", "same-batch"])
@pytest.mark.parametrize("family", BATCH_FAMILIES, ids=lambda family: family.FAMILY)
def test_paragraph_parts_give_the_rows_of_their_texts(family, resources, whole):
    """Parts give their texts' rows, also when they take what the whole document found."""
    for text in TEXTS:
        doc = Document.of(text)
        if whole == "after-whole":  # the document scored in an earlier batch
            family.transform([doc], resources)
        parts = [doc.part(start, end) for start, end in doc.paragraphs]
        fresh = [Document.of(part.text) for part in parts]
        if whole == "same-batch":  # as the scorer runs them: the document, then its parts
            rows = family.transform([doc, *parts], resources)[1:]
        else:
            rows = family.transform(parts, resources)
        assert np.array_equal(rows, family.transform(fresh, resources))
        for part, alone in zip(parts, fresh, strict=True):
            assert family.evidence(part, resources) == family.evidence(alone, resources)


@pytest.mark.parametrize("family", BATCH_FAMILIES, ids=lambda family: family.FAMILY)
def test_evidence_points_into_the_text_and_empty_text_gives_zeros(family, resources):
    for text in TEXTS:
        for item in family.evidence(Document.of(text), resources):
            assert item.family == family.FAMILY
            assert text[item.start : item.end] == item.snippet
    assert not family.transform([Document.of("")], resources).any()
    assert family.transform([], resources).shape == (0, len(family.FEATURE_NAMES))


#: Pieces of text random texts are made of: what the families look for, and noise.
PIECES = [
    *"aAbBeEiIoOsStT .,;:()'\"-\n{|}",
    *["(XOM.N)", "3402.t", " the ", " said ", " he ", " his ", "Corp", " may 5"],
    *["12 months", "\u200b", "\u0430", "\u00ad", "Home windows", "\n\n"],
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(PIECES), max_size=60).map("".join), min_size=1, max_size=5)
)
def test_any_batch_equals_its_texts_one_by_one(texts):
    resources = Resources.empty()
    docs = [Document.of(text) for text in texts]
    for family in BATCH_FAMILIES:
        matrix = family.transform(docs, resources)
        for index, text in enumerate(texts):
            result = family.extract(text, resources)
            assert all(math.isfinite(value) for value in result.values.values())
            assert list(result.values.values()) == matrix[index].tolist()
            assert all(text[e.start : e.end] == e.snippet for e in result.evidence)


def test_what_a_document_keeps_is_found_again_for_another_model(resources):
    """A document scored with one model's resources, then another's, gets each one's values."""
    empty = Resources.empty()
    for family in BATCH_FAMILIES:
        for text in TEXTS:
            doc = Document.of(text)
            first = family.transform([doc], resources), family.evidence(doc, resources)
            second = family.transform([doc], empty), family.evidence(doc, empty)
            fresh = Document.of(text)
            assert np.array_equal(first[0], family.transform([fresh], resources))
            assert np.array_equal(second[0], family.transform([Document.of(text)], empty))
            assert second[1] == family.evidence(Document.of(text), empty)


def _evidence_after_a_batch(family, texts, resources):
    """Each text's evidence once the family has run on the whole batch (what it keeps).

    A family that prepares the evidence of a batch at once does so first, on
    every other document (as a scorer showing some of them would).
    """
    docs = [Document.of(text) for text in texts]
    family.transform(docs, resources)
    if hasattr(family, "prepare_evidence"):
        family.prepare_evidence(docs[::2], resources)
    return [family.evidence(doc, resources) for doc in docs]


@pytest.mark.parametrize("family", BATCH_FAMILIES, ids=lambda family: family.FAMILY)
def test_evidence_after_a_batch_is_the_evidence_of_each_text_alone(family, resources):
    """What ``transform`` keeps for ``evidence`` gives the items a fresh search gives."""
    after = _evidence_after_a_batch(family, TEXTS, resources)
    assert after == [family.evidence(Document.of(text), resources) for text in TEXTS]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(PIECES), max_size=60).map("".join), min_size=1, max_size=4)
)
def test_evidence_after_any_batch_is_the_evidence_alone(resources, texts):
    for family in BATCH_FAMILIES:
        after = _evidence_after_a_batch(family, texts, resources)
        assert after == [family.evidence(Document.of(text), resources) for text in texts]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=120).map("".join))
# a part shorter than the n-gram order at the start of its document
@example("a\n\na")
def test_parts_after_their_whole_equal_their_texts(resources, text):
    """A part that takes the whole document's findings gets the values of its text alone."""
    fresh = [Document.of(text[start:end]) for start, end in Document.of(text).paragraphs]
    for family in BATCH_FAMILIES:
        expected = family.transform(fresh, resources)
        doc = Document.of(text)  # the document and its parts in one batch
        parts = [doc.part(start, end) for start, end in doc.paragraphs]
        together = family.transform([doc, *parts], resources)[1:]
        assert np.array_equal(together, expected), family.FAMILY
        doc = Document.of(text)  # the document in an earlier batch
        parts = [doc.part(start, end) for start, end in doc.paragraphs]
        family.transform([doc], resources)
        assert np.array_equal(family.transform(parts, resources), expected), family.FAMILY


def test_evidence_batch_prepares_the_chosen_documents_only(resources):
    """Evidence prepared for a batch is kept on the documents shown, and only on them."""
    from detector.features import translationese

    docs = [Document.of(text) for text in TEXTS]
    wanted = [index % 2 == 0 for index in range(len(docs))]
    evidence = extract_batch(docs, resources, wanted)[1]
    key = f"{translationese.FAMILY}.sentences"
    assert [key in doc.__dict__.get("_found", {}) for doc in docs] == [
        want and bool(doc.tokens) for want, doc in zip(wanted, docs, strict=True)
    ]
    alone = [extract_batch([Document.of(text)], resources, [True])[1][0] for text in TEXTS]
    assert evidence == [own if want else [] for own, want in zip(alone, wanted, strict=True)]
