import json
import re

import pytest
from news_texts import CLEAN_TEXTS, garble
from typer.testing import CliRunner

from detector.cli import app

runner = CliRunner()

#: A garbled paragraph (broken ticker suffix, lower-cased names) above a clean one.
DOCUMENT = garble(CLEAN_TEXTS[0], 0) + "\n\n" + CLEAN_TEXTS[4]


@pytest.fixture(scope="module")
def model_path(tmp_path_factory, tiny_model):
    model, card = tiny_model
    path = tmp_path_factory.mktemp("explain") / "tiny"
    model.save(path, card)
    return path


def _paragraph_scores(output):
    """Scores printed in the left margin, one per paragraph."""
    return [float(match) for match in re.findall(r"^(\d\.\d\d)  \S", output, re.MULTILINE)]


def test_explain_shows_evidence_paragraph_scores_and_features(model_path, tmp_path):
    document = tmp_path / "article.txt"
    document.write_text(DOCUMENT)
    page = tmp_path / "article.html"
    result = runner.invoke(
        app, ["explain", str(document), "--model", str(model_path), "--html", str(page)]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"score \d\.\d{3}  label spun", result.stdout)
    assert "legend:" in result.stdout and "[1 " in result.stdout
    first, second = _paragraph_scores(result.stdout)
    assert first > second  # the garbled paragraph scores above the clean one
    assert "contribution" in result.stdout and re.search(r"[+-]\d+\.\d{3}", result.stdout)
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in html
    assert 'class="ev f0"' in html and "article.txt" in html
    assert "src=" not in html  # one self-contained page: nothing to load


def test_explain_reads_standard_input(model_path):
    result = runner.invoke(app, ["explain", "-", "--model", str(model_path)], input=DOCUMENT)
    assert result.exit_code == 0, result.output
    assert len(_paragraph_scores(result.stdout)) == 2


def test_explain_refuses_a_corpus_and_a_missing_file(model_path, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"text": text}) + "\n" for text in CLEAN_TEXTS[:2]))
    several = runner.invoke(app, ["explain", str(corpus), "--model", str(model_path)])
    assert several.exit_code == 1 and "detector score" in several.output
    missing = runner.invoke(app, ["explain", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "nope.txt" in missing.output


#: German news prose, written for this test: confidently not English.
GERMAN = (
    "Die Aktien des Autobauers stiegen am Montag deutlich, nachdem das Unternehmen mitgeteilt "
    "hatte, dass der Gewinn im laufenden Geschäftsjahr höher ausfallen werde als bisher "
    "erwartet. Händler in Frankfurt sprachen von einer ruhigen Sitzung, in der vor allem "
    "Exportwerte gefragt waren."
)


@pytest.mark.parametrize(
    ("content", "status", "warning"),
    [
        (GERMAN, "unsupported_language", "not English (language de"),
        ("", "too_short", "no words: nothing to score"),
        ("  \n\n 42 -- 17 \n", "too_short", "no words: nothing to score"),
    ],
)
def test_explain_says_why_a_text_is_not_scored(model_path, tmp_path, content, status, warning):
    document = tmp_path / "document.txt"
    document.write_text(content, encoding="utf-8")
    page = tmp_path / "document.html"
    result = runner.invoke(
        app, ["explain", str(document), "--model", str(model_path), "--html", str(page)]
    )
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert status in result.stdout and "not scored" in result.stdout
    assert "score 0." not in result.stdout and "contribution" not in result.stdout
    assert warning in result.stderr
    assert status in page.read_text()


def test_explain_shows_the_threshold(model_path, tmp_path, tiny_model):
    document = tmp_path / "article.txt"
    document.write_text(DOCUMENT)
    page = tmp_path / "article.html"
    result = runner.invoke(
        app, ["explain", str(document), "--model", str(model_path), "--html", str(page)]
    )
    threshold = f"threshold {tiny_model[0].threshold:.3f}"
    assert threshold in result.stdout and threshold in page.read_text()


def test_explain_page_sets_quoted_words_in_notes_as_code(model_path, tmp_path):
    document = tmp_path / "article.txt"
    document.write_text(DOCUMENT)
    page = tmp_path / "article.html"
    result = runner.invoke(
        app, ["explain", str(document), "--model", str(model_path), "--html", str(page)]
    )
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert "`" not in DOCUMENT and "<code>" in html
    assert "`" not in html  # neither in the notes table nor in the tooltips
    assert "`" not in result.stdout
