import gc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from news_texts import CLEAN_TEXTS, garble

from detector.readers import Record
from detector.scoring import MIN_WORDS, Scorer, collector_paused
from detector.text import WORD_RE

ARTICLE = "\n\n".join(CLEAN_TEXTS[:4])


@pytest.fixture(scope="module")
def scorer(tiny_model):
    model, _ = tiny_model
    return Scorer.load(model)


def test_result_structure(scorer):
    result = scorer.score_text(ARTICLE)
    assert result["status"] == "ok"
    assert 0.0 <= result["score"] <= 1.0
    assert result["label"] in ("spun", "clean")
    assert [p["start"] for p in result["paragraphs"]] == sorted(
        p["start"] for p in result["paragraphs"]
    )
    for item in result["evidence"]:
        assert ARTICLE[item["start"] : item["end"]] == item["snippet"]
        assert set(item) == {"family", "name", "start", "end", "snippet", "note"}


def test_partly_changed_document_shows_where(scorer):
    paragraphs = list(CLEAN_TEXTS[:4])
    paragraphs[2] = garble(paragraphs[2], 0)
    result = scorer.score_text("\n\n".join(paragraphs))
    scores = [p["score"] for p in result["paragraphs"]]
    assert len(scores) == 4
    assert max(range(4), key=scores.__getitem__) == 2


def test_threshold_decides_the_label(tiny_model):
    model, _ = tiny_model
    assert Scorer.load(model, threshold=0.0).score_text(ARTICLE)["label"] == "spun"
    assert Scorer.load(model, threshold=1.0).score_text(ARTICLE)["label"] == "clean"


def test_short_text_gets_no_verdict(scorer):
    result = scorer.score_text("Shares rose on Monday.")
    assert result["status"] == "too_short" and result["label"] is None
    assert result["score"] is not None and any("too short" in w for w in result["warnings"])
    assert MIN_WORDS > 4


@pytest.mark.parametrize("text", ["", " \n\n ", "42 -- 17.", "*** ---"])
def test_text_without_words_is_not_scored(scorer, text):
    result = scorer.score_text(text, explain=True)
    assert result["status"] == "too_short" and result["score"] is None
    assert result["label"] is None and result["contributions"] == []
    assert result["warnings"] == ["no words: nothing to score"]


def test_error_records_pass_through(scorer):
    row = scorer.score_record(
        Record("x", None, "file.txt", error="binary file (PNG image), not text")
    )
    assert row["status"] == "error" and row["score"] is None and "binary" in row["error"]
    assert row["id"] == "x" and row["evidence"] == [] and row["paragraphs"] == []


def test_explain_lists_contributions(scorer):
    result = scorer.score_text(ARTICLE, explain=True)
    assert result["contributions"] and all("feature" in c for c in result["contributions"])


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_any_text_scores_with_exact_spans(scorer, text):
    result = scorer.score_text(text)
    assert result["status"] in ("ok", "too_short")
    assert (result["score"] is None) == (WORD_RE.search(text) is None)
    assert result["score"] is None or 0.0 <= result["score"] <= 1.0
    for item in result["evidence"]:
        assert text[item["start"] : item["end"]] == item["snippet"]
    for paragraph in result["paragraphs"]:
        assert 0 <= paragraph["start"] <= paragraph["end"] <= len(text)


def test_paragraphs_can_be_left_out_without_changing_the_score(tiny_model):
    model, _ = tiny_model
    full = Scorer.load(model).score_text(ARTICLE)
    quick = Scorer.load(model, paragraphs=False).score_text(ARTICLE)
    assert quick["paragraphs"] == [] and len(full["paragraphs"]) == 4
    assert quick["score"] == full["score"] and quick["evidence"] == full["evidence"]


def test_paragraph_scores_are_the_scores_of_the_paragraphs_alone(scorer):
    paragraphs = list(CLEAN_TEXTS[:3])
    paragraphs[1] = garble(paragraphs[1], 1)
    result = scorer.score_text("\n\n".join(paragraphs))
    alone = [scorer.score_text(paragraph)["score"] for paragraph in paragraphs]
    assert [p["score"] for p in result["paragraphs"]] == alone


def test_preparing_texts_changes_no_result(tiny_model):
    model, _ = tiny_model
    texts = [ARTICLE, garble(ARTICLE, 0), "Too short.", ARTICLE]
    prepared = Scorer.load(model)
    prepared.prepare(texts)
    plain = Scorer.load(model)
    assert [prepared.score_text(t) for t in texts] == [plain.score_text(t) for t in texts]


@pytest.mark.parametrize("index", range(len(CLEAN_TEXTS)))
def test_a_spun_verdict_always_comes_with_evidence(index):
    """At threshold 0 every text is spun: even one with no span says what moved it."""
    text = CLEAN_TEXTS[index]
    result = Scorer.load(threshold=0.0).score_text(text)
    assert result["label"] == "spun" and result["evidence"]
    for item in result["evidence"]:
        assert text[item["start"] : item["end"]] == item["snippet"]
        assert item["note"]


def test_evidence_only_for_spun_texts_changes_no_score(tiny_model):
    model, _ = tiny_model
    texts = [ARTICLE, garble(ARTICLE, 0), garble(CLEAN_TEXTS[1], 1), CLEAN_TEXTS[2]]
    every = Scorer.load(model).score_texts(texts)
    spun = Scorer.load(model, evidence="spun").score_texts(texts)
    assert {row["label"] for row in every} == {"spun", "clean"}
    for full, quick in zip(every, spun, strict=True):
        assert {**quick, "evidence": None} == {**full, "evidence": None}
        expected = full["evidence"] if full["label"] == "spun" else []
        assert quick["evidence"] == expected


def test_no_evidence_at_all_unless_explained(tiny_model):
    model, _ = tiny_model
    scorer = Scorer.load(model, threshold=0.0, evidence="none")
    result = scorer.score_text(garble(ARTICLE, 0))
    assert result["label"] == "spun" and result["evidence"] == []
    explained = scorer.score_text(garble(ARTICLE, 0), explain=True)
    every = Scorer.load(model, threshold=0.0).score_text(garble(ARTICLE, 0), explain=True)
    assert explained["evidence"] == every["evidence"] and explained["evidence"]


def test_unknown_evidence_choice_is_refused(tiny_model):
    model, _ = tiny_model
    with pytest.raises(ValueError, match="evidence must be one of"):
        Scorer.load(model, evidence="flagged")


def test_scoring_leaves_the_garbage_collector_as_it_found_it(scorer):
    texts = ["Shares of Sony rose 3 percent in Tokyo on Monday, traders said."] * 3
    assert gc.isenabled()
    enabled = scorer.score_texts(texts)
    assert gc.isenabled()
    gc.disable()
    try:
        paused = scorer.score_texts(texts)
        assert not gc.isenabled()  # paused by its caller: stays paused
    finally:
        gc.enable()
    assert paused == enabled


def test_the_garbage_collector_comes_back_after_an_error():
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError("scoring failed")
    assert gc.isenabled()


def test_a_one_word_text_is_warned_about_in_the_singular(scorer):
    assert scorer.score_text("Shares.")["warnings"] == [
        "only 1 word: too short for a confident verdict"
    ]
