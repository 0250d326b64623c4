import dataclasses
import json

import numpy as np
import pytest
from evaluation_files import MISLABELLED_CLEAN, MISLABELLED_SPUN, write_evaluation_files

from detector.evaluation import (
    EvaluationError,
    ScoredSet,
    compare,
    evaluate,
    evaluate_files,
    most_confident_mistakes,
    pool,
    read_samples_at,
    score_samples,
    score_stream,
)
from detector.metrics import paired_auc_difference
from detector.train import Sample, TrainingDataError, leave_one_generator_out


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory, tiny_model, labelled_samples):
    """One evaluate_files run over both files, compared with a model that knows nothing."""
    model, _ = tiny_model
    # A calibration slope of zero: 0.5 for every document, an AUC of exactly 0.5.
    blind = dataclasses.replace(model, calibration=(0.0, 0.0))
    folder = tmp_path_factory.mktemp("evaluation")
    first, second = write_evaluation_files(folder, labelled_samples)
    document = evaluate_files(
        [first, second], model, folder / "report", compare_with=blind, by=["source"],
        n_bootstrap=50, mistakes=5, batch_size=7,
    )  # fmt: skip
    return document, folder


def test_streamed_scores_match_scoring_everything_at_once(tiny_model, labelled_samples):
    model, _ = tiny_model
    scored = score_stream(labelled_samples, [model], batch_size=4)
    np.testing.assert_allclose(scored.scores[0], score_samples(labelled_samples, model))
    assert scored.labels.tolist() == [s.label for s in labelled_samples]


def test_report_covers_each_file_and_the_pool(evaluated):
    document, folder = evaluated
    names = [item["name"] for item in document["run"]["data"]]
    assert [name.rsplit("/", 1)[-1] for name in names] == ["first.jsonl", "second.csv"]
    assert [item["documents"] for item in document["run"]["data"]] == [20, 12]
    assert [item["skipped_rows"] for item in document["run"]["data"]] == [0, 1]
    assert document["overall"]["n"] == 32
    assert [document["datasets"][name]["overall"]["n"] for name in names] == [20, 12]
    assert set(document["breakdown"]) == {"kind", "dataset", "source", "length"}
    assert document["breakdown"]["dataset"][names[1]]["n"] == 12
    assert set(document["datasets"][names[0]]["breakdown"]) == {"kind", "source", "length"}
    for name in ("metrics.json", "report.html", "roc.png", "comparison.png"):
        assert (folder / "report" / name).stat().st_size > 1000


def test_mislabelled_rows_are_the_reported_mistakes_with_their_evidence(evaluated):
    document, folder = evaluated
    threshold = document["overall"]["threshold"]
    (false_positive,) = document["errors"]["false_positives"]
    (false_negative,) = document["errors"]["false_negatives"]
    assert false_positive["id"] == MISLABELLED_CLEAN and false_positive["score"] >= threshold
    assert false_negative["id"] == MISLABELLED_SPUN and false_negative["score"] < threshold
    assert false_positive["n_evidence"] > 0 and false_positive["label"] == "spun"
    assert document["overall"]["confusion"]["fp"] == 1
    page = (folder / "report" / "report.html").read_text()
    # The texts are re-read for the page: the mislabelled garbled text is shown highlighted.
    assert MISLABELLED_CLEAN in page and 'class="ev ' in page
    assert 'class="pscore"' in page


def test_comparison_with_a_blind_model(evaluated):
    document, _ = evaluated
    comparison = document["comparison"]
    paired = comparison["paired_auc"]
    assert paired["roc_auc_b"] == 0.5
    assert paired["difference"] == pytest.approx(document["overall"]["roc_auc"] - 0.5)
    assert paired["difference_ci95"][0] > 0
    assert comparison["overall"]["roc_auc"] == 0.5
    assert set(comparison["datasets"]) == set(document["datasets"])
    assert set(comparison["kind"]) == {"original", "garble:0", "garble:1"}
    assert document["plots"]["comparison"] == "comparison.png"


