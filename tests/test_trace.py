"""detector.trace: shingles, the index, alignment spans, verdicts, the substitution table."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from news_texts import CLEAN_TEXTS
from trace_texts import REWRITE, SOURCE, SPUN, UNRELATED

from detector.readers import Record
from detector.swaps import SwapTable, read_swap_file
from detector.trace import (
    SourceIndex,
    TraceIndexError,
    Tracer,
    align,
    minhash_signatures,
    shingles,
    write_substitution_table,
)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    records = [Record("source", SOURCE, "t"), Record("unrelated", UNRELATED, "t")]
    records += [Record(f"news-{i}", text, "t") for i, text in enumerate(CLEAN_TEXTS)]
    records.append(Record("broken", None, "t", error="bad JSON"))
    records += [Record("empty", "", "t"), Record("marks", "... !! 2024", "t")]
    return SourceIndex.build(records, tmp_path_factory.mktemp("trace") / "index")


def test_shingles_survive_a_spin_better_than_chance():
    ours, theirs = shingles(SOURCE), shingles(SPUN)
    other = shingles(UNRELATED)
    assert len(np.intersect1d(ours, theirs)) > 3 * len(np.intersect1d(ours, other))


def test_shingles_of_empty_and_one_word_texts_are_empty():
    assert len(shingles("")) == 0
    assert len(shingles("Hello.")) == 0
    assert (minhash_signatures([shingles("")]) == 0xFFFFFFFF).all()


def test_index_skips_unreadable_records_and_reloads(index):
    assert len(index) == len(CLEAN_TEXTS) + 2
    assert index.manifest["skipped_records"] == 3  # unreadable, empty, no word
    again = SourceIndex.load(index.folder)
    assert again.text(0) == SOURCE
    assert again.source_id(1) == "unrelated"


def test_index_refuses_to_replace_itself_and_a_folder_without_manifest(index, tmp_path):
    with pytest.raises(TraceIndexError, match="already holds an index"):
        SourceIndex.build([], index.folder)
    with pytest.raises(TraceIndexError, match="not an index"):
        SourceIndex.load(tmp_path)


def test_empty_index_finds_nothing(tmp_path):
    empty = SourceIndex.build([], tmp_path / "empty")
    assert len(empty) == 0
    assert Tracer(empty).trace(SPUN)["verdict"] == "no_source"


@pytest.mark.parametrize(
    ("suspect", "verdict"),
    [(SOURCE, "copy"), (SPUN, "spun_copy"), (REWRITE, "rewrite"), (UNRELATED + " x", "copy")],
)
def test_verdicts(index, suspect, verdict):
    result = Tracer(index).trace(suspect)
    assert result["verdict"] == verdict
    assert result["source_id"] == ("unrelated" if suspect.startswith("The city") else "source")


def test_no_source(index):
    text = (
        "Volcanic ash closed two airports in southern Iceland on Friday while engineers inspected "
        "runways and airlines rerouted flights to Norway and Scotland."
    )
    result = Tracer(index).trace(text)
    assert result["verdict"] == "no_source"
    assert result["source_id"] is None
    assert result["substitutions"] == []


def test_spun_copy_lists_the_swaps_with_exact_spans(index):
    result = Tracer(index).trace(SPUN)
    replaced = {(e["source_text"], e["copy_text"]) for e in result["substitutions"]}
    assert ("vision", "imaginative and prescient") in replaced
    assert ("Game Pass", "Sport Move") in replaced
    assert ("told", "advised") in replaced
    for edit in result["substitutions"]:
        start, end = edit["source_span"]
        assert SOURCE[start:end] == edit["source_text"]
        start, end = edit["copy_span"]
        assert SPUN[start:end] == edit["copy_text"]
    assert 0.1 < result["changed_share"] < 0.3


def test_empty_record_is_an_error_row(index):
    assert Tracer(index).score_record(Record("x", "  ", "t"))["status"] == "error"


def test_substitution_table_reads_back_as_swaps(index, tmp_path):
    rows = [
        {"id": "spun-1", **Tracer(index).trace(SPUN)},
        {"id": "c", **Tracer(index).trace(UNRELATED)},
    ]
    path = tmp_path / "swaps.tsv"
    assert write_substitution_table(rows, path) > 5
    pairs, skipped = read_swap_file(path)
    assert skipped == []
    assert ("vision", "imaginative and prescient") in pairs
    assert path.read_text().splitlines()[0] == "original\tspun\tcount\texamples"
    table = SwapTable.from_pairs(pairs)
    assert table.originals_of("advised") == ("told",)


_WORDS = st.sampled_from(
    ["Sony", "said", "mentioned", "profit", "rose", "3.5", "percent", "the", "Game", "Pass",
     "Sport", "Move", "’s", "don't", "co-op", "—", ",", ".", "\n\n", "é", "naïve", "(6758.T)"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.lists(_WORDS, max_size=40), st.sampled_from([" ", "  "]))
def test_every_span_slices_to_its_text(before, after, space):
    source, copy = space.join(before), " ".join(after)
    result = align(source, copy)
    for edit in result.edits:
        start, end = edit["source_span"]
        assert 0 <= start <= end <= len(source)
        assert source[start:end] == edit["source_text"]
        start, end = edit["copy_span"]
        assert 0 <= start <= end <= len(copy)
        assert copy[start:end] == edit["copy_text"]
        assert edit["kind"] in ("replace", "insert", "delete")
    assert 0.0 <= result.changed_share <= 1.0
    assert 0.0 <= result.kept_share <= 1.0


def test_trace_on_a_dask_local_cluster_writes_the_same_rows(index, tmp_path):
    pytest.importorskip("distributed")
    from detector.batch import run_batch
    from detector.trace import TraceSpec

    suspects = tmp_path / "suspects.jsonl"
    texts = [SPUN, REWRITE, SOURCE, UNRELATED, *CLEAN_TEXTS]
    suspects.write_text("".join(json.dumps({"id": str(n), "text": t}) + "\n"
                                for n, t in enumerate(texts)))  # fmt: skip
    spec = TraceSpec(str(index.folder))
    options = {"spec": spec, "chunk_size": 3, "progress": "none"}
    run_batch([suspects], tmp_path / "local.jsonl", jobs=1, **options)
    run_batch([suspects], tmp_path / "dask.jsonl", jobs=2, scheduler="local", **options)
    local = (tmp_path / "local.jsonl").read_text()
    assert local == (tmp_path / "dask.jsonl").read_text()
    assert '"verdict": "spun_copy"' in local
