import csv
import io
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from detector import __version__
from detector.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"detector {__version__}"


def test_score_sample_articles_with_the_shipped_model():
    files = [str(SAMPLES / name) for name in ("clean-article.txt", "roundtrip-article.txt")]
    result = runner.invoke(app, ["score", *files, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {Path(row["id"]).name: row for row in json.loads(result.stdout)}
    assert rows["clean-article.txt"]["label"] == "clean"
    assert rows["roundtrip-article.txt"]["label"] == "spun"
    assert rows["roundtrip-article.txt"]["score"] > rows["clean-article.txt"]["score"]
    text = (SAMPLES / "roundtrip-article.txt").read_text()
    for item in rows["roundtrip-article.txt"]["evidence"]:
        assert text[item["start"] : item["end"]] == item["snippet"]


def test_score_reads_stdin_and_corpora(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"doc": "a", "body": (SAMPLES / "clean-article.txt").read_text()}) + "\n"
        + "not json\n"
    )  # fmt: skip
    result = runner.invoke(
        app, ["score", str(corpus), "--text-field", "body", "--id-field", "doc", "-f", "jsonl"]
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["status"]) for r in rows] == [("a", "ok"), (f"{corpus}:2", "error")]
    piped = runner.invoke(app, ["score", "-", "-f", "csv"], input="Shares rose on Monday.")
    assert piped.exit_code == 0 and "too_short" in piped.stdout


