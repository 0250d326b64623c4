import dataclasses
import json

import numpy as np
import pytest

from detector.model import FORMAT_VERSION, ModelError, load_model


@pytest.fixture()
def saved(tiny_model, tmp_path):
    model, card = tiny_model
    path = model.save(tmp_path / "tiny", card)
    return path


def test_round_trip_gives_identical_scores(saved, tiny_model):
    model, _ = tiny_model
    loaded = load_model(saved)
    rows = np.random.default_rng(0).normal(size=(5, len(model.feature_names)))
    assert np.array_equal(loaded.probability(rows), model.probability(rows))
    assert loaded.card["format_version"] == FORMAT_VERSION
    assert loaded.resources.vocabulary == model.resources.vocabulary


def test_model_file_holds_no_pickles(saved):
    with np.load(saved, allow_pickle=False) as data:
        assert all(data[key].dtype != object for key in data.files)


def test_existing_model_is_not_overwritten(saved, tiny_model):
    model, card = tiny_model
    with pytest.raises(ModelError, match="exists"):
        model.save(saved, card)


def _copy(saved, tmp_path, name):
    target = tmp_path / f"{name}.npz"
    target.write_bytes(saved.read_bytes())
    card = json.loads(saved.with_suffix(".json").read_text())
    return target, card


def test_checksum_mismatch_is_refused(saved, tmp_path):
    target, card = _copy(saved, tmp_path, "damaged")
    target.write_bytes(target.read_bytes()[:-10] + b"0123456789")
    target.with_suffix(".json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="does not match its card"):
        load_model(target)


def test_newer_format_is_refused(saved, tmp_path):
    target, card = _copy(saved, tmp_path, "future")
    card["format_version"] = FORMAT_VERSION + 1
    target.with_suffix(".json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="upgrade detector"):
        load_model(target)


def test_unknown_features_are_refused(saved, tmp_path):
    target, card = _copy(saved, tmp_path, "alien")
    card["feature_names"][0] = "telepathy.score"
    target.with_suffix(".json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match=r"telepathy\.score"):
        load_model(target)


def test_missing_card_is_refused(saved, tmp_path):
    target = tmp_path / "lonely.npz"
    target.write_bytes(saved.read_bytes())
    with pytest.raises(ModelError, match="no card"):
        load_model(target)


def test_exported_trees_match_scikit_learn():
    from sklearn.ensemble import HistGradientBoostingClassifier

    from detector.model import TreeEnsemble

    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(400, 5))
    labels = (matrix[:, 0] * matrix[:, 1] + 0.3 * matrix[:, 2] > 0).astype(int)
    estimator = HistGradientBoostingClassifier(max_depth=4, max_iter=40, random_state=0)
    estimator.fit(matrix, labels)
    trees = TreeEnsemble.from_sklearn(estimator)
    fresh = rng.normal(size=(200, 5))
    assert np.allclose(trees.raw(fresh), estimator.decision_function(fresh))
    again = TreeEnsemble.from_arrays(trees.to_arrays())
    assert np.array_equal(again.raw(fresh), trees.raw(fresh))


def test_contributions_point_at_the_feature_that_matters(tiny_model):
    model, _ = tiny_model
    row = model.reference.copy()
    contributions = model.contributions(row)
    assert set(contributions) == set(model.feature_names)
    assert all(abs(value) < 1e-9 for value in contributions.values())


def test_an_evidence_floor_lifts_only_rows_where_its_feature_fired(tiny_model):
    model, _ = tiny_model
    rows = np.repeat(model.reference[None, :], 2, axis=0)
    column = model.feature_names.index("phrases.spin_syntax_rate")
    rows[1, column] = 3.0
    floored = dataclasses.replace(
        model, floor_features=np.array([column]), floor_probabilities=np.array([0.97])
    )
    before, after = model.probability(rows), floored.probability(rows)
    assert after[0] == before[0]
    assert after[1] >= 0.97 and after[1] > before[1]
    assert floored.contributions(rows[1])["phrases.spin_syntax_rate"] > 0


def test_floors_survive_saving_and_are_on_the_card(tiny_model, tmp_path):
    model, card = tiny_model
    column = model.feature_names.index("tickers.glued_suffix_rate")
    floored = dataclasses.replace(
        model, floor_features=np.array([column]), floor_probabilities=np.array([0.95])
    )
    path = floored.save(tmp_path / "floored", card)
    loaded = load_model(path)
    assert loaded.floors() == {"tickers.glued_suffix_rate": 0.95}
    assert loaded.card["evidence_floors"] == {"tickers.glued_suffix_rate": 0.95}


def test_a_floor_that_is_no_probability_is_refused(tiny_model, tmp_path):
    model, card = tiny_model
    broken = dataclasses.replace(
        model, floor_features=np.array([0]), floor_probabilities=np.array([1.5])
    )
    with pytest.raises(ModelError, match="evidence floor"):
        load_model(broken.save(tmp_path / "broken", card))


def test_a_model_file_is_hashed_again_only_once_it_changes(saved, monkeypatch):
    from detector import model as model_module

    hashed = []
    file_sha256 = model_module.file_sha256
    monkeypatch.setattr(
        model_module, "file_sha256", lambda path: hashed.append(path) or file_sha256(path)
    )
    for _ in range(2):  # hashed (the arrays cached, if they were not), then recorded
        model_module._load_verified.cache_clear()
        load_model(saved)
    assert hashed
    hashed.clear()
    model_module._load_verified.cache_clear()
    load_model(saved)
    assert not hashed
    data = bytearray(saved.read_bytes())
    data[-5] ^= 0xFF  # damaged in place: same size, a new modification time
    saved.write_bytes(bytes(data))
    model_module._load_verified.cache_clear()
    with pytest.raises(ModelError, match="does not match its card"):
        load_model(saved)
    assert len(hashed) == 1


def test_a_linear_term_adds_its_column_above_its_knot_to_the_logit(tiny_model, tmp_path):
    model, card = tiny_model
    column = model.feature_names.index("translationese.page_score")
    rows = np.repeat(model.reference[None, :], 3, axis=0)
    rows[:, column] = [-1.0, 0.0, 2.0]
    added = dataclasses.replace(
        model, linear_features=np.array([column]), linear_weights=np.array([0.75]),
        linear_knots=np.array([0.5]),
    )  # fmt: skip

    def logit(p):
        return np.log(p) - np.log1p(-p)

    difference = logit(added.probability(rows)) - logit(model.probability(rows))
    np.testing.assert_allclose(difference, [0.0, 0.0, 0.75 * 1.5], atol=1e-9)
    assert added.contributions(rows[2])["translationese.page_score"] > 0
    loaded = load_model(added.save(tmp_path / "linear", card))
    np.testing.assert_allclose(loaded.probability(rows), added.probability(rows))
    broken = dataclasses.replace(
        model, linear_features=np.array([len(model.feature_names)]), linear_weights=np.ones(1),
        linear_knots=np.zeros(1),
    )  # fmt: skip
    with pytest.raises(ModelError, match="linear terms"):
        load_model(broken.save(tmp_path / "broken", card))
