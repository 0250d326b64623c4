"""Properties of every feature family, the readers and the scorer, on hostile input.

Each never raises, gives finite values in the documented ranges, cuts every
evidence snippet from the text at its offsets, and gives the documented
empty result for empty input. The budget is fixed and derandomised here;
``scripts/fuzz.py`` runs the same properties as a longer random search.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from detector.features import _NEEDS_RESOURCES, FAMILIES, extract_all, feature_names
from detector.readers import decode_bytes, iter_records
from detector.resources import Resources
from detector.scoring import Scorer
from detector.text import WORD_RE
from tests.hostile.strategies import PROPERTY_SETTINGS, hostile_bytes, hostile_text

STATUSES = {"ok", "too_short", "unsupported_language", "error"}
#: Features that are differences or logits, and so may be negative.
SIGNED_FEATURES = frozenset(
    {
        "phrasing.context_gain",
        "translationese.pattern_score",
        "translationese.wording_score",
        "translationese.worst_block_wording",
    }
)


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer.load()


def _extract(family, text, resources):
    if family.FAMILY in _NEEDS_RESOURCES:
        return family.extract(text, resources)
    return family.extract(text)


def _check_values(values: dict[str, float], names) -> None:
    assert set(values) == set(names)
    for name, value in values.items():
        assert isinstance(value, float) and math.isfinite(value), name
        assert value >= 0 or name in SIGNED_FEATURES, name
        # shares are fractions of something; everything else is a rate
        if name.endswith("_share"):
            assert value <= 1, name


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.FAMILY)
def test_empty_text_gives_zeros_and_no_evidence(family, scorer) -> None:
    result = _extract(family, "", scorer.model.resources)
    assert result.values == dict.fromkeys(family.FEATURE_NAMES, 0.0)
    assert result.evidence == []


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.FAMILY)
def test_family_invariants(family, scorer) -> None:
    @PROPERTY_SETTINGS
    @given(hostile_text)
    def check(text: str) -> None:
        result = _extract(family, text, scorer.model.resources)
        _check_values(result.values, family.FEATURE_NAMES)
        for item in result.evidence:
            assert item.family == family.FAMILY
            assert 0 <= item.start <= item.end <= len(text)
            assert text[item.start : item.end] == item.snippet

    check()


@PROPERTY_SETTINGS
@given(hostile_text)
def test_all_families_without_resources(text: str) -> None:
    result = extract_all(text, Resources.empty())
    _check_values(result.values, feature_names())


@PROPERTY_SETTINGS
@given(hostile_bytes)
def test_decode_bytes_gives_text_or_an_error(data: bytes) -> None:
    text, warnings, error = decode_bytes(data)
    assert (text is None) != (error is None)
    assert all(isinstance(warning, str) for warning in warnings)
    if text is not None:
        text.encode("utf-8")  # no lone surrogates: every writer can store it


@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".csv", ".jsonl.gz"])
def test_readers_give_one_record_per_input(suffix, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("readers")

    @PROPERTY_SETTINGS
    @given(hostile_bytes)
    def check(data: bytes) -> None:
        path = folder / f"input{suffix}"
        if suffix.endswith(".gz"):
            import gzip

            # cut into the last block: the 8-byte trailer and one byte more
            path.write_bytes(gzip.compress(data, mtime=0)[:-9])
        else:
            path.write_bytes(data)
        records = list(iter_records([path]))
        for record in records:
            assert record.source == str(path)
            assert (record.text is None) == (record.error is not None)
            if record.text is not None:
                record.text.encode("utf-8")
            if suffix != ".txt":
                assert record.line is not None
        if suffix == ".txt":
            assert len(records) == 1
        elif suffix == ".jsonl":
            assert len(records) == len([line for line in data.split(b"\n") if line.strip()])
        elif suffix == ".jsonl.gz":
            assert records[-1].error is not None and "cannot read" in records[-1].error

    check()


@PROPERTY_SETTINGS
@given(hostile_text)
def test_scorer_answers_every_text(text: str) -> None:
    scorer = _shared_scorer()
    result = scorer.score_text(text)
    assert result["status"] in STATUSES - {"error"}
    if result["status"] == "unsupported_language":
        assert result["score"] is None and result["label"] is None
        assert result["language"] and result["language"] != "en"
    elif result["score"] is None:  # no word at all: nothing to score
        assert result["status"] == "too_short" and not WORD_RE.search(text)
    else:
        assert 0.0 <= result["score"] <= 1.0
        assert (result["label"] is None) == (result["status"] == "too_short")
    for item in result["evidence"]:
        assert text[item["start"] : item["end"]] == item["snippet"]
    for paragraph in result["paragraphs"]:
        assert 0 <= paragraph["start"] <= paragraph["end"] <= len(text)
        assert 0.0 <= paragraph["score"] <= 1.0


_SCORERS: list[Scorer] = []


def _shared_scorer() -> Scorer:
    # A fixture cannot feed a @given test directly; the model loads once.
    if not _SCORERS:
        _SCORERS.append(Scorer.load())
    return _SCORERS[0]
