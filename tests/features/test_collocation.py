import math

import numpy as np
import pytest

from detector.collocations import Collocations
from detector.features import collocation
from detector.features.collocation import FEATURE_NAMES, evidence, extract, transform
from detector.resources import Resources
from detector.text import Document

# Everyday sentences written for these tests; each word below is common in them.
CORPUS = [
    "The naughty dog ran to the park with the children.",
    "A young canine sat quietly by the door of the house.",
    "Red cars are fast, and the red dead leaves fell in the park.",
    "The game ended late, and the players went to the house.",
    "People play the game in the park when the weather is good.",
] * 250


@pytest.fixture(scope="module")
def resources() -> Resources:
    built = Resources.empty()
    built.collocations = Collocations.build(CORPUS)
    return built


def column(rows: np.ndarray, name: str) -> list[float]:
    return rows[:, FEATURE_NAMES.index(name)].round(3).tolist()


def test_unseen_pairs_of_common_words_raise_the_share(resources):
    rows = transform(
        [
            Document.of("The naughty canine ran to the park with the children."),
            Document.of("The naughty dog ran to the park with the children."),
        ],
        resources,
    )
    shares = column(rows, "collocation.unseen_pair_share")
    assert shares[0] > 0.0
    assert shares[1] == 0.0


def test_capitalised_unseen_pairs_are_name_pairs(resources):
    doc = Document.of("Fans of Red Dead loved it. Fans of Naughty Canine loved the game.")
    rows = transform([doc], resources)
    assert column(rows, "collocation.unseen_name_pair_rate")[0] > 0
    names = [e.snippet for e in evidence(doc, resources) if e.name.endswith("name_pair")]
    assert names == ["Naughty Canine"]


def test_rare_and_unknown_words_never_count(resources):
    doc = Document.of("The zorblax flimflammed the park.")
    rows = transform([doc], resources)
    assert column(rows, "collocation.unseen_pair_share") == [0.0]
    assert evidence(doc, resources) == []


def test_pairs_do_not_cross_sentences_or_punctuation(resources):
    doc = Document.of("The game ended late. Canine sat. Dog, house.")
    items = evidence(doc, resources)
    assert all(" " in item.snippet and "." not in item.snippet for item in items)
    assert "late. Canine" not in [item.snippet for item in items]


def test_worst_block_finds_a_passage_pasted_into_clean_text(resources):
    clean = "The naughty dog ran to the park with the children. " * 4
    spun = "The naughty canine ran quietly. The red canine sat with the dead game. " * 2
    rows = transform([Document.of(clean + spun)], resources)
    whole = column(rows, "collocation.unseen_pair_share")[0]
    worst = column(rows, "collocation.worst_block_unseen_pair_share")[0]
    assert worst > whole > 0


def test_a_batch_gives_the_rows_of_its_documents_one_by_one(resources):
    texts = [
        "The naughty canine ran to the park.",
        "",
        "Red dead leaves fell. The game ended late, and the canine players went home.",
        "The game ended late.",
    ]
    batch = transform([Document.of(text) for text in texts], resources)
    single = np.vstack([transform([Document.of(text)], resources) for text in texts])
    assert np.allclose(batch, single)
    assert batch.shape == (4, len(FEATURE_NAMES))


def test_every_span_is_cut_from_the_text(resources):
    text = "The naughty  canine ran.\n\nRed  Dead leaves and the canine game."
    for item in evidence(Document.of(text), resources):
        assert text[item.start : item.end] == item.snippet
        assert item.family == collocation.FAMILY


def test_without_a_table_every_value_is_zero():
    result = extract("The naughty canine ran to the park.", Resources.empty())
    assert set(result.values) == set(FEATURE_NAMES)
    assert all(value == 0.0 for value in result.values.values())
    assert result.evidence == []


def test_empty_text_gives_zeros(resources):
    result = extract("", resources)
    assert all(value == 0.0 and math.isfinite(value) for value in result.values.values())
