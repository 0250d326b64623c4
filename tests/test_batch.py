import errno
import fcntl
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from toy_scoring import BrokenSpec, HashScorerSpec, hash_head_score, hash_score

import detector.batch as batch
import detector.writers as writers
from detector.batch import BatchError, run_batch
from detector.writers import ROW_FIELDS, read_results

TESTS = Path(__file__).parent
SPEC = HashScorerSpec()


def _text(number):
    return f"Shares of company {number} rose {number % 7} percent on Tuesday, traders said."


def _write_jsonl(path, count, start=0, extra=None):
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(start, start + count):
            row = {"id": f"doc-{number}", "text": _text(number), "url": f"https://x/{number}"}
            handle.write(json.dumps(row) + "\n")
        for line in extra or []:
            handle.write(line + "\n")
    return path


@pytest.fixture
def corpus(tmp_path):
    """Every input kind at once, good and bad: 12 + 5 + 3 + 2 + 3 + 2 records."""
    import pyarrow as pa
    import pyarrow.parquet as parquet

    folder = tmp_path / "in"
    (folder / "pages").mkdir(parents=True)
    _write_jsonl(folder / "a.jsonl", 10, extra=["{not json", json.dumps({"id": "no-text"})])
    with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        for number in range(100, 105):
            handle.write(json.dumps({"id": f"doc-{number}", "text": _text(number)}) + "\n")
    (folder / "c.csv").write_text(
        'id,text,url\nc1,"Exports fell, officials said.",u1\nc2,"Short",u2\nc3,Hi,u3\n'
    )
    table = pa.table({"id": ["p1", "p2"], "text": [_text(200), _text(201)], "url": ["a", "b"]})
    parquet.write_table(table, folder / "d.parquet")
    (folder / "pages" / "one.txt").write_text(_text(300))
    (folder / "pages" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "pages" / "gone.txt").symlink_to(folder / "missing.txt")
    return folder


def _ids(path):
    return [row["id"] for row in read_results(path)]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_every_record_gets_one_row_in_input_order(corpus, tmp_path, suffix):
    out = tmp_path / f"results{suffix}"
    missing = tmp_path / "nowhere.jsonl"
    summary = run_batch(
        [corpus, missing],
        out,
        spec=SPEC,
        jobs=1,
        chunk_size=4,
        keep=["url"],
        progress="none",
    )
    rows = list(read_results(out))
    assert summary.records == len(rows) == 12 + 5 + 3 + 2 + 3 + 1
    assert [row["id"] for row in rows[:3]] == ["doc-0", "doc-1", "doc-2"]
    by_id = {row["id"]: row for row in rows}
    assert by_id[f"{corpus / 'a.jsonl'}:11"]["error"].startswith("line 11: not valid JSON")
    assert "no field 'text'" in by_id["no-text"]["error"]
    assert "binary file" in by_id[str(corpus / "pages" / "image.txt")]["error"]
    assert "cannot read" in by_id[str(corpus / "pages" / "gone.txt")]["error"]
    assert "No such file" in by_id[f"{missing}:1"]["error"]
    assert by_id["c3"]["status"] == "too_short" and by_id["c3"]["score"] is None
    assert by_id["doc-3"]["score"] == hash_score(_text(3))
    assert by_id["doc-3"]["url"] == "https://x/3" and by_id["p2"]["url"] == "b"
    assert by_id["doc-3"]["evidence"][0]["snippet"] == "Shares"
    assert list(rows[0]) == [*ROW_FIELDS, "url"]
    errors = sum(row["status"] == "error" for row in rows)
    assert summary.errors == errors == 5
    assert summary.spun + summary.clean == summary.statuses["ok"] == len(rows) - errors - 1
    assert not (tmp_path / f"results{suffix}.journal").exists()
    assert not (tmp_path / f"results{suffix}.lock").exists()


def test_formats_agree(corpus, tmp_path):
    results = {}
    for suffix in (".jsonl", ".csv", ".parquet"):
        out = tmp_path / f"r{suffix}"
        run_batch([corpus], out, spec=SPEC, jobs=1, chunk_size=5, progress="none")
        results[suffix] = [
            (row["id"], row["line"], row["status"], row["score"], row["evidence"])
            for row in read_results(out)
        ]
    assert results[".jsonl"] == results[".csv"] == results[".parquet"]


