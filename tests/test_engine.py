"""The batch engine gives the numbers of scoring each text, and each paragraph, alone.

Families run on a whole batch at once (documents and their paragraphs
together), so a family that let one document's arrays leak into another's
row, or a paragraph's values differ from those of the paragraph's text on its
own, shows here. That the batch engine equals the per-document engine it
replaced is checked on 2,000+ Reuters articles by
``benchmarks/engine_speed.py --equality REV``.
"""

from __future__ import annotations

import numpy as np
import pytest
from examples import (
    ALL_CAPS_BULLETIN,
    CLEAN_WIRE_STORY,
    LOWERCASED_NAMES,
    MT_TICKER_DAMAGE,
    SPUN_NEWS,
    TICKER_TABLE,
    TORTURED_ABSTRACT,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from news_texts import CLEAN_TEXTS, garble

from detector.features import extract_all, extract_batch, feature_names
from detector.features.base import worst_window, worst_windows
from detector.scoring import Scorer
from detector.text import Document

#: Texts that exercise every family: several paragraphs, tickers, spin
#: syntax, look-alike letters, doubled words, one-sentence and empty texts.
TEXTS = (
    CLEAN_TEXTS[0],
    garble(CLEAN_TEXTS[1], 0),
    "\n\n".join([CLEAN_TEXTS[2], garble(CLEAN_TEXTS[3], 1), CLEAN_TEXTS[4]]),
    MT_TICKER_DAMAGE,
    SPUN_NEWS,
    LOWERCASED_NAMES,
    TORTURED_ABSTRACT,
    CLEAN_WIRE_STORY,
    ALL_CAPS_BULLETIN,
    TICKER_TABLE,
    "The {quick|fast} rise of the the bank's shares. Prices rose , and then fell.\n\n"
    "Sony Corp (6758.T) said on monday that profit rose. The paуment was late.",
    "One sentence without an end",
    "",
    "12 34 56",
)


@pytest.fixture(scope="module")
def shipped():
    return Scorer.load()


def test_a_batch_gives_each_document_its_own_row_and_evidence(shipped):
    resources = shipped.model.resources
    docs = [Document.of(text) for text in TEXTS]
    matrix, evidence = extract_batch(docs, resources, [True] * len(docs))
    assert matrix.shape == (len(TEXTS), len(feature_names()))
    assert np.isfinite(matrix).all()
    for index, text in enumerate(TEXTS):
        alone = extract_all(text, resources)
        assert np.allclose(matrix[index], list(alone.values.values()), rtol=0, atol=1e-9)
        assert evidence[index] == alone.evidence
        for item in evidence[index]:
            assert text[item.start : item.end] == item.snippet


def test_a_batch_scores_each_text_and_paragraph_as_if_alone(shipped):
    together = shipped.score_texts(list(TEXTS))
    for text, result in zip(TEXTS, together, strict=True):
        assert result == Scorer.load().score_text(text)
        for paragraph in result["paragraphs"] if len(result["paragraphs"]) > 1 else []:
            alone = shipped.score_text(text[paragraph["start"] : paragraph["end"]])
            assert abs(paragraph["score"] - alone["score"]) <= 1e-6


@pytest.mark.parametrize("with_document", [False, True], ids=["parts alone", "after the document"])
def test_paragraph_rows_equal_the_rows_of_the_paragraph_texts(shipped, with_document):
    """Parts scored after their document reuse what was found in it: the same rows."""
    resources = shipped.model.resources
    for text in TEXTS:
        doc = Document.of(text)
        parts = [doc.part(start, end) for start, end in doc.paragraphs]
        batch = [doc, *parts] if with_document else parts
        matrix, _ = extract_batch(batch, resources, [False] * len(batch))
        fresh, _ = extract_batch(
            [Document.of(part.text) for part in parts], resources, [False] * len(parts)
        )
        assert np.allclose(matrix[len(batch) - len(parts) :], fresh, rtol=0, atol=1e-9)


#: What scoring one file must not import: training and data-building
#: dependencies (seconds of start-up between them), the readers of web pages,
#: archives and Parquet, Dask, the language identifier (English text needs
#: none), and rich unless a table is printed.
NOT_ON_THE_SCORING_PATH = (
    "sklearn", "nltk", "pandas", "scipy", "joblib", "wordfreq", "matplotlib",
    "resiliparse", "fastwarc", "tldextract", "charset_normalizer", "pyarrow", "zstandard",
    "dask", "distributed", "py3langid", "rich",
)  # fmt: skip


def test_scoring_one_file_imports_only_what_scoring_needs(tmp_path):
    import json
    import subprocess
    import sys

    text = tmp_path / "one.txt"
    text.write_text(CLEAN_TEXTS[0], encoding="utf-8")
    program = (
        "import json, sys\n"
        "from detector.cli import main\n"
        f"sys.argv = ['detector', 'score', {str(text)!r}, '--format', 'jsonl']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    *rows, modules = done.stdout.strip().splitlines()
    assert json.loads(rows[-1])["status"] == "ok"
    loaded = set(json.loads(modules))
    assert not loaded & set(NOT_ON_THE_SCORING_PATH), loaded & set(NOT_ON_THE_SCORING_PATH)


def test_the_memory_mapped_arrays_are_the_arrays_of_the_model_file(monkeypatch):
    from detector import model as model_module

    loaded = {}
    for setting in ("0", "1", "1"):  # unmapped, then mapped (written if missing, then read)
        monkeypatch.setenv("DETECTOR_ARRAY_CACHE", setting)
        model_module._load_verified.cache_clear()
        loaded[setting] = Scorer.load(model_module.load_model())
    model_module._load_verified.cache_clear()
    assert not loaded["1"].model.resources.word_model.keys[-1].flags.writeable  # mapped, shared
    assert loaded["0"].score_texts(list(TEXTS)) == loaded["1"].score_texts(list(TEXTS))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.floats(0, 50, allow_nan=False), st.integers(0, 20)), max_size=9),
        max_size=6,
    ),
    st.integers(1, 4),
    st.sampled_from([1.0, 5.0, 12.0]),
)
def test_worst_windows_is_worst_window_of_each_document(documents, width, min_count):
    """The segment reduction gives each document what sliding over it alone gives."""
    sums = np.array([value for doc in documents for value, _ in doc], dtype=np.float64)
    counts = np.array([count for doc in documents for _, count in doc], dtype=np.float64)
    first = np.concatenate([[0], np.cumsum([len(doc) for doc in documents])]).astype(np.int64)
    batch = worst_windows(sums, counts, first, width=width, min_count=min_count)
    alone = [
        worst_window([v for v, _ in doc], [c for _, c in doc], width=width, min_count=min_count)
        for doc in documents
    ]
    assert np.allclose(batch, alone, rtol=1e-12, atol=1e-12)