def test_all_inputs_failing_exits_2(tmp_path):
    result = runner.invoke(app, ["score", str(tmp_path / "missing.txt"), "-f", "jsonl"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["status"] == "error"


def test_explain_table_shows_evidence():
    result = runner.invoke(
        app, ["score", str(SAMPLES / "damaged-article.txt"), "--format", "table", "--explain"]
    )
    assert result.exit_code == 0, result.output
    assert "legend" in result.stdout


def test_bad_model_is_an_actionable_error(tmp_path):
    result = runner.invoke(app, ["score", "-", "--model", str(tmp_path / "nope")], input="x")
    assert result.exit_code == 1
    assert "no model file" in result.output


def test_train_and_evaluate_round_trip(tmp_path, labelled_samples):
    data = tmp_path / "train.jsonl"
    data.write_text(
        "".join(
            json.dumps({"id": s.id, "text": s.text, "label": s.label, "group": s.group,
                        "kind": s.kind}) + "\n"
            for s in labelled_samples
        )
    )  # fmt: skip
    clean = tmp_path / "clean.jsonl"
    clean.write_text(
        "".join(json.dumps({"text": s.text}) + "\n" for s in labelled_samples if s.label == 0) * 3
    )
    model = tmp_path / "models" / "tiny"
    trained = runner.invoke(
        app, ["train", str(data), "--out", str(model), "--lm-corpus", str(clean), "--jobs", "1"]
    )
    assert trained.exit_code == 0, trained.output
    assert (tmp_path / "models" / "tiny.npz").exists()
    card = json.loads((tmp_path / "models" / "tiny.json").read_text())
    assert card["training_data"]["samples"] == len(labelled_samples)
    assert card["resources"]["source"] == "built"
    assert card["resources"]["from"] == f"--lm-corpus {clean}"
    assert card["language_model_texts"] == card["resources"]["language_model_texts"] > 0
    assert "know little English" in trained.stderr
    again = runner.invoke(app, ["train", str(data), "--out", str(model), "--lm-corpus", str(clean)])
    assert again.exit_code == 1 and "exists" in again.output
    report = tmp_path / "report"
    evaluated = runner.invoke(
        app, ["evaluate", str(data), "--model", str(model), "--out", str(report),
              "--bootstrap", "50", "--jobs", "1"],
    )  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    result = json.loads((report / "metrics.json").read_text())
    assert result["overall"]["roc_auc"] > 0.9
    assert "kind" in result["breakdown"] and "length" in result["breakdown"]


@pytest.mark.slow
def test_plain_install_ships_the_model(tmp_path):
    """A wheel (not an editable install) carries the model: `detector score` works from it."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(ROOT)],
        check=True,
    )  # fmt: skip
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The dependencies come from the test environment's site-packages, added
    # as a plain path: its .pth files (the editable install of this checkout)
    # are not run, so `detector` can only come from the wheel.
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (wheel,) = wheels.glob("detector-*.whl")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": ""}
    where = subprocess.run(
        [python, "-c", "import detector.model as m; print(m.default_model_path())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert str(venv) in where.stdout and "_models" in where.stdout
    scored = subprocess.run(
        [venv / "bin" / "detector", "score", str(SAMPLES / "roundtrip-article.txt"), "-f", "json"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)[0]["label"] == "spun"


def test_batch_output_is_identical_for_one_and_two_jobs(tmp_path):
    from detector.warc import iter_warc
    from detector.writers import read_results

    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"results-{jobs}.jsonl"
        result = runner.invoke(
            app,
            ["score", str(SAMPLES), "--out", str(out), "--jobs", jobs, "--chunk-size", "7",
             "--quiet", "--keep", "kind"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    rows = list(read_results(tmp_path / "results-1.jsonl"))
    labelled = (SAMPLES / "labelled.jsonl").read_text().splitlines()
    originals = (SAMPLES / "originals.jsonl").read_text().splitlines()
    # the sample WARC's pages are rows too; its other records are skipped
    pages = [r for r in iter_warc(SAMPLES / "crawl.warc.gz") if r.status is None]
    assert len(pages) == 4
    expected = len(labelled) + len(originals) + len(list(SAMPLES.glob("*.txt"))) + len(pages)
    assert len(rows) == expected
    assert all(row["status"] in ("ok", "too_short") for row in rows)
    assert any(row.get("kind") for row in rows)


def test_evidence_for_spun_rows_only_in_a_batch_and_on_stdout(tmp_path):
    from detector.writers import read_results

    source = SAMPLES / "labelled.jsonl"
    full, quick = tmp_path / "full.jsonl", tmp_path / "quick.jsonl"
    for out, extra in ((full, []), (quick, ["--evidence", "spun"])):
        result = runner.invoke(app, ["score", str(source), "--out", str(out), "--jobs", "1",
                                     "--quiet", *extra])  # fmt: skip
        assert result.exit_code == 0, result.output
    every, spun = list(read_results(full)), list(read_results(quick))
    assert {row["label"] for row in every} == {"spun", "clean"}
    assert [row["score"] for row in spun] == [row["score"] for row in every]
    for row, expected in zip(spun, every, strict=True):
        assert row["evidence"] == (expected["evidence"] if row["label"] == "spun" else [])
    result = runner.invoke(app, ["score", str(source), "--format", "jsonl", "--evidence", "none"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(every) and not any(row["evidence"] for row in rows)


def test_ctrl_c_in_a_batch_prints_what_was_kept_and_the_resume_command(tmp_path, monkeypatch):
    import shlex

    from toy_scoring import HashScorerSpec

    import detector.batch

    source = tmp_path / "in put.jsonl"
    source.write_text(
        "".join(
            json.dumps({"text": f"Shares of company {n} rose on Monday."}) + "\n" for n in range(30)
        )
    )
    flag = tmp_path / "interrupt"
    flag.touch()
    # chunks of 5, four in flight: the interrupt at record 27 finds 10 committed
    spec = HashScorerSpec(interrupt_on=("company 27 ", str(flag)))
    monkeypatch.setattr(detector.batch, "ScorerSpec", lambda *arguments: spec)
    out = tmp_path / "r.jsonl"
    arguments = ["score", str(source), "--out", str(out), "--jobs", "1", "--chunk-size", "5"]
    result = runner.invoke(app, [*arguments, "--no-paragraphs", "--overwrite", "--quiet"])
    assert result.exit_code == 130
    assert "10 input records done, 10 rows kept in" in result.stderr
    [command] = [line for line in result.stderr.splitlines() if line.startswith("resume with: ")]
    words = shlex.split(command.removeprefix("resume with: "))
    assert words == ["detector", *arguments, "--quiet", "--no-paragraphs", "--resume"]
    resumed = runner.invoke(app, words[1:])
    assert resumed.exit_code == 0, resumed.output
    assert len(out.read_text().splitlines()) == 30


@pytest.mark.parametrize("command", ["score", "train", "evaluate", "explain", "synth"])
def test_help_fits_80_columns_with_examples_and_exit_codes(command):
    result = runner.invoke(app, [command, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "Examples:\n" in result.stdout and f"detector {command} " in result.stdout
    assert "Exit codes:\n" in result.stdout and "  2    wrong usage" in result.stdout
    assert "<bool>" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "│" not in result.stdout  # two columns of plain text, not a boxed table


def test_help_imports_no_engine():
    # the help of every command is read before any model or array is needed
    program = (
        "import sys\n"
        "from detector.cli import main\n"
        "sys.argv = ['detector', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({'numpy', 'rich', 'detector.scoring'} & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_fail_on_error_exits_2_when_any_record_fails(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Shares of the bank rose on Monday after it said profit would climb.")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    for extra in ([], ["--out", str(tmp_path / "r.jsonl")]):
        plain = runner.invoke(app, ["score", str(good), str(binary), "-q", *extra])
        assert plain.exit_code == 0, plain.output
        strict = runner.invoke(
            app, ["score", str(good), str(binary), "--fail-on-error", "-q", "--overwrite", *extra]
        )
        assert strict.exit_code == 2 and "1 of 2 records failed" in strict.stderr


def _labelled_file(tmp_path, samples):
    data = tmp_path / "train.jsonl"
    data.write_text(
        "".join(
            json.dumps({"id": s.id, "text": s.text, "label": s.label, "group": s.group,
                        "kind": s.kind}) + "\n"
            for s in samples
        )
    )  # fmt: skip
    return data


@pytest.mark.slow
def test_train_reuses_the_shipped_models_resources_by_default(tmp_path, labelled_samples):
    from detector.model import load_model

    shipped = load_model()
    patterns_before = shipped.resources.pattern_weights.copy()
    data = _labelled_file(tmp_path, labelled_samples)
    trained = runner.invoke(app, ["train", str(data), "--out", str(tmp_path / "m"), "--jobs", "1"])
    assert trained.exit_code == 0, trained.output
    assert "resources reused from model detector-" in trained.stderr
    spun = sum(s.label for s in labelled_samples)
    assert f"training rows: {spun:,} spun, {len(labelled_samples) - spun:,} clean" in (
        trained.stderr
    )
    assert "warning: " in trained.stderr  # a few dozen rows are few
    card = json.loads((tmp_path / "m.json").read_text())
    assert card["resources"]["source"] == "reused"
    assert card["resources"]["model"] == shipped.card["name"]
    assert card["resources"]["model_sha256"] == shipped.card["sha256"]
    assert card["resources"]["corpus_derived"]["vocabulary"] == len(shipped.resources.vocabulary)
    assert card["training_data"]["samples"] == len(labelled_samples)  # none set aside
    model = load_model(tmp_path / "m")
    assert model.resources.vocabulary == shipped.resources.vocabulary
    assert model.resources.proper_words == shipped.resources.proper_words
    # the pattern model is fitted on these labels; the shipped model is untouched
    assert not np.array_equal(model.resources.pattern_weights, patterns_before)
    assert np.array_equal(shipped.resources.pattern_weights, patterns_before)


@pytest.mark.slow
def test_train_reuses_another_models_resources_or_builds_them_when_asked(
    tmp_path, labelled_samples, tiny_model
):
    data = _labelled_file(tmp_path, labelled_samples)
    model, card = tiny_model
    model.save(tmp_path / "tiny", {**card, "name": "tiny"})
    both = runner.invoke(
        app, ["train", str(data), "--out", str(tmp_path / "x"), "--lm-corpus", str(data),
              "--resources-from", str(tmp_path / "tiny")],
    )  # fmt: skip
    assert both.exit_code == 1 and "not both" in both.stderr
    reused = runner.invoke(
        app, ["train", str(data), "--out", str(tmp_path / "r"), "--resources-from",
              str(tmp_path / "tiny"), "--jobs", "1"],
    )  # fmt: skip
    assert reused.exit_code == 0, reused.output
    again = json.loads((tmp_path / "r.json").read_text())
    assert again["resources"]["source"] == "reused" and again["resources"]["model"] == "tiny"
    assert again["resources"]["corpus_derived"]["vocabulary"] == len(model.resources.vocabulary)


def test_csv_on_stdout_and_csv_out_have_one_schema(tmp_path):
    samples = sorted(
        str(path) for path in (Path(__file__).parents[1] / "data/samples").glob("*.txt")
    )
    stdout = runner.invoke(app, ["score", *samples[:2], "-f", "csv"])
    assert stdout.exit_code == 0, stdout.output
    out = tmp_path / "r.csv"
    written = runner.invoke(app, ["score", *samples[:2], "--out", str(out), "--jobs", "1", "-q"])
    assert written.exit_code == 0, written.output
    assert stdout.stdout == out.read_text(encoding="utf-8")
    # The shipped model has a machine-translation head: its score is a column.
    rows = list(csv.DictReader(io.StringIO(stdout.stdout)))
    assert all(0.0 <= float(row["machine_translated_score"]) <= 1.0 for row in rows)
