"""Labelled training data: clean news text and its machine-made variants.

``synthesize`` reads clean English documents and writes, per document, the
original (label 0) and variants with MT round-trip or spinner artifacts
(label 1): real round trips through Apertium (:mod:`.apertium`), a
WordNet-based article spinner (:mod:`.spinner`), modelled neural-MT damage
(:mod:`.damage`) and partly changed documents (:mod:`.partial`), with
group-safe train/dev/test splits (:mod:`.splits`).

>>> config = SynthConfig(seed=7, generators=("damage",))
>>> config.needs_apertium, config.needs_wordnet
(False, False)
"""

from __future__ import annotations

from detector.synth.apertium import Apertium, ApertiumError, ApertiumMissing
from detector.synth.pipeline import GENERATORS, BadRow, SynthConfig, SynthReport, synthesize
from detector.synth.wordnet import WordNetMissing

__all__ = [
    "GENERATORS",
    "Apertium",
    "ApertiumError",
    "ApertiumMissing",
    "BadRow",
    "SynthConfig",
    "SynthReport",
    "WordNetMissing",
    "synthesize",
]