def test_two_jobs_write_the_same_bytes_as_one(tmp_path):
    source = _write_jsonl(tmp_path / "docs.jsonl", 300, extra=["oops"])
    for jobs in (1, 2):
        run_batch(
            [source],
            tmp_path / f"j{jobs}.jsonl",
            spec=SPEC,
            jobs=jobs,
            chunk_size=7,
            progress="none",
        )
    assert (tmp_path / "j1.jsonl").read_bytes() == (tmp_path / "j2.jsonl").read_bytes()
    assert len(_ids(tmp_path / "j2.jsonl")) == 301


def test_model_is_built_once_per_worker(tmp_path):
    source = _write_jsonl(tmp_path / "docs.jsonl", 200)
    log = tmp_path / "builds.log"
    spec = HashScorerSpec(build_log=str(log))
    run_batch([source], tmp_path / "out.jsonl", spec=spec, jobs=2, chunk_size=5, progress="none")
    builds = log.read_text().split()
    # 40 chunks, at most two worker processes, each building the scorer once.
    assert 1 <= len(builds) <= 2 and len(set(builds)) == len(builds)


def test_min_score_keeps_suspicious_and_unscored_rows(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    summary = run_batch(
        [corpus],
        out,
        spec=SPEC,
        jobs=1,
        min_score=0.5,
        progress="none",
        summary_json=tmp_path / "summary.json",
    )
    rows = list(read_results(out))
    assert all(row["status"] != "ok" or row["score"] >= 0.5 for row in rows)
    assert any(row["status"] == "error" for row in rows)
    assert any(row["status"] == "too_short" for row in rows)
    assert summary.rows_written == len(rows)
    assert summary.rows_written + summary.below_min_score == summary.records == 25
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert saved == summary.to_dict()
    assert saved["spun"] == sum(row["label"] == "spun" for row in rows)
    assert {"records", "errors", "elapsed_seconds", "docs_per_second"} <= set(saved)


def test_scorer_exceptions_cost_one_record_only(tmp_path):
    source = _write_jsonl(tmp_path / "docs.jsonl", 20)
    out = tmp_path / "out.jsonl"
    run_batch([source], out, spec=HashScorerSpec(fail_on="company 7 "), jobs=1, progress="none")
    rows = list(read_results(out))
    assert len(rows) == 20
    assert rows[7]["status"] == "error" and "toy scorer failure" in rows[7]["error"]
    assert rows[8]["status"] == "ok"


def test_a_scorer_that_cannot_load_stops_the_run(tmp_path):
    source = _write_jsonl(tmp_path / "docs.jsonl", 5)
    with pytest.raises(BatchError, match=r"model.npz not found"):
        run_batch([source], tmp_path / "out.jsonl", spec=BrokenSpec(), jobs=1, progress="none")
    assert not (tmp_path / "out.jsonl.lock").exists()


def test_paths_from_a_stream_and_a_file(tmp_path):
    first = _write_jsonl(tmp_path / "one.jsonl", 3)
    second = _write_jsonl(tmp_path / "two.jsonl", 2, start=10)
    listing = f"{first}\n\n{second}\n{tmp_path / 'absent.txt'}\n"
    out = tmp_path / "a.jsonl"
    run_batch(
        [], out, spec=SPEC, jobs=1, paths_from="-", stdin=io.StringIO(listing), progress="none"
    )
    expected = ["doc-0", "doc-1", "doc-2", "doc-10", "doc-11", str(tmp_path / "absent.txt")]
    assert _ids(out) == expected
    (tmp_path / "list.txt").write_text(listing)
    run_batch(
        [first],
        tmp_path / "b.jsonl",
        spec=SPEC,
        jobs=1,
        paths_from=tmp_path / "list.txt",
        progress="none",
    )
    assert _ids(tmp_path / "b.jsonl") == ["doc-0", "doc-1", "doc-2", *expected]


def test_existing_output_is_never_replaced_silently(tmp_path):
    source = _write_jsonl(tmp_path / "docs.jsonl", 3)
    out = tmp_path / "out.csv"
    run_batch([source], out, spec=SPEC, jobs=1, progress="none")
    with pytest.raises(BatchError, match="already exists"):
        run_batch([source], out, spec=SPEC, jobs=1, progress="none")
    with pytest.raises(BatchError, match="nothing to resume"):
        run_batch([source], out, spec=SPEC, jobs=1, resume=True, progress="none")
    summary = run_batch([source], out, spec=SPEC, jobs=1, overwrite=True, progress="none")
    assert summary.records == len(_ids(out)) == 3


def test_a_second_run_on_the_same_output_is_refused(tmp_path):
    source = _write_jsonl(tmp_path / "docs.jsonl", 3)
    out = tmp_path / "out.jsonl"
    with open(tmp_path / "out.jsonl.lock", "w") as held:
        held.write("4242\n")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BatchError, match=r"being written by another run \(process 4242\)"):
            run_batch([source], out, spec=SPEC, jobs=1, progress="none")
    assert not out.exists()
    run_batch([source], out, spec=SPEC, jobs=1, progress="none")
    assert len(_ids(out)) == 3


