import json

import numpy as np
import pytest

from detector.train import (
    Sample,
    TrainingDataError,
    fit,
    kind_weights,
    load_labelled,
    parse_label,
    split_language_model_texts,
)


def test_trained_model_separates_fixture_texts(tiny_model, labelled_samples):
    model, card = tiny_model
    from detector.evaluation import score_samples

    scores = score_samples(labelled_samples, model)
    labels = np.array([s.label for s in labelled_samples])
    assert scores[labels == 1].min() > scores[labels == 0].max()
    assert card["training_data"]["samples"] == len(labelled_samples)
    assert card["cross_validation"]["roc_auc"] > 0.9
    assert model.resources.pattern_weights is not None


def test_load_labelled_reads_rows_folders_and_reports_problems(tmp_path):
    data = tmp_path / "data.jsonl"
    rows = [
        {"id": "a", "text": "One.", "label": "spun", "kind": "x"},
        {"id": "b", "text": "Two.", "label": 0},
        {"id": "c", "text": "Three.", "label": "maybe"},
        {"id": "wmt-7-sysA", "text": "Four.", "label": 1},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    samples, problems = load_labelled([data], group_from_id=r"^wmt-\d+")
    assert [(s.id, s.label, s.group) for s in samples] == [
        ("a", 1, "a"),
        ("b", 0, "b"),
        ("wmt-7-sysA", 1, "wmt-7"),
    ]
    assert len(problems) == 1 and "label" in problems[0]

    folder = tmp_path / "set"
    (folder / "spun").mkdir(parents=True)
    (folder / "clean").mkdir()
    (folder / "spun" / "a.txt").write_text("Spun text.")
    (folder / "clean" / "b.txt").write_text("Clean text.")
    samples, _ = load_labelled([folder])
    assert sorted((s.label, s.text) for s in samples) == [(0, "Clean text."), (1, "Spun text.")]


def test_parse_label_rejects_other_numbers():
    assert parse_label(2) is None and parse_label(1.0) == 1


def test_kind_weights_balance_kinds_within_label():
    samples = [Sample(str(i), "", 1, str(i), "big") for i in range(9)]
    samples.append(Sample("x", "", 1, "x", "small"))
    weights = kind_weights(samples)
    assert weights[:9].sum() == pytest.approx(weights[9:].sum())


def test_language_model_groups_leave_the_classifier_data():
    samples = [Sample(f"{g}-{y}", f"text {g}", y, str(g), "k") for g in range(50) for y in (0, 1)]
    texts, kept = split_language_model_texts(samples, 0.3, seed=0)
    held = {s.group for s in samples} - {s.group for s in kept}
    assert texts and held and len(texts) == len(held)


def test_fit_needs_two_labels_and_two_groups():
    from detector.resources import Resources

    matrix = np.zeros((4, 2))
    with pytest.raises(TrainingDataError):
        fit(
            matrix,
            np.array([1, 1, 1, 1]),
            ["a", "b", "c", "d"],
            Resources.empty(),
            names=("a", "b"),
        )
    with pytest.raises(TrainingDataError):
        fit(matrix, np.array([0, 1, 0, 1]), ["a"] * 4, Resources.empty(), names=("a", "b"))
