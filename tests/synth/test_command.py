import json
import subprocess
import sys

from typer.testing import CliRunner

from detector.cli import app

from .conftest import SAMPLES, write_jsonl

runner = CliRunner()


def test_synth_writes_a_labelled_dataset(tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        ["synth", str(SAMPLES), "--out", str(out), "-g", "damage", "--limit", "4", "--seed", "2"],
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {row["kind"].split(":")[0] for row in rows} == {"original", "damage"}
    assert "4 documents" in result.output


def test_bad_rows_are_listed_and_counted(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", ["{oops", {"id": "e", "text": ""}])
    result = runner.invoke(
        app, ["synth", str(source), "--out", str(tmp_path / "o.jsonl"), "-g", "damage"]
    )
    assert result.exit_code == 0, result.output
    assert "in.jsonl:1: line 1: not valid JSON" in result.output
    assert "in.jsonl:2: empty text" in result.output
    assert "2 bad input rows skipped" in result.output


def test_missing_apertium_is_an_actionable_error(tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["synth", str(SAMPLES), "--out", str(out), "--apertium", str(tmp_path / "none")]
    )
    assert result.exit_code == 1
    assert "sudo apt-get install apertium apertium-eng-spa" in result.output
    assert not out.exists() and not (tmp_path / "out.jsonl.partial").exists()


def test_bad_options_exit_with_usage_code(tmp_path):
    out = str(tmp_path / "o.jsonl")
    assert runner.invoke(app, ["synth", str(SAMPLES), "--out", out, "-g", "nope"]).exit_code == 2
    hold = ["synth", str(SAMPLES), "--out", out, "-g", "damage", "--hold-out-kind", "damage:*"]
    result = runner.invoke(app, hold)
    assert result.exit_code == 2 and "--split" in result.output


def test_installed_command_runs(tmp_path):
    out = tmp_path / "out.jsonl"
    completed = subprocess.run(
        [sys.executable, "-c", "from detector.cli import main; main()", "synth",
         str(SAMPLES), "--out", str(out), "-g", "damage", "--limit", "2",
         "--split", "50,25,25", "-q"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "out.train.jsonl").exists()


def test_a_thesaurus_file_drives_the_spinner_into_names(tmp_path, wordnet):
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "id": "xbox",
                "text": "Subscribers of Xbox Game Pass can stream Starfield on the console, "
                "the company said. The Game Pass library grows every month, and players "
                "like the service a lot more than last year.",
            }
        ],
    )
    thesaurus = tmp_path / "swaps.tsv"
    thesaurus.write_text("original\tspun\ncompany\tagency\nlibrary\tarchive\nbroken line\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        ["synth", str(source), "--out", str(out), "-g", "spin", "--spin-rate", "1.0",
         "--thesaurus", str(thesaurus), "--first-choice", "1.0", "--seed", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "swaps.tsv:4: not 'original<TAB>spun', skipped" in result.output
    spun = next(json.loads(line) for line in out.read_text().splitlines() if "spin" in line)
    # the file's swaps, and the built-in thesaurus reaching into the name "Game Pass"
    assert "the agency" in spun["text"]
    assert "archive" in spun["text"]
    assert "Xbox Sport Move" in spun["text"]
