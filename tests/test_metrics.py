import json

import numpy as np
import pytest

from detector.metrics import (
    binary_metrics,
    breakdown,
    calibration,
    length_bucket,
    paired_auc_difference,
    ranking_metrics,
    recall_at_fpr,
)

METRIC_KEYS = {
    "n",
    "n_positive",
    "n_negative",
    "threshold",
    "roc_auc",
    "roc_auc_ci95",
    "pr_auc",
    "pr_auc_ci95",
    "auc_reference",
    "accuracy",
    "precision",
    "recall",
    "f1",
    "false_positive_rate",
    "confusion",
    "recall_at_fpr",
    "calibration",
    "bootstrap",
}


def _noisy_set(n, seed=3):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    scores = np.clip(rng.normal(0.4 + 0.2 * labels, 0.2), 0, 1)
    return labels, scores


@pytest.mark.parametrize(
    ("labels", "scores", "expected"),
    [
        ([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 1.0),
        ([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1], 0.0),
        ([0, 0, 1, 1], [0.5, 0.5, 0.5, 0.5], 0.5),
        # one positive above both negatives, one tied with a negative: (2 + 1.5) / 4
        ([0, 0, 1, 1], [0.1, 0.6, 0.6, 0.9], 0.875),
    ],
)
def test_roc_auc_on_hand_checked_rankings(labels, scores, expected):
    assert binary_metrics(labels, scores, 0.5, n_bootstrap=0)["roc_auc"] == expected


def test_perfect_ranking_has_average_precision_one_and_reversed_its_floor():
    assert binary_metrics([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 0.5)["pr_auc"] == 1.0
    # Reversed: positives are found at ranks 3 and 4, precision 1/3 then 2/4.
    reversed_ap = binary_metrics([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1], 0.5)["pr_auc"]
    assert reversed_ap == pytest.approx((1 / 3 + 2 / 4) / 2)


def test_ranking_agrees_with_scikit_learn_including_ties():
    from sklearn.metrics import average_precision_score, roc_auc_score

    rng = np.random.default_rng(7)
    for _ in range(30):
        labels = rng.integers(0, 2, 40)
        labels[:2] = [0, 1]
        scores = np.round(rng.random(40), 1)  # many ties
        result = binary_metrics(labels, scores, 0.5, n_bootstrap=0)
        assert result["roc_auc"] == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)
        assert result["pr_auc"] == pytest.approx(average_precision_score(labels, scores), abs=1e-12)


def test_threshold_metrics_and_confusion_matrix():
    # 0.5 itself counts as spun: the rule is score >= threshold.
    labels = [0, 0, 0, 0, 1, 1, 1]
    scores = [0.1, 0.2, 0.5, 0.7, 0.3, 0.5, 0.9]
    result = binary_metrics(labels, scores, 0.5, n_bootstrap=0)
    assert result["confusion"] == {"tn": 2, "fp": 2, "fn": 1, "tp": 2}
    assert result["accuracy"] == pytest.approx(4 / 7)
    assert result["precision"] == pytest.approx(2 / 4)
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert result["false_positive_rate"] == pytest.approx(2 / 4)


def test_undefined_ratios_are_none_not_zero():
    result = binary_metrics([0, 1], [0.1, 0.2], 0.5, n_bootstrap=0)
    assert result["precision"] is None  # nothing flagged
    assert result["f1"] == 0.0  # defined: a missed positive, no hit


def test_keys_are_stable_and_json_serialisable():
    result = binary_metrics([0, 1, 0, 1], [0.2, 0.7, 0.4, 0.6], 0.5, n_bootstrap=20)
    assert set(result) == METRIC_KEYS
    assert set(result["recall_at_fpr"]) == {"0.01", "0.001"}
    assert set(result["calibration"]) == {"brier", "ece", "reliability"}
    assert len(result["calibration"]["reliability"]) == 10
    json.dumps(result, allow_nan=False)


def test_one_class_absent_gives_none_aucs_but_keeps_defined_values():
    result = binary_metrics([0, 0, 0], [0.1, 0.6, 0.2], 0.5)
    assert result["roc_auc"] is None and result["roc_auc_ci95"] is None
    assert result["pr_auc"] is None and result["auc_reference"] is None
    assert result["false_positive_rate"] == pytest.approx(1 / 3)
    assert result["recall"] is None
    assert result["recall_at_fpr"]["0.01"]["recall"] is None


def test_empty_input_does_not_raise():
    result = binary_metrics([], [], 0.5)
    assert result["n"] == 0 and result["accuracy"] is None
    assert result["calibration"]["brier"] is None


@pytest.mark.parametrize(
    ("labels", "scores", "message"),
    [
        ([0, 1], [0.1], "rows"),
        ([0, 2], [0.1, 0.2], "0/1"),
        ([0, 1], [0.1, float("nan")], "finite"),
        ([0, 1], [0.1, 1.5], r"\[0, 1\]"),
    ],
)
def test_bad_input_is_rejected(labels, scores, message):
    with pytest.raises(ValueError, match=message):
        binary_metrics(labels, scores, 0.5, n_bootstrap=0)


def test_known_calibration_error():
    # Bin [0, 0.1): mean 0.05, observed 0.5; bin [0.9, 1]: mean 0.95, observed 1.
    # ECE = (2 * 0.45 + 2 * 0.05) / 4 = 0.25.
    result = calibration([0, 1, 1, 1], [0.05, 0.05, 0.95, 0.95])
    assert result["ece"] == pytest.approx(0.25)
    assert result["brier"] == pytest.approx((0.05**2 + 0.95**2 + 2 * 0.05**2) / 4)
    first, last = result["reliability"][0], result["reliability"][-1]
    assert (first["count"], first["mean_score"], first["observed_rate"]) == (2, 0.05, 0.5)
    assert (last["count"], last["mean_score"], last["observed_rate"]) == (2, 0.95, 1.0)
    assert all(b["mean_score"] is None for b in result["reliability"][1:-1])


def test_perfectly_calibrated_bins_give_zero_ece():
    # 0.25 predicted for four rows of which one is positive, 0.75 for 3 of 4.
    result = calibration([1, 0, 0, 0, 1, 1, 1, 0], [0.25] * 4 + [0.75] * 4)
    assert result["ece"] == pytest.approx(0.0)


@pytest.mark.parametrize(("score", "index"), [(0.0, 0), (0.3, 3), (0.7, 7), (0.95, 9), (1.0, 9)])
def test_scores_fall_in_the_bin_their_label_names(score, index):
    bins = calibration([1], [score])["reliability"]
    assert bins[index]["count"] == 1
    assert bins[index]["low"] <= score <= bins[index]["high"]


def test_recall_at_fpr_on_hand_checked_sets():
    positives = [0.95, 0.9, 0.85, 0.6, 0.3]
    negatives = [0.9] + [0.5] * 3 + [0.1] * 96  # 100 negatives
    # 1% of 100 negatives allows one false positive (the 0.9): the threshold
    # must stay above 0.5, keeping 4 of 5 positives.
    one_percent = recall_at_fpr(positives, negatives, 0.01)
    assert one_percent == {"recall": 0.8, "threshold": 0.6, "false_positive_rate": 0.01}
    # 0.1% allows none: only positives strictly above 0.9 survive; the one
    # tied with that negative is lost.
    tenth = recall_at_fpr(positives, negatives, 0.001)
    assert tenth == {"recall": 0.2, "threshold": 0.95, "false_positive_rate": 0.0}


def test_recall_at_fpr_reported_in_binary_metrics():
    labels = [1] * 5 + [0] * 100
    scores = [0.95, 0.9, 0.85, 0.6, 0.3] + [0.9] + [0.5] * 3 + [0.1] * 96
    result = binary_metrics(labels, scores, 0.5, n_bootstrap=0)
    assert result["recall_at_fpr"]["0.01"]["recall"] == 0.8
    assert result["recall_at_fpr"]["0.001"]["recall"] == 0.2


def test_no_positive_above_every_negative_gives_zero_recall():
    assert recall_at_fpr([0.2], [0.9, 0.1], 0.01) == {
        "recall": 0.0,
        "threshold": None,
        "false_positive_rate": 0.0,
    }


def test_bootstrap_interval_contains_the_estimate_and_is_deterministic():
    labels, scores = _noisy_set(400)
    first = binary_metrics(labels, scores, 0.5, n_bootstrap=300, seed=11)
    again = binary_metrics(labels, scores, 0.5, n_bootstrap=300, seed=11)
    other = binary_metrics(labels, scores, 0.5, n_bootstrap=300, seed=12)
    for key in ("roc_auc", "pr_auc"):
        low, high = first[f"{key}_ci95"]
        assert low < first[key] < high
        assert high - low < 0.2
    assert first == again
    assert first["roc_auc_ci95"] != other["roc_auc_ci95"]


def test_bootstrap_interval_matches_a_plain_resampling_loop():
    from sklearn.metrics import roc_auc_score

    labels, scores = _noisy_set(300, seed=5)
    ours = ranking_metrics(scores[labels == 1], scores[labels == 0], n_bootstrap=400, seed=1)
    rng = np.random.default_rng(99)
    positives, negatives = scores[labels == 1], scores[labels == 0]
    plain = []
    for _ in range(400):
        p = rng.choice(positives, positives.size)
        n = rng.choice(negatives, negatives.size)
        plain.append(roc_auc_score([1] * p.size + [0] * n.size, np.concatenate([p, n])))
    low, high = np.percentile(plain, [2.5, 97.5])
    # Different random draws, same distribution: the bounds agree closely.
    assert ours["roc_auc_ci95"][0] == pytest.approx(low, abs=0.02)
    assert ours["roc_auc_ci95"][1] == pytest.approx(high, abs=0.02)


def test_breakdown_single_class_groups_rank_against_the_pooled_other_class():
    labels = [0, 0, 0, 0, 1, 1, 1, 1]
    scores = [0.1, 0.2, 0.3, 0.7, 0.6, 0.8, 0.9, 0.95]
    kind = ["clean", "clean", "wiki", "wiki", "mt", "mt", "spinner", "spinner"]
    table = breakdown(labels, scores, 0.5, {"kind": kind}, n_bootstrap=50)["kind"]
    assert sorted(table) == ["clean", "mt", "spinner", "wiki"]
    # mt: 0.6 beats 3 of 4 pooled negatives, 0.8 beats all 4 -> 7/8.
    assert table["mt"]["roc_auc"] == pytest.approx(7 / 8)
    assert table["mt"]["auc_reference"] == "pooled_negatives"
    assert table["mt"]["recall"] == 1.0 and table["mt"]["false_positive_rate"] is None
    assert table["spinner"]["roc_auc"] == 1.0
    # wiki negatives 0.3, 0.7 against all positives: 4/4 and 3/4 -> 7/8.
    assert table["wiki"]["roc_auc"] == pytest.approx(7 / 8)
    assert table["wiki"]["auc_reference"] == "pooled_positives"
    assert table["wiki"]["false_positive_rate"] == 0.5 and table["wiki"]["recall"] is None
    assert table["wiki"]["n"] == 2 and table["wiki"]["n_positive"] == 0
    assert table["mt"]["roc_auc_ci95"] is not None


def test_breakdown_mixed_group_ranks_within_the_group_and_adds_length():
    labels = [0, 1, 0, 1]
    scores = [0.2, 0.9, 0.95, 0.3]
    source = ["a", "a", "b", "b"]
    table = breakdown(labels, scores, 0.5, {"source": source}, n_words=[10, 10, 500, 200])
    assert table["source"]["a"]["roc_auc"] == 1.0
    assert table["source"]["b"]["roc_auc"] == 0.0
    assert table["source"]["a"]["auc_reference"] == "group"
    assert sorted(table["length"]) == ["150-399", "400+", "<50"]
    assert table["length"]["<50"]["n"] == 2


def test_breakdown_reports_missing_values_and_checks_lengths():
    table = breakdown([0, 1], [0.2, 0.8], 0.5, {"source": [None, "x"]}, n_bootstrap=0)
    assert sorted(table["source"]) == ["(missing)", "x"]
    with pytest.raises(ValueError, match="group column 'source'"):
        breakdown([0, 1], [0.2, 0.8], 0.5, {"source": ["x"]})


@pytest.mark.parametrize(
    ("n_words", "bucket"),
    [(0, "<50"), (49, "<50"), (50, "50-149"), (149, "50-149"), (150, "150-399"), (400, "400+")],
)
def test_length_bucket_edges(n_words, bucket):
    assert length_bucket(n_words) == bucket


def test_paired_difference_of_identical_scorers_is_exactly_zero():
    labels, scores = _noisy_set(200)
    result = paired_auc_difference(labels, scores, scores, n_bootstrap=200)
    assert result["difference"] == 0.0
    assert result["difference_ci95"] == [0.0, 0.0]


def test_paired_difference_detects_a_better_scorer():
    labels, scores = _noisy_set(600)
    rng = np.random.default_rng(0)
    noisier = np.clip(scores + rng.normal(0, 0.3, scores.size), 0, 1)
    result = paired_auc_difference(labels, scores, noisier, n_bootstrap=300, seed=4)
    low, high = result["difference_ci95"]
    assert 0 < low < result["difference"] < high
    assert result["share_b_not_worse"] == 0.0
    assert result == paired_auc_difference(labels, scores, noisier, n_bootstrap=300, seed=4)
    flipped = paired_auc_difference(labels, noisier, scores, n_bootstrap=300, seed=4)
    assert flipped["difference_ci95"] == pytest.approx([-high, -low])


def test_paired_difference_needs_both_classes():
    with pytest.raises(ValueError, match="both classes"):
        paired_auc_difference([1, 1], [0.2, 0.3], [0.4, 0.5])
