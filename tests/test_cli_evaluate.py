import dataclasses
import json
import sys
from pathlib import Path

import pytest
from browser import (
    external_requests,
    load_page,
    looks_rendered,
    problems,
    requires_chromium,
    screenshot,
)
from evaluation_files import MISLABELLED_CLEAN, write_evaluation_files
from news_texts import CLEAN_TEXTS, garble
from typer.testing import CliRunner

from detector.cli import app
from detector.report import PLOT_FILES

runner = CliRunner()


@pytest.fixture(scope="module")
def report(tmp_path_factory, tiny_model, labelled_samples):
    """`detector evaluate` of two files, compared with a model that scores everything 0.5."""
    model, card = tiny_model
    folder = tmp_path_factory.mktemp("cli-evaluate")
    model.save(folder / "tiny", card)
    blind = dataclasses.replace(model, calibration=(0.0, 0.0))
    blind.save(folder / "blind", {**card, "name": "blind"})
    first, second = write_evaluation_files(folder, labelled_samples)
    result = runner.invoke(
        app,
        ["evaluate", str(first), str(second), "--model", str(folder / "tiny"),
         "--compare", str(folder / "blind"), "--by", "source", "--out", str(folder / "report"),
         "--bootstrap", "50", "--jobs", "1"],
    )  # fmt: skip
    return result, folder / "report"


def test_evaluate_writes_the_report_and_prints_a_summary(report):
    result, out = report
    assert result.exit_code == 0, result.output
    document = json.loads((out / "metrics.json").read_text())
    assert document["overall"]["n"] == 32
    assert document["comparison"]["model"]["name"] == "blind"
    assert document["comparison"]["paired_auc"]["roc_auc_b"] == 0.5
    assert sorted(path.name for path in out.glob("*.png")) == sorted(
        [*PLOT_FILES.values(), "comparison.png"]
    )
    assert "all (pooled)" in result.stdout and "compared model" in result.stdout
    assert "ROC AUC difference (evaluated - compared): +" in result.stdout
    assert "1 rows skipped" in result.stderr


@requires_chromium
def test_evaluate_report_renders_offline_in_chromium(report, tmp_path):
    _, out = report
    image = tmp_path / "evaluate.png"
    stderr = screenshot(out / "report.html", image, tmp_path / "shot", (1200, 3000))
    assert image.exists(), stderr
    assert looks_rendered(image, (1200, 3000))
    page, events = load_page(out / "report.html", tmp_path / "profile")
    assert page["images"] == page["decoded"] == len(PLOT_FILES) + 1
    assert page["scripts"] == 0
    assert page["marks"] >= 1
    for heading in ("Per data file", "Model comparison", "False positives", "By source"):
        assert heading in page["text"]
    assert MISLABELLED_CLEAN in page["text"]
    assert external_requests(events) == []
    assert problems(events) == []


def test_evaluate_errors_are_actionable(report, tmp_path):
    model = str(report[1].parent / "tiny")
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps({"text": "Unlabelled text."}) + "\n")
    unusable = runner.invoke(
        app, ["evaluate", str(data), "--out", str(tmp_path / "out"), "--model", model]
    )
    assert unusable.exit_code == 1 and "no usable labelled rows" in unusable.output
    mixed = runner.invoke(
        app, ["evaluate", str(data), "--out", str(tmp_path / "o"), "--loo-kind", "--compare", "x"]
    )
    assert mixed.exit_code == 1 and "--loo-kind trains its own models" in mixed.output
    missing = runner.invoke(app, ["evaluate", str(data), "--out", str(tmp_path / "o"),
                                  "--model", str(tmp_path / "nope")])  # fmt: skip
    assert missing.exit_code == 1 and "no model file" in missing.output


@pytest.mark.slow
def test_leave_one_generator_out_table(tmp_path):
    # Two generator families: "roundtrip:spa" (variant 0) and "spin" (variant 1).
    data = tmp_path / "data.jsonl"
    lm_corpus = tmp_path / "clean.jsonl"
    rows = []
    for index, text in enumerate(CLEAN_TEXTS):
        group = f"doc{index}"
        rows.append({"id": f"{group}-o", "text": text, "label": 0, "group": group,
                     "kind": "original"})  # fmt: skip
        for variant, kind in ((0, "roundtrip:spa"), (1, "spin:0.3")):
            rows.append({"id": f"{group}-{variant}", "text": garble(text, variant), "label": 1,
                         "group": group, "kind": kind})  # fmt: skip
    data.write_text("".join(json.dumps(row) + "\n" for row in rows))
    lm_corpus.write_text("".join(json.dumps({"text": text}) + "\n" for text in CLEAN_TEXTS) * 3)
    out = tmp_path / "loo"
    result = runner.invoke(
        app,
        ["evaluate", str(data), "--loo-kind", "--lm-corpus", str(lm_corpus), "--out", str(out),
         "--test-share", "0.3", "--folds", "2", "--bootstrap", "20", "--jobs", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads((out / "metrics.json").read_text())
    table = document["leave_one_generator_out"]
    assert set(table["families"]) == {"roundtrip:spa", "spin"}
    assert table["n_train"] + table["n_test"] == len(rows)
    for family, entry in table["families"].items():
        held = entry["held_out"]
        assert held["n_negative"] > 0 and held["n_positive"] > 0
        # the held-out model trained on neither this family's rows nor any test row
        assert entry["n_train_without"] == table["n_train"] - table["n_train"] // 3
        assert entry["roc_auc_drop"] == pytest.approx(entry["seen"]["roc_auc"] - held["roc_auc"])
        assert family in result.stdout
    assert (out / "generalisation.png").stat().st_size > 1000
    assert "Generalisation to unseen generators" in (out / "report.html").read_text()


def test_matplotlib_is_a_core_dependency():
    """`pip install .` (the README's first command) must be enough for `detector evaluate`."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    assert any(dependency.startswith("matplotlib") for dependency in project["dependencies"])


def test_evaluate_without_matplotlib_stops_before_scoring_with_one_line(tmp_path, monkeypatch):
    data = tmp_path / "labelled.jsonl"
    data.write_text(
        json.dumps({"text": CLEAN_TEXTS[0], "label": 0})
        + "\n"
        + json.dumps({"text": garble(CLEAN_TEXTS[0], 0), "label": 1})
        + "\n"
    )
    # an entry of None makes `import matplotlib` raise ImportError
    for name in [name for name in sys.modules if name.startswith("matplotlib")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = runner.invoke(app, ["evaluate", str(data), "--out", str(tmp_path / "report")])
    assert result.exit_code == 1
    assert not isinstance(result.exception, ImportError)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install" in lines[0] and "matplotlib" in lines[0]
    assert not (tmp_path / "report").exists()