def test_compare_ranks_a_one_class_kind_against_the_other_class():
    labels = np.array([0, 0, 0, 1, 1, 1, 1])
    a = np.array([0.1, 0.2, 0.6, 0.9, 0.8, 0.3, 0.7])
    b = np.array([0.3, 0.1, 0.2, 0.4, 0.9, 0.8, 0.5])
    kinds = ["clean"] * 3 + ["mt", "mt", "spin", "spin"]
    scored = ScoredSet(["x"], labels, [a, b], kinds, np.full(7, 30), {},
                       np.column_stack([np.zeros(7, int), np.arange(7)]))  # fmt: skip
    result = compare(scored, 0.5, n_bootstrap=20)
    rows = np.array([True, True, True, True, True, False, False])
    expected = paired_auc_difference(labels[rows], a[rows], b[rows], n_bootstrap=20)
    assert result["kind"]["mt"]["paired_auc"] == expected
    assert result["datasets"] == {}


@pytest.mark.parametrize(
    ("labels", "scores", "limit", "expected"),
    [
        ([0, 0, 1, 1], [0.6, 0.9, 0.1, 0.4], 20, ([1, 0], [2, 3])),
        ([0, 0, 1, 1], [0.6, 0.9, 0.1, 0.4], 1, ([1], [2])),
        ([0, 1], [0.2, 0.8], 20, ([], [])),
        # at the threshold counts as spun: a clean text there is a false positive
        ([0, 1, 0], [0.5, 0.49, 0.5], 20, ([0, 2], [1])),
    ],
)
def test_most_confident_mistakes(labels, scores, limit, expected):
    assert most_confident_mistakes(np.array(labels), np.array(scores), 0.5, limit) == expected


def test_read_samples_at_stops_once_everything_is_found():
    consumed = []

    def stream():
        for i in range(1000):
            consumed.append(i)
            yield Sample(str(i), f"text {i}", 0, str(i), "k")

    found = read_samples_at(stream(), [5, 2])
    assert sorted(found) == [2, 5] and found[5].text == "text 5"
    assert len(consumed) == 6


def test_pool_keeps_each_rows_file_and_position():
    def one(name, labels):
        n = len(labels)
        return ScoredSet([name], np.array(labels), [np.full(n, 0.5)], ["k"] * n, np.full(n, 9),
                         {"source": ["s"] * n},
                         np.column_stack([np.zeros(n, int), np.arange(n)]))  # fmt: skip

    pooled = pool([one("a", [0, 1]), one("b", [1, 0, 1])])
    assert pooled.positions.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1], [1, 2]]
    assert pooled.columns["dataset"] == ["a", "a", "b", "b", "b"]
    assert pooled.rows(1).tolist() == [False, False, True, True, True]


def test_in_memory_evaluate_has_kind_length_and_by_columns(tiny_model, labelled_samples):
    model, _ = tiny_model
    samples = [dataclasses.replace(s, fields={"desk": s.group[-1]}) for s in labelled_samples]
    result = evaluate(samples, model, n_bootstrap=0, by=["desk"])
    assert result["overall"]["roc_auc"] == 1.0
    assert set(result["breakdown"]) == {"kind", "desk", "length"}


def test_a_file_without_usable_rows_is_an_error(tmp_path, tiny_model):
    empty = tmp_path / "empty.jsonl"
    empty.write_text(json.dumps({"text": "No label here."}) + "\n")
    with pytest.raises(EvaluationError, match="no usable labelled rows"):
        evaluate_files([empty], tiny_model[0], tmp_path / "out", n_bootstrap=0)


def test_leave_one_generator_out_needs_two_families(labelled_samples):
    # Both fixture kinds (garble:0, garble:1) are one family, "garble".
    everything = np.ones(len(labelled_samples), dtype=bool)
    with pytest.raises(TrainingDataError, match="at least two generator families"):
        next(leave_one_generator_out(labelled_samples, None, None, None, everything))
