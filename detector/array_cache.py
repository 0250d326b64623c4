"""Arrays kept uncompressed on disk and memory-mapped: fast to load, shared by processes.

The model's arrays (:mod:`detector.model`) and the language identifier's
(:mod:`detector.language`) are built once from compressed files and kept
here, one ``.npy`` file each, in a folder named after what they were built
from. Loading then maps them into memory instead of rebuilding them, and
the worker processes of a batch run share the pages: the operating system
holds one copy however many workers read it.

A folder is written under a temporary name and renamed when complete, so a
process never maps a half-written one; one that cannot be written (a
read-only home) is skipped and the arrays are used from memory.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp()) / "example"
>>> store(folder, {"counts": np.arange(3)})
True
>>> mapped(folder)["counts"].tolist(), mapped(folder)["counts"].flags.writeable
([0, 1, 2], False)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

#: Set to ``0`` to build the arrays in memory every time (nothing read or written).
ENVIRONMENT_VARIABLE = "DETECTOR_ARRAY_CACHE"


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time (what cache folders are named by)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/detector/arrays``, ``~/.cache`` when the variable is unset."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "detector" / "arrays"


def enabled() -> bool:
    """Whether the cache is used (see :data:`ENVIRONMENT_VARIABLE`)."""
    return os.environ.get(ENVIRONMENT_VARIABLE, "1") != "0"


def mapped(folder: Path) -> dict[str, np.ndarray] | None:
    """The arrays of a complete ``folder``, memory-mapped read-only; None if there are none.

    A damaged folder (a file missing or cut short) gives None too: the
    caller builds the arrays again.
    """
    if not enabled() or not (folder / "complete").exists():
        return None
    try:
        names = (folder / "complete").read_text(encoding="utf-8").split()
        return {
            name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in names
        }
    except (OSError, ValueError):
        return None


def store(folder: Path, arrays: Mapping[str, np.ndarray]) -> bool:
    """Write ``arrays`` as the complete ``folder``; False where that cannot be done.

    A folder that exists already is left as it is (another process wrote it).
    """
    if not enabled():
        return False
    if folder.exists():
        return True
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{folder.name[:12]}-", dir=folder.parent))
        for name, array in arrays.items():
            np.save(building / f"{name}.npy", np.asarray(array), allow_pickle=False)
        (building / "complete").write_text("\n".join(arrays) + "\n", encoding="utf-8")
        try:
            building.rename(folder)
        except OSError:  # another process got there first
            shutil.rmtree(building, ignore_errors=True)
    except OSError:
        return False
    return True
