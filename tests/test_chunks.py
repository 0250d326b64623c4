"""A worker's chunk: every record a row, and the memory scoring freed given back."""

from __future__ import annotations

import platform
import sys

import pytest
from toy_scoring import HashScorerSpec

import detector.chunks as chunks
from detector.readers import Record

RECORDS = [
    Record("a", "The board approved the plan on Monday.", "x.jsonl", 1),
    Record("b", None, "x.jsonl", 2, error="line 2: not valid JSON"),
    Record("c", "Shares rose three percent in early trade.", "x.jsonl", 3),
]


def test_a_chunk_gives_what_it_freed_back_once_scored(monkeypatch) -> None:
    calls: list[int] = []

    def trim(pad: int) -> int:
        calls.append(pad)
        return 1

    monkeypatch.setattr(chunks, "_malloc_trim", lambda: trim)
    scored = chunks.score_records(RECORDS, HashScorerSpec())
    assert [row["id"] for row in scored.rows] == ["a", "b", "c"]
    assert [row["status"] for row in scored.rows] == ["ok", "error", "ok"]
    assert calls == [0]


def test_without_malloc_trim_a_chunk_is_scored_all_the_same(monkeypatch) -> None:
    monkeypatch.setattr(chunks, "_malloc_trim", lambda: None)
    scored = chunks.score_records(RECORDS, HashScorerSpec())
    assert [row["status"] for row in scored.rows] == ["ok", "error", "ok"]


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="malloc_trim is glibc's",
)
def test_glibc_malloc_trim_is_found() -> None:
    trim = chunks._malloc_trim()
    assert trim is not None
    trim(0)
