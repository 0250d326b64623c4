"""Tests of ``detector.synth`` and ``detector synth``."""
