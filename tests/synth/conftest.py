"""Shared example texts and engines for the synth tests.

Every text here was written for these tests (short news-style paragraphs);
none comes from a news agency.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detector.synth.wordnet import DEBIAN_WORDNET_DIR, WORDNET_FILES

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples" / "originals.jsonl"

#: A three-paragraph article with instrument codes, an index code and names.
ARTICLE = (
    "TOKYO - Toray Industries (3402.T) said on Monday its profit rose 12 percent, "
    "helped by demand for carbon fibre from aircraft makers.\n\n"
    "Its shares gained 3 percent, while the Nikkei average .N225 fell 0.4 percent. "
    "Rival Teijin (3401.T) was flat, and others rose modestly.\n\n"
    "President Moon Jae-in said the Japanese and South Korean governments would hold "
    "trade talks next month, the company said."
)

#: Sentences that make a first-synonym spinner show its best-known slips.
SPINNER_SLIPS = "May sales were weak. Windows sales fell this year. Dry skin is common."


def wordnet_installed() -> bool:
    return all((DEBIAN_WORDNET_DIR / name).is_file() for name in WORDNET_FILES)


@pytest.fixture(scope="session")
def wordnet(tmp_path_factory):
    """WordNet from Debian's packages, through a cache folder private to the test run."""
    if not wordnet_installed():
        pytest.fail("WordNet missing: sudo apt-get install wordnet-base wordnet-sense-index")
    from detector.synth.wordnet import load_wordnet

    return load_wordnet(tmp_path_factory.mktemp("nltk_data"))


@pytest.fixture(scope="session")
def spinner(wordnet):
    from detector.synth.spinner import Spinner

    return Spinner(wordnet)


@pytest.fixture
def sample_rows():
    """The project's own sample articles (``data/samples/originals.jsonl``)."""
    with open(SAMPLES, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def write_jsonl(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(row if isinstance(row, str) else json.dumps(row))
            handle.write("\n")
    return path