def _failing_write(fail_at_chunk):
    """os.write that writes half of the given chunk, then reports a full disk."""
    calls = {"n": 0}
    real_write = os.write

    def write(descriptor, data):
        # Lock files and CSV headers are short; chunks of rows are not.
        calls["n"] += len(data) > 500
        if calls["n"] == fail_at_chunk and len(data) > 500:
            real_write(descriptor, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    return write


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_full_disk_stops_with_a_valid_partial_file(tmp_path, monkeypatch, suffix):
    source = _write_jsonl(tmp_path / "docs.jsonl", 50)
    out = tmp_path / f"out{suffix}"
    monkeypatch.setattr(writers.os, "write", _failing_write(3))
    with pytest.raises(BatchError, match=r"No space left on device.*keeps the 20 rows"):
        run_batch([source], out, spec=SPEC, jobs=1, chunk_size=10, progress="none")
    monkeypatch.undo()
    assert _ids(out) == [f"doc-{n}" for n in range(20)]
    if suffix == ".jsonl":
        assert out.read_bytes().endswith(b"\n")
    summary = run_batch(
        [source], out, spec=SPEC, jobs=1, chunk_size=10, resume=True, progress="none"
    )
    assert summary.resumed_records == 20 and summary.records == 50
    assert _ids(out) == [f"doc-{n}" for n in range(50)]


def test_a_failing_parquet_part_keeps_the_committed_parts(tmp_path, monkeypatch):
    source = _write_jsonl(tmp_path / "docs.jsonl", 50)
    out = tmp_path / "out.parquet"
    real_replace = os.replace
    calls = {"n": 0}

    def replace(source_path, target):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_replace(source_path, target)

    monkeypatch.setattr(writers.os, "replace", replace)
    with pytest.raises(BatchError, match="Input/output error"):
        run_batch([source], out, spec=SPEC, jobs=1, chunk_size=10, progress="none")
    monkeypatch.undo()
    assert _ids(out) == [f"doc-{n}" for n in range(20)]  # read from the parts
    run_batch([source], out, spec=SPEC, jobs=1, chunk_size=10, resume=True, progress="none")
    assert _ids(out) == [f"doc-{n}" for n in range(50)]
    assert not (tmp_path / "out.parquet.parts").exists()


@pytest.fixture
def interrupted(tmp_path, monkeypatch):
    """A JSONL run stopped by a full disk after 20 of 40 records."""
    source = _write_jsonl(tmp_path / "docs.jsonl", 40)
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(writers.os, "write", _failing_write(3))
    with pytest.raises(BatchError):
        run_batch([source], out, spec=SPEC, jobs=1, chunk_size=10, keep=["url"], progress="none")
    monkeypatch.undo()
    return source, out


def test_resume_cuts_off_uncommitted_and_torn_data(interrupted, tmp_path):
    source, out = interrupted
    complete = tmp_path / "complete.jsonl"
    run_batch([source], complete, spec=SPEC, jobs=1, keep=["url"], progress="none")
    # What a crash can leave: a chunk written but never recorded in the
    # journal, half a line, and half a journal line.
    later_rows = complete.read_bytes().splitlines(keepends=True)[20:27]
    with open(out, "ab") as handle:
        handle.write(b"".join(later_rows) + later_rows[0][:15])
    with open(tmp_path / "out.jsonl.journal", "ab") as handle:
        handle.write(b'{"records": 30, "rows"')
    summary = run_batch(
        [source], out, spec=SPEC, jobs=1, chunk_size=10, keep=["url"], resume=True, progress="none"
    )
    assert summary.resumed_records == 20 and summary.records == 40
    assert out.read_bytes() == complete.read_bytes()


def test_resume_refuses_other_settings(interrupted):
    source, out = interrupted
    with pytest.raises(BatchError, match=r"different settings.*columns"):
        run_batch([source], out, spec=SPEC, jobs=1, chunk_size=10, resume=True, progress="none")
    with pytest.raises(BatchError, match="unfinished run"):
        run_batch([source], out, spec=SPEC, jobs=1, keep=["url"], progress="none")


def test_resume_refuses_changed_inputs(interrupted, tmp_path):
    source, out = interrupted
    _write_jsonl(source, 40, start=1)
    with pytest.raises(BatchError, match="inputs changed"):
        run_batch([source], out, spec=SPEC, jobs=1, keep=["url"], resume=True, progress="none")
    _write_jsonl(source, 15)
    with pytest.raises(BatchError, match="hold 15 records"):
        run_batch([source], out, spec=SPEC, jobs=1, keep=["url"], resume=True, progress="none")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_head_score_column_resumes_to_the_same_bytes(tmp_path, suffix):
    source = _write_jsonl(tmp_path / "in.jsonl", 30)
    complete, out = tmp_path / f"complete{suffix}", tmp_path / f"r{suffix}"
    spec = HashScorerSpec(machine_translated=True)
    run_batch([source], complete, spec=spec, jobs=1, chunk_size=5, progress="none")
    flag = tmp_path / "interrupt"
    flag.touch()
    stopping = HashScorerSpec(machine_translated=True, interrupt_on=("company 17 ", str(flag)))
    with pytest.raises(batch.BatchInterrupted):
        run_batch([source], out, spec=stopping, jobs=1, chunk_size=5, progress="none",
                  max_in_flight=1)  # fmt: skip
    summary = run_batch(
        [source], out, spec=stopping, jobs=1, chunk_size=5, progress="none", resume=True
    )
    assert summary.resumed_records == 15 and summary.records == 30
    assert out.read_bytes() == complete.read_bytes()
    rows = list(read_results(out))
    assert [row["machine_translated_score"] for row in rows] == [
        hash_head_score(_text(n)) for n in range(30)
    ]


def test_resume_after_a_kill(tmp_path):
    """SIGKILL a real run part-way, resume it, and compare with an uninterrupted run."""
    source = _write_jsonl(tmp_path / "docs.jsonl", 400)
    for suffix in (".jsonl", ".parquet"):
        out = tmp_path / f"out{suffix}"
        journal = tmp_path / f"out{suffix}.journal"
        script = (
            "import sys\n"
            f"sys.path.insert(0, {str(TESTS)!r})\n"
            "from toy_scoring import HashScorerSpec\n"
            "from detector.batch import run_batch\n"
            f"run_batch([{str(source)!r}], {str(out)!r}, spec=HashScorerSpec(delay=0.002),\n"
            "          jobs=1, chunk_size=20, progress='none')\n"
        )
        child = subprocess.Popen([sys.executable, "-c", script])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if journal.exists() and journal.read_text().count("\n") >= 4:
                break
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert journal.exists(), "the run finished before it could be killed"
        partial = _ids(out)
        assert 0 < len(partial) < 400
        summary = run_batch(
            [source],
            out,
            spec=HashScorerSpec(delay=0.002),
            jobs=2,
            chunk_size=20,
            resume=True,
            progress="none",
        )
        assert summary.resumed_records >= len(partial) and summary.records == 400
        rows = list(read_results(out))
        assert [row["id"] for row in rows] == [f"doc-{n}" for n in range(400)]
        assert [row["score"] for row in rows] == [hash_score(_text(n)) for n in range(400)]


def test_reading_runs_only_a_few_chunks_ahead(tmp_path, monkeypatch):
    source = _write_jsonl(tmp_path / "docs.jsonl", 200)
    read = {"n": 0}
    behind = []
    real_iter = batch.iter_expanded
    real_append = batch._Journal.append

    def counting_iter(*args, **kwargs):
        for record in real_iter(*args, **kwargs):
            read["n"] += 1
            yield record

    def watching_append(self, state):
        behind.append(read["n"] - state.records)
        real_append(self, state)

    monkeypatch.setattr(batch, "iter_expanded", counting_iter)
    monkeypatch.setattr(batch._Journal, "append", watching_append)
    run_batch(
        [source],
        tmp_path / "out.jsonl",
        spec=SPEC,
        jobs=1,
        chunk_size=10,
        max_in_flight=3,
        progress="none",
    )
    assert len(behind) == 20 and max(behind) <= 3 * 10


def test_progress_lines_and_quiet(tmp_path):
    source = _write_jsonl(tmp_path / "docs.jsonl", 30)
    log = io.StringIO()
    run_batch(
        [source],
        tmp_path / "a.jsonl",
        spec=SPEC,
        jobs=1,
        chunk_size=10,
        progress="log",
        log_interval=0,
        stream=log,
    )
    text = log.getvalue()
    assert "detector: 10 docs" in text and "docs/s" in text
    assert "30 records -> " in text and "30 rows written" in text
    bar = io.StringIO()
    run_batch([source], tmp_path / "c.jsonl", spec=SPEC, jobs=1, progress="bar", stream=bar)
    assert "100%" in bar.getvalue() and "30 docs" in bar.getvalue()
    quiet = io.StringIO()
    run_batch([source], tmp_path / "b.jsonl", spec=SPEC, jobs=1, progress="none", stream=quiet)
    assert quiet.getvalue() == ""


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="must end in"):
        run_batch([], tmp_path / "out.txt", spec=SPEC)
    with pytest.raises(ValueError, match="cannot keep score"):
        run_batch([], tmp_path / "out.jsonl", spec=SPEC, keep=["score"])
    with pytest.raises(ValueError, match="both a document and a list"):
        run_batch(["-"], tmp_path / "out.jsonl", spec=SPEC, paths_from="-")


