"""Same input, model and version: byte-identical output, however the run is made.

Across runs, hash seeds (set iteration order differs between them), worker
counts and a Dask cluster.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.corpus import write_corpus

ROOT = Path(__file__).parents[2]
COMMAND = [sys.executable, "-c", "from detector.cli import main; main()", "score"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("determinism") / "docs.jsonl", 60)


def _run(corpus: Path, out: Path, *more: str, seed: str = "0") -> bytes:
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [*COMMAND, str(corpus), "--out", str(out), "-q", "--chunk-size", "7", *more],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    return out.read_bytes()


def test_hash_seeds_runs_and_worker_counts_give_the_same_bytes(corpus, tmp_path) -> None:
    first = _run(corpus, tmp_path / "seed0.jsonl", "--jobs", "1", seed="0")
    assert first.count(b"\n") == 60
    assert _run(corpus, tmp_path / "seed1.jsonl", "--jobs", "1", seed="1") == first
    assert _run(corpus, tmp_path / "again.jsonl", "--jobs", "1", seed="0") == first
    assert _run(corpus, tmp_path / "jobs2.jsonl", "--jobs", "2", seed="1") == first


def test_stdout_output_is_the_same_across_hash_seeds(corpus) -> None:
    outputs = set()
    for seed in ("0", "1"):
        done = subprocess.run(
            [*COMMAND, str(corpus), "--format", "jsonl"],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            timeout=300,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1 and next(iter(outputs)).count(b"\n") == 60


def test_dask_gives_the_same_bytes(corpus, tmp_path) -> None:
    pytest.importorskip("distributed")
    local = _run(corpus, tmp_path / "local.jsonl", "--jobs", "1")
    assert _run(corpus, tmp_path / "dask.jsonl", "--dask", "local", "--jobs", "2") == local
