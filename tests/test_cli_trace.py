"""``detector trace`` on the command line: stdout formats, batch output, resume, pages, table."""

from __future__ import annotations

import errno
import json
import os

import pytest
from trace_texts import REWRITE, SOURCE, SPUN, UNRELATED
from typer.testing import CliRunner

from detector import writers
from detector.cli import app
from detector.swaps import read_swap_file
from detector.trace import TRACE_FIELDS
from detector.writers import read_results

runner = CliRunner()


@pytest.fixture
def files(tmp_path):
    sources = tmp_path / "sources.jsonl"
    sources.write_text(
        "".join(
            json.dumps({"doc": name, "body": text}) + "\n"
            for name, text in (("src", SOURCE), ("other", UNRELATED))
        )
    )
    suspects = tmp_path / "suspects.jsonl"
    suspects.write_text(
        "".join(json.dumps({"id": name, "text": text, "url": f"https://{name}.example/a"}) + "\n"
                for name, text in (("spun", SPUN), ("rewrite", REWRITE), ("copy", SOURCE)))
        + "{broken\n"
    )  # fmt: skip
    return tmp_path, sources, suspects


def _source_options(sources):
    return ["--sources", str(sources), "--source-text-field", "body", "--source-id-field", "doc"]


def test_trace_to_stdout_as_jsonl(files):
    _, sources, suspects = files
    result = runner.invoke(app, ["trace", str(suspects), *_source_options(sources), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["verdict"] for row in rows] == ["spun_copy", "rewrite", "copy", None]
    assert rows[0]["source_id"] == "src"
    assert rows[3]["status"] == "error"
    assert list(rows[0]) == list(TRACE_FIELDS)


def test_trace_table_and_csv(files):
    _, sources, suspects = files
    table = runner.invoke(app, ["trace", str(suspects), *_source_options(sources), "-f", "table"])
    assert table.exit_code == 0, table.output
    assert "spun" in table.stdout and "src" in table.stdout
    csv = runner.invoke(app, ["trace", str(suspects), *_source_options(sources), "-f", "csv"])
    assert csv.stdout.splitlines()[0] == ",".join(TRACE_FIELDS)


def test_saved_index_batch_output_resume_pages_and_substitutions(files):
    folder, sources, suspects = files
    index = folder / "index"
    out = folder / "traced.jsonl"
    built = runner.invoke(app, ["trace", str(suspects), *_source_options(sources),
                                "--index", str(index), "--out", str(out), "--jobs", "1",
                                "--keep", "url", "-q"])  # fmt: skip
    assert built.exit_code == 0, built.output
    assert (index / "manifest.json").exists()
    rows = list(read_results(out))
    assert [row["verdict"] for row in rows] == ["spun_copy", "rewrite", "copy", None]
    assert rows[0]["url"] == "https://spun.example/a"
    # A second run reuses the saved index; an existing output needs --overwrite.
    again = runner.invoke(app, ["trace", str(suspects), "--index", str(index), "--out", str(out)])
    assert again.exit_code == 1 and "already exists" in again.output
    pages, swaps = folder / "pages", folder / "swaps.tsv"
    second = runner.invoke(app, ["trace", str(suspects), "--index", str(index), "--out",
                                 str(out), "--overwrite", "--jobs", "1", "-q", "--html",
                                 str(pages), "--substitutions", str(swaps)])  # fmt: skip
    assert second.exit_code == 0, second.output
    assert len(list(pages.glob("0*.html"))) == 4 and (pages / "index.html").exists()
    page = next(pages.glob("00001-*.html")).read_text()
    assert "imaginative and prescient" in page and 'href="#s' in page
    pairs, skipped = read_swap_file(swaps)
    assert ("vision", "imaginative and prescient") in pairs and not skipped


def test_resume_finishes_a_run_stopped_by_a_full_disk(files, monkeypatch):
    folder, sources, suspects = files
    index, out = folder / "index", folder / "traced.jsonl"
    options = ["--index", str(index), "--out", str(out), "--jobs", "1", "-q", "--chunk-size", "1"]
    real_write = os.write
    calls = {"n": 0}

    def write(descriptor, data):
        calls["n"] += len(data) > 500  # rows, not lock files
        if calls["n"] == 2 and len(data) > 500:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    monkeypatch.setattr(writers.os, "write", write)
    stopped = runner.invoke(app, ["trace", str(suspects), *_source_options(sources), *options])
    monkeypatch.undo()
    assert stopped.exit_code == 1 and "resume" in stopped.output
    assert len(list(read_results(out))) == 1
    resumed = runner.invoke(app, ["trace", str(suspects), *_source_options(sources), *options,
                                  "--resume"])  # fmt: skip
    assert resumed.exit_code == 0, resumed.output
    ids = [row["id"] for row in read_results(out)]
    assert ids[:3] == ["spun", "rewrite", "copy"] and ids[3].endswith("suspects.jsonl:4")


def test_trace_needs_sources_or_an_index(files):
    _, _, suspects = files
    result = runner.invoke(app, ["trace", str(suspects)])
    assert result.exit_code == 1 and "--sources" in result.output
    missing = runner.invoke(app, ["trace", str(suspects), "--index", "/nonexistent/index"])
    assert missing.exit_code == 1 and "not an index" in missing.output


def test_a_batch_run_without_index_keeps_it_beside_the_output_and_resumes(files):
    folder, sources, suspects = files
    out = folder / "traced.jsonl"
    options = [*_source_options(sources), "--out", str(out), "--jobs", "1", "-q"]
    assert runner.invoke(app, ["trace", str(suspects), *options]).exit_code == 0
    assert (folder / "traced.jsonl.index" / "manifest.json").exists()
    again = runner.invoke(app, ["trace", str(suspects), *options, "--overwrite"])
    assert again.exit_code == 0, again.output
    assert next(row["verdict"] for row in read_results(out)) == "spun_copy"