def test_empty_input_gives_a_valid_empty_output(tmp_path):
    for suffix in (".jsonl", ".csv", ".parquet"):
        out = tmp_path / f"out{suffix}"
        summary = run_batch([], out, spec=SPEC, jobs=1, progress="none")
        assert summary.records == 0 and list(read_results(out)) == []


def test_a_writer_that_cannot_run_leaves_nothing_to_resume(tmp_path, monkeypatch):
    """Without pyarrow, --out x.parquet fails at once and a later run starts afresh."""
    source = _write_jsonl(tmp_path / "in.jsonl", 3)
    out = tmp_path / "r.parquet"
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` raises ImportError
    for attempt in ({}, {"overwrite": True}, {"resume": True}):
        with pytest.raises(BatchError, match=r"needs pyarrow: pip install 'detector\[parquet\]'"):
            run_batch([source], out, spec=SPEC, jobs=1, progress="none", **attempt)
        assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl"]
    monkeypatch.delitem(sys.modules, "pyarrow")
    summary = run_batch([source], out, spec=SPEC, jobs=1, progress="none")
    assert summary.records == summary.rows_written == 3


def test_overwrite_replaces_an_unfinished_run(tmp_path):
    source = _write_jsonl(tmp_path / "in.jsonl", 3)
    out = tmp_path / "r.jsonl"
    (tmp_path / "r.jsonl.journal").write_text('{"journal": 999}\n')  # unreadable as well
    out.write_text("half a row")
    with pytest.raises(BatchError, match="unfinished run"):
        run_batch([source], out, spec=SPEC, jobs=1, progress="none")
    summary = run_batch([source], out, spec=SPEC, jobs=1, progress="none", overwrite=True)
    assert summary.records == 3 and len(list(read_results(out))) == 3
    assert not (tmp_path / "r.jsonl.journal").exists()


def test_an_interrupted_run_says_what_it_kept_and_resumes(tmp_path):
    source = _write_jsonl(tmp_path / "in.jsonl", 30)
    out = tmp_path / "r.jsonl"
    flag = tmp_path / "interrupt"
    flag.touch()
    spec = HashScorerSpec(interrupt_on=("company 17 ", str(flag)))
    with pytest.raises(batch.BatchInterrupted) as stopped:
        run_batch([source], out, spec=spec, jobs=1, chunk_size=5, progress="none", max_in_flight=1)
    assert (stopped.value.records, stopped.value.rows) == (15, 15)
    assert "15 input records done, 15 rows kept in" in str(stopped.value)
    summary = run_batch(
        [source], out, spec=spec, jobs=1, chunk_size=5, progress="none", resume=True
    )
    assert summary.resumed_records == 15 and summary.records == 30
    assert [row["id"] for row in read_results(out)] == [f"doc-{n}" for n in range(30)]


def test_progress_counts_committed_input_and_gives_a_real_eta(tmp_path):
    """The share of input follows the records written, not the reader running ahead."""
    source = _write_jsonl(tmp_path / "in.jsonl", 100)
    stream = io.StringIO()
    run_batch(
        [source], tmp_path / "r.jsonl", spec=HashScorerSpec(delay=0.02), jobs=1, chunk_size=10,
        progress="log", stream=stream, log_interval=0.0,
    )  # fmt: skip
    lines = [line for line in stream.getvalue().splitlines() if "% of input" in line]
    assert lines
    for line in lines:
        records = int(line.split(" docs")[0].split()[-1].replace(",", ""))
        share = int(line.split("% of input")[0].split()[-1])
        assert abs(share - records) <= 2, line  # 100 records of nearly equal size
    early = [
        line for line in lines if "ETA" in line and int(line.split(" docs")[0].split()[-1]) <= 50
    ]
    assert early and all("ETA 0:00:00" not in line for line in early), lines


def test_the_dask_module_uses_the_chunk_work_not_the_batch_run():
    """``detector.batch`` uses ``detector.distributed``, never the other way round."""
    import subprocess
    import sys

    program = "import sys, detector.distributed; print('detector.batch' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
