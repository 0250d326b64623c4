"""The machine-translation head: numpy scorer, fitting, storage in a model, scores in results."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from news_texts import CLEAN_TEXTS

from detector.features import document_style
from detector.features.document_style import word_classes
from detector.model import ModelError, file_sha256, load_model
from detector.mt_head import (
    CARD_KEY,
    MAX_EVIDENCE,
    PREFIX,
    HeadError,
    MachineTranslationHead,
    head_features,
)
from detector.scoring import Scorer
from detector.text import Document
from detector.train_mt_head import (
    LEXICON_SIZE,
    ClassCounts,
    HeadSettings,
    attach_head,
    fit_head,
    fit_parts,
    lexicon_words,
)


def machine_like(text: str) -> str:
    """A sentence of the fixtures wrapped in the explicit links of sentence-by-sentence MT."""
    return f"According to the report of the agency, {text[0].lower()}{text[1:-1]}, which was noted."


#: The fixture sentences, then each made machine-like.
TEXTS = [*CLEAN_TEXTS, *[machine_like(text) for text in CLEAN_TEXTS]]
LABELS = np.repeat([0, 1], len(CLEAN_TEXTS))

#: Named values a test head reads beside its n-grams: one of the document
#: style, one of a main family that needs the model's resources.
NAMES = ("document_style.comma_rate", "translationese.pattern_score")


def _sklearn_pipeline(matrix, labels):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=0.5)).fit(matrix, labels)


def test_numpy_scorer_equals_scikit_learn_predict_proba():
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(80, 3)) * [1.0, 10.0, 0.1] + [0.0, 5.0, -2.0]
    labels = (matrix[:, 0] + rng.normal(size=80) > 0).astype(int)
    pipeline = _sklearn_pipeline(matrix, labels)
    scaler, regression = pipeline[0], pipeline[1]
    head = MachineTranslationHead(
        feature_names=document_style.FEATURE_NAMES[:3], mean=scaler.mean_,
        scale=scaler.scale_, coef=regression.coef_[0], intercept=float(regression.intercept_[0]),
        calibration=(1.0, 0.0), threshold=0.5,
    )  # fmt: skip
    fresh = rng.normal(size=(20, 3)) * [1.0, 10.0, 0.1]
    assert np.allclose(head.probability(fresh), pipeline.predict_proba(fresh)[:, 1], atol=1e-12)
    assert np.allclose(head.decision(fresh), pipeline.decision_function(fresh), atol=1e-10)


def test_calibration_is_applied_to_the_logit():
    head = MachineTranslationHead(
        ("document_style.comma_rate",), np.zeros(1), np.ones(1), np.ones(1), 0.0, (2.0, -1.0), 0.5
    )
    assert head.probability(np.array([[1.0]]))[0] == pytest.approx(1 / (1 + np.exp(-1.0)))


@pytest.mark.parametrize(
    ("names", "scale", "message"),
    [
        (("document_style.comma_rate",), np.ones(2), "differ in length"),
        (("nosuchfamily.value", "document_style.comma_rate"), np.ones(2), "no family computes"),
        (("document_style.comma_rate", "document_style.colon_rate"), np.zeros(2), "not positive"),
    ],
)
def test_inconsistent_heads_are_refused(names, scale, message):
    with pytest.raises(HeadError, match=message):
        MachineTranslationHead(names, np.zeros(2), scale, np.ones(2), 0.0, (1.0, 0.0), 0.5)


def test_ngram_scorer_equals_scikit_learn_tfidf_pipeline():
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts, labels = TEXTS, LABELS
    sequences = [" ".join(word_classes(text)) for text in texts]
    pipeline = make_pipeline(
        CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 3), min_df=2),
        TfidfTransformer(sublinear_tf=True),
        LogisticRegression(C=2.0),
    ).fit(sequences, labels)
    vectorizer, weighting, regression = pipeline
    head = MachineTranslationHead(
        (), np.zeros(0), np.zeros(0), np.zeros(0), float(regression.intercept_[0]), (1.0, 0.0),
        0.5, ngrams=tuple(vectorizer.get_feature_names_out()), ngram_idf=weighting.idf_,
        ngram_coef=regression.coef_[0],
    )  # fmt: skip
    fresh = ["Prices, which rose, fell again; the bank said so.", *texts[::7]]
    expected = pipeline.predict_proba([" ".join(word_classes(text)) for text in fresh])[:, 1]
    assert np.allclose(head.score(fresh, None), expected, atol=1e-12)
    assert np.ptp(expected) > 0.1


def test_fitted_parts_score_counts_as_the_head_scores_texts(tiny_model):
    model, _ = tiny_model
    texts, labels = TEXTS, LABELS
    named = head_features(texts, model.resources, NAMES)
    counts = ClassCounts.of(texts)
    lexicon = lexicon_words()
    lexical = ClassCounts.lexical(texts, lexicon)
    parts = fit_parts(named, counts, labels, NAMES, HeadSettings(min_documents=2), lexical, lexicon)
    assert len(parts.head.ngrams) > 0 and np.abs(parts.head.ngram_coef).max() > 0.1
    assert len(parts.head.lexical_ngrams) > 0 and np.abs(parts.head.lexical_coef).max() > 0.1
    from_texts = parts.head.decision(
        named, [word_classes(text) for text in texts], parts.head.lexical_sequences(texts)
    )
    assert np.allclose(parts.decision(named, counts, lexical), from_texts, atol=1e-10)


def test_fitted_threshold_keeps_guarded_negatives_under_one_percent():
    rng = np.random.default_rng(0)
    words = ["which", "the", "of", "and", "we", "said", "rose", "quickly", ",", ";"]
    texts = [" ".join(rng.choice(words, 40)) for _ in range(400)]
    labels = np.array([text.count("which") + rng.normal() > 4 for text in texts], dtype=int)
    fitted = fit_head(texts, labels, groups=np.arange(400), settings=HeadSettings(min_documents=5))
    flagged = fitted.out_of_fold >= fitted.head.threshold
    assert flagged[labels == 0].mean() <= 0.01
    assert fitted.report["guarded_false_positive_rate"] == flagged[labels == 0].mean()
    assert 0.6 < fitted.report["roc_auc"] < 1.0


def test_head_features_ignore_typography():
    curly = "\u201cIt\u2019s late,\u201d she said \u2014 and left."
    straight = '"It\'s late," she said - and left.'
    names = ["document_style.quote_rate", "document_style.dash_rate"]
    assert (
        head_features([curly], None, names).tolist()
        == head_features([straight], None, names).tolist()
    )


@pytest.fixture(scope="module")
def head_and_texts(tiny_model):
    model, _ = tiny_model
    texts, labels = TEXTS, LABELS
    fitted = fit_head(
        texts, labels, groups=np.tile(np.arange(len(CLEAN_TEXTS)), 2), names=NAMES,
        resources=model.resources, settings=HeadSettings(c=100.0, min_documents=2), folds=3,
    )  # fmt: skip
    assert fitted.head.ngrams and fitted.head.feature_names == NAMES
    assert fitted.head.lexical_ngrams and len(fitted.head.lexicon) == LEXICON_SIZE
    assert np.abs(fitted.head.ngram_coef).max() > 0.1 and fitted.report["roc_auc"] > 0.7
    return fitted.head, texts


@pytest.fixture()
def attached(tiny_model, head_and_texts, tmp_path):
    model, card = tiny_model
    plain = model.save(tmp_path / "plain", card)
    head, _ = head_and_texts
    path = attach_head(plain, head, tmp_path / "with-head", {"training_data": "fixtures"})
    return plain, path


def test_a_model_without_head_loads_and_scores_as_before(attached, tiny_model):
    plain, _ = attached
    loaded = load_model(plain)
    assert loaded.mt_head is None
    with np.load(plain, allow_pickle=False) as data:
        assert not any(key.startswith(PREFIX) for key in data.files)
    result = Scorer.load(loaded).score_text(CLEAN_TEXTS[0])
    assert "scores" not in result


def test_the_shipped_model_carries_a_head_beside_its_score():
    model = load_model()
    assert model.mt_head is not None
    section = model.card[CARD_KEY]
    assert section["threshold"] == model.mt_head.threshold
    assert 0.5 < section["threshold"] < 1.0
    result = Scorer.load(model).score_text(CLEAN_TEXTS[0])
    assert set(result["scores"]) == {"spun", "machine_translated"}
    assert result["scores"]["spun"] == result["score"]


def test_attached_head_round_trips_with_card_and_checksum(attached, head_and_texts):
    plain, path = attached
    head, _ = head_and_texts
    loaded, before = load_model(path), load_model(plain)
    assert loaded.mt_head is not None
    assert loaded.mt_head.feature_names == head.feature_names
    assert np.array_equal(loaded.mt_head.coef, head.coef)
    assert loaded.mt_head.ngrams == head.ngrams
    assert np.array_equal(loaded.mt_head.ngram_coef, head.ngram_coef)
    card = json.loads(path.with_suffix(".json").read_text())
    assert card["name"] == "with-head"
    assert card["sha256"] == file_sha256(path) != file_sha256(plain)
    assert card[CARD_KEY]["feature_names"] == list(head.feature_names)
    assert card[CARD_KEY]["threshold"] == head.threshold
    assert card[CARD_KEY]["training_data"] == "fixtures"
    rows = np.random.default_rng(0).normal(size=(4, len(before.feature_names)))
    assert np.array_equal(loaded.probability(rows), before.probability(rows))


def test_attaching_onto_the_same_name_is_refused(attached, head_and_texts):
    plain, _ = attached
    head, _ = head_and_texts
    with pytest.raises(ModelError, match="new name"):
        attach_head(plain, head, plain, {})


def test_attaching_in_place_with_overwrite_keeps_the_trees(attached, head_and_texts):
    plain, _ = attached
    head, _ = head_and_texts
    before = load_model(plain)
    path = attach_head(plain, head, plain, {"training_data": "fixtures"}, overwrite=True)
    after = load_model(path)
    assert path == plain and after.mt_head is not None
    assert json.loads(path.with_suffix(".json").read_text())["sha256"] == file_sha256(path)
    rows = np.random.default_rng(1).normal(size=(4, len(before.feature_names)))
    assert np.array_equal(after.probability(rows), before.probability(rows))


def test_a_head_the_card_does_not_describe_is_refused(attached, tmp_path):
    _, path = attached
    card_path = path.with_suffix(".json")
    card = json.loads(card_path.read_text())
    card[CARD_KEY]["feature_names"] = card[CARD_KEY]["feature_names"][:-1]
    card_path.write_text(json.dumps(card))
    with pytest.raises(ModelError, match="does not match the card"):
        load_model(path)


def test_results_carry_both_scores_and_keep_the_verdict(attached, head_and_texts):
    plain, path = attached
    head, texts = head_and_texts
    with_head, without = Scorer.load(path), Scorer.load(plain)
    results = with_head.score_texts(texts[:3])
    expected = head.score(texts[:3], with_head.model.resources)
    for text, result, value in zip(texts[:3], results, expected, strict=True):
        before = without.score_text(text)
        assert (result["score"], result["label"]) == (before["score"], before["label"])
        assert result["scores"] == {
            "spun": result["score"],
            "machine_translated": round(float(value), 6),
        }
        assert 0.0 <= result["scores"]["machine_translated"] <= 1.0


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_batch_rows_carry_the_head_score_as_a_column(attached, head_and_texts, tmp_path, suffix):
    from detector.batch import ScorerSpec, run_batch
    from detector.writers import read_results

    plain, path = attached
    _, texts = head_and_texts
    data = tmp_path / "documents.jsonl"
    data.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": text}) + "\n" for i, text in enumerate(texts))
    )
    results = Scorer.load(path).score_texts(texts)
    expected = [result["scores"]["machine_translated"] for result in results]
    for model, wanted in ((path, expected), (plain, [None] * len(texts))):
        out = tmp_path / f"{model.stem}{suffix}"
        run_batch([data], out, spec=ScorerSpec(str(model)), jobs=1, progress="none")
        rows = list(read_results(out))
        assert [row["machine_translated_score"] for row in rows] == wanted
        assert [row["score"] for row in rows] == [result["score"] for result in results]


def test_evaluation_reports_the_head_beside_the_main_model(attached, head_and_texts, tmp_path):
    from detector.evaluation import evaluate_files

    plain, path = attached
    head, texts = head_and_texts
    data = tmp_path / "documents.jsonl"
    labels = np.repeat([0, 1], len(texts) // 2)
    data.write_text(
        "".join(
            json.dumps({"id": f"d{i}", "text": text, "label": int(label), "kind": f"k{label}"})
            + "\n"
            for i, (text, label) in enumerate(zip(texts, labels, strict=True))
        )
    )
    with_head = evaluate_files([data], load_model(path), tmp_path / "with", n_bootstrap=0)
    without = evaluate_files([data], load_model(plain), tmp_path / "without", n_bootstrap=0)
    assert "machine_translation_head" not in without
    assert with_head["overall"] == without["overall"]
    reported = with_head["machine_translation_head"]
    assert reported["overall"]["threshold"] == head.threshold
    assert reported["overall"]["n"] == len(texts)
    from sklearn.metrics import roc_auc_score

    model = load_model(path)
    expected = roc_auc_score(labels, head.score(texts, model.resources))
    assert reported["overall"]["roc_auc"] == pytest.approx(expected)
    assert set(reported["breakdown"]["kind"]) == {"k0", "k1"}
    heading = "<h2>Machine-translation head</h2>"
    assert heading in (tmp_path / "with" / "report.html").read_text(encoding="utf-8")
    assert heading not in (tmp_path / "without" / "report.html").read_text(encoding="utf-8")


def test_evaluate_command_prints_the_head_row(attached, head_and_texts, tmp_path):
    from typer.testing import CliRunner

    from detector.cli import app

    _, path = attached
    _, texts = head_and_texts
    data = tmp_path / "documents.jsonl"
    data.write_text(
        "".join(
            json.dumps({"id": f"d{i}", "text": text, "label": i % 2}) + "\n"
            for i, text in enumerate(texts)
        )
    )
    result = CliRunner().invoke(
        app,
        ["evaluate", str(data), "--model", str(path), "--out", str(tmp_path / "report"),
         "--bootstrap", "0", "--jobs", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # the table folds long names onto several lines
    assert "machine-translation" in result.stdout


def test_fitting_keeps_ngrams_up_to_the_order_asked_for():
    texts = [f"The {w} of the city, which was adopted, was noted." for w in "abcd" * 5]
    counts = ClassCounts.of(texts, order=3)
    labels = np.tile([0, 1], 10)
    for order in (1, 2, 3):
        parts = fit_parts(
            np.zeros((20, 0)), counts, labels, (), HeadSettings(ngram_order=order, min_documents=2)
        )
        assert max(len(gram.split(" ")) for gram in parts.head.ngrams) == order


def test_sentence_weights_add_up_to_the_ngram_logit(head_and_texts):
    head, texts = head_and_texts
    for text in texts[:: max(1, len(texts) // 5)]:
        weights = head.sentence_weights(text)
        assert len(weights) == len(Document.of(text).sentences)
        total = sum(share for _, _, share in weights)
        logit = head.ngram_scores([word_classes(text)]) + head.lexical_scores(
            head.lexical_sequences([text])
        )
        assert total == pytest.approx(logit[0], abs=1e-9)


def test_head_evidence_is_the_heaviest_sentences_with_exact_spans(head_and_texts):
    head, texts = head_and_texts
    text = "\u201cCurly\u201d quotes stay in the text. " + " ".join(texts[-3:])
    assert head.ngram_scores([word_classes(text)])[0] > 0
    items = head.evidence(text)
    weights = sorted((share for _, _, share in head.sentence_weights(text)), reverse=True)
    assert 0 < len(items) <= MAX_EVIDENCE
    assert len(items) == min(MAX_EVIDENCE, sum(share > 0 for share in weights))
    for item in items:
        assert text[item.start : item.end] == item.snippet
        assert item.family == "machine_translation"
    assert f"{weights[0]:+.2f} log-odds" in items[0].note


def test_scorer_adds_head_evidence_only_at_the_head_threshold(tiny_model, head_and_texts):
    model, _ = tiny_model
    head, texts = head_and_texts
    always = dataclasses.replace(model, mt_head=dataclasses.replace(head, threshold=0.0))
    never = dataclasses.replace(model, mt_head=dataclasses.replace(head, threshold=1.1))
    text = " ".join(texts[-3:])
    assert head.evidence(text)
    flagged = Scorer.load(always).score_text(text)
    families = [item["family"] for item in flagged["evidence"]]
    assert "machine_translation" in families
    for item in flagged["evidence"]:
        assert text[item["start"] : item["end"]] == item["snippet"]
    plain = Scorer.load(never).score_text(text)
    assert "machine_translation" not in [item["family"] for item in plain["evidence"]]
    assert (flagged["score"], flagged["label"]) == (plain["score"], plain["label"])


def _pairs(*arrays: np.ndarray) -> list[tuple[int, ...]]:
    return sorted(zip(*(array.tolist() for array in arrays), strict=True))


def test_ngrams_found_by_integer_keys_equal_those_found_by_text():
    head = load_model().mt_head
    assert head is not None and head._classes.keys is not None
    texts = [*TEXTS, "", "?!", "The, the; THE: ‘the’ — «the»"]
    blocks = [(head._classes, [word_classes(text) for text in texts])]
    if head.lexical_ngrams:
        assert head._lexical.keys is not None
        blocks.append((head._lexical, head.lexical_sequences(texts)))
    for index, sequences in blocks:
        by_keys = index._occurrences(sequences)
        assert len(by_keys[0]) > 1000
        assert _pairs(*by_keys) == _pairs(*index._by_text(sequences))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["the", "<w>", ",", "which", "<Cap>", "@", "of"]), max_size=12),
        max_size=5,
    )
)
def test_integer_keys_find_what_the_text_finds_in_any_class_sequence(sequences):
    grams = ("the", "<w>", ",", "of", "the <w>", "<w> ,", ", which", "the <w> of", "of the <w>")
    head = MachineTranslationHead(
        feature_names=(), mean=np.zeros(0), scale=np.zeros(0), coef=np.zeros(0), intercept=0.0,
        calibration=(1.0, 0.0), threshold=0.5, ngrams=grams, ngram_idf=np.ones(len(grams)),
        ngram_coef=np.arange(len(grams), dtype=np.float64),
    )  # fmt: skip
    index = head._classes
    assert _pairs(*index._occurrences(sequences)) == _pairs(*index._by_text(sequences))
    assert _pairs(*head.ngram_columns(sequences)) == _pairs(*index._by_text(sequences)[:2])


def test_scores_in_blocks_of_documents_equal_scores_counted_by_sorting(monkeypatch):
    """A batch scored in blocks that fit one array of counts equals one sorted pass."""
    from detector import mt_head

    head = load_model().mt_head
    assert head is not None
    texts = [*TEXTS, "", "?!", "The, the; THE: ‘the’ — «the»"]
    sequences = [word_classes(text) for text in texts]
    whole = head.ngram_scores(sequences)  # one block, counted in one array
    monkeypatch.setattr(mt_head, "_COUNTED_RANGE", len(head.ngrams) * 3)
    assert np.array_equal(head.ngram_scores(sequences), whole)  # blocks of three documents
    monkeypatch.setattr(mt_head, "_COUNTED_RANGE", len(head.ngrams) - 1)
    assert np.array_equal(head.ngram_scores(sequences), whole)  # one by one, sorted
