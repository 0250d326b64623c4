"""The model recipe (``scripts/build_default_model.py``) as a module, for benchmarks.

Benchmarks that measure what the recipe builds read its folds, swap tables
and documents from it rather than restating them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

RECIPE = Path(__file__).resolve().parent.parent / "scripts" / "build_default_model.py"


def recipe() -> Any:
    """The recipe module, loaded once."""
    if "build_default_model" in sys.modules:
        return sys.modules["build_default_model"]
    spec = importlib.util.spec_from_file_location("build_default_model", RECIPE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module
