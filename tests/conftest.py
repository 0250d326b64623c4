"""Fixtures shared across the test suite: a tiny model trained on texts written here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from news_texts import CLEAN_TEXTS, garble

#: Caches the tests fill (the WordNet copy nltk reads, matplotlib's font
#: list) live in the repository, git-ignored, never in the user's ~/.cache.
TEST_CACHE = Path(__file__).resolve().parents[1] / ".test-cache"


def pytest_configure(config):
    # Set before anything imports matplotlib or looks for WordNet; subprocesses
    # started by the tests inherit them.
    os.environ["XDG_CACHE_HOME"] = str(TEST_CACHE)
    os.environ["MPLCONFIGDIR"] = str(TEST_CACHE / "matplotlib")


@pytest.fixture(scope="session")
def labelled_samples():
    from detector.train import Sample

    samples = []
    for index, text in enumerate(CLEAN_TEXTS):
        group = f"doc{index}"
        samples.append(Sample(f"{group}-orig", text, 0, group, "original"))
        for variant in range(2):
            samples.append(
                Sample(f"{group}-g{variant}", garble(text, variant), 1, group, f"garble:{variant}")
            )
    return samples


@pytest.fixture(scope="session")
def tiny_model(labelled_samples):
    """A model trained on the fixture texts, language models from the clean ones."""
    from detector.train import train

    clean = [s.text for s in labelled_samples if s.label == 0]
    result, card = train(labelled_samples, language_model_texts=clean * 3, description="fixtures")
    return result.model, card
