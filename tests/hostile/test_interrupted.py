"""Interrupted and concurrent runs of ``detector score --out``, through the command line.

Runs are killed with SIGKILL at random moments (a fixed seed, so a failure
repeats) and resumed, with the real scorer; whatever the moment, the output
ends with exactly one row per record and the same bytes as a run that was
never interrupted.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import detector.writers as writers
from detector.cli import app
from detector.writers import read_results
from tests.hostile.corpus import write_corpus

ROOT = Path(__file__).parents[2]
COMMAND = [sys.executable, "-c", "from detector.cli import main; main()", "score"]
KILLS = 10
RECORDS = 300


def _command(source: Path, out: Path, *more: str) -> list[str]:
    return [*COMMAND, str(source), "--out", str(out), "--jobs", "1", "--chunk-size", "4", "-q",
            *more]  # fmt: skip


def test_random_kills_then_resume_give_every_row_once(tmp_path) -> None:
    source = write_corpus(tmp_path / "docs.jsonl", RECORDS)
    reference = tmp_path / "reference.jsonl"
    started = time.monotonic()
    subprocess.run(_command(source, reference), cwd=ROOT, check=True, timeout=300)
    # kill moments spread over a whole run, from start-up to the last rows,
    # however fast this machine is
    duration = time.monotonic() - started

    out = tmp_path / "out.jsonl"
    journal = tmp_path / "out.jsonl.journal"
    chooser = random.Random(20260101)
    kills = 0
    for _ in range(KILLS):
        child = subprocess.Popen(_command(source, out, "--resume"), cwd=ROOT)
        time.sleep(chooser.uniform(0.1, 0.6) * duration)
        if child.poll() is not None:  # finished before the kill
            break
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
        if out.exists():  # whatever was committed is valid output
            rows = list(read_results(out))
            assert [row["id"] for row in rows] == [row["id"] for row in read_results(reference)][
                : len(rows)
            ]
    assert kills >= 3, "the runs finished before they could be killed"
    if journal.exists() or not out.exists():
        subprocess.run(_command(source, out, "--resume"), cwd=ROOT, check=True, timeout=300)
    assert not journal.exists()
    lines = out.read_bytes().splitlines()
    assert len(lines) == RECORDS and all(json.loads(line) for line in lines)
    assert out.read_bytes() == reference.read_bytes()


def test_a_second_run_on_the_same_output_is_refused(tmp_path) -> None:
    source = write_corpus(tmp_path / "docs.jsonl", 10)
    out = tmp_path / "out.jsonl"
    with open(tmp_path / "out.jsonl.lock", "w") as held:
        held.write("4242\n")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX)
        result = CliRunner().invoke(app, ["score", str(source), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1
    assert "being written by another run (process 4242)" in result.output
    assert not out.exists()


def test_a_full_disk_stops_the_command_with_a_valid_partial_file(tmp_path, monkeypatch) -> None:
    source = write_corpus(tmp_path / "docs.jsonl", 30)
    out = tmp_path / "out.jsonl"
    real_write = os.write
    chunks = {"n": 0}

    def write(descriptor, data):
        chunks["n"] += len(data) > 500  # rows, not the lock file
        if chunks["n"] == 3 and len(data) > 500:
            real_write(descriptor, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    monkeypatch.setattr(writers.os, "write", write)
    arguments = ["score", str(source), "--out", str(out), "--jobs", "1", "--chunk-size", "5", "-q"]
    result = CliRunner().invoke(app, arguments)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "keeps the 10 rows" in result.output
    assert len(list(read_results(out))) == 10
    resumed = CliRunner().invoke(app, [*arguments, "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert [row["id"] for row in read_results(out)][-1] == "doc-29"


@pytest.mark.parametrize("status", ["ok", "too_short", "unsupported_language", "error"])
def test_the_corpus_covers_every_status(tmp_path, status) -> None:
    source = write_corpus(tmp_path / "docs.jsonl", 30)
    out = tmp_path / "out.jsonl"
    CliRunner().invoke(app, ["score", str(source), "--out", str(out), "--jobs", "1", "-q"])
    assert status in {row["status"] for row in read_results(out)}
