"""WordNet for the spinner, from Debian's packages, without ``nltk.download()``.

NLTK reads WordNet from an ``nltk_data`` folder and would fetch it from the
network when missing; there is no network on many machines (and none in CI).
Debian ships the same WordNet 3.0 files in ``wordnet-base`` and
``wordnet-sense-index`` under ``/usr/share/wordnet``, minus the ``lexnames``
file NLTK insists on. :func:`ensure_wordnet_data` builds an NLTK data folder
from them once, in the user's cache, and :func:`load_wordnet` opens it.

The files are copied, not linked: NLTK refuses data paths that resolve outside
its root, which symbolic links into ``/usr/share`` do.

>>> lexnames_text().splitlines()[0]
'00\\tadj.all\\t3'
>>> len(LEXNAMES)
45
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Where Debian's ``wordnet-base`` package installs the database.
DEBIAN_WORDNET_DIR = Path("/usr/share/wordnet")

#: The command that installs it.
INSTALL_HINT = "sudo apt-get install wordnet-base wordnet-sense-index"

#: The database files NLTK's reader opens (``lexnames`` is written separately).
WORDNET_FILES = (
    "adj.exc",
    "adv.exc",
    "noun.exc",
    "verb.exc",
    "cntlist.rev",
    "data.adj",
    "data.adv",
    "data.noun",
    "data.verb",
    "index.adj",
    "index.adv",
    "index.noun",
    "index.verb",
    "index.sense",
)

#: The 45 lexicographer files of WordNet 3.0, in their numbered order.
LEXNAMES = (
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
    "noun.artifact", "noun.attribute", "noun.body", "noun.cognition",
    "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
    "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon",
    "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
    "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body",
    "verb.change", "verb.cognition", "verb.communication", "verb.competition",
    "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
    "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather",
    "adj.ppl",
)  # fmt: skip

# Syntactic category numbers of the lexnames file: 1 noun, 2 verb, 3 adjective, 4 adverb.
_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}


class WordNetMissing(RuntimeError):
    """WordNet is not installed where the spinner looks for it."""


def lexnames_text() -> str:
    """The ``lexnames`` file NLTK expects: ``NN<tab>name<tab>category`` lines."""
    return "".join(
        f"{index:02d}\t{name}\t{_CATEGORY[name.split('.')[0]]}\n"
        for index, name in enumerate(LEXNAMES)
    )


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/detector/nltk_data``, ``~/.cache`` when the variable is unset."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "detector" / "nltk_data"


def _stamp(source: Path) -> str:
    # Size and modification time of the data files: a Debian upgrade changes
    # them, and the cached copy is then rebuilt.
    parts = []
    for name in WORDNET_FILES:
        info = (source / name).stat()
        parts.append(f"{name} {info.st_size} {int(info.st_mtime)}")
    return "\n".join(parts) + "\n"


def ensure_wordnet_data(cache_dir: Path | None = None, source: Path = DEBIAN_WORDNET_DIR) -> Path:
    """Build (once) an NLTK data folder holding WordNet; return the folder.

    The folder has ``corpora/wordnet/`` with copies of the Debian files and a
    ``lexnames`` file. It is built in a temporary folder and renamed into
    place, so that two processes starting together never see half a copy.

    Raises
    ------
    WordNetMissing
        When ``source`` lacks the WordNet files, with the ``apt-get`` line
        that installs them.
    """
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
    missing = [name for name in WORDNET_FILES if not (source / name).is_file()]
    if missing:
        raise WordNetMissing(
            f"WordNet not found in {source} (missing {', '.join(missing[:3])}"
            f"{', ...' if len(missing) > 3 else ''}); the spinner needs it: {INSTALL_HINT}"
        )
    target = cache_dir / "corpora" / "wordnet"
    stamp = _stamp(source)
    stamp_file = target / "detector-source.txt"
    if stamp_file.is_file() and stamp_file.read_text() == stamp:
        return cache_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".wordnet-", dir=target.parent))
    try:
        for name in WORDNET_FILES:
            shutil.copyfile(source / name, building / name)
        (building / "lexnames").write_text(lexnames_text())
        (building / "detector-source.txt").write_text(stamp)
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        try:
            building.rename(target)
        except OSError:
            # Another process renamed its copy first; theirs is as good.
            if not stamp_file.is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return cache_dir


@lru_cache(maxsize=4)
def load_wordnet(cache_dir: Path | None = None, source: Path = DEBIAN_WORDNET_DIR) -> Any:
    """An NLTK ``WordNetCorpusReader`` over the cached copy (loaded once per process).

    The cache folder is also put on ``nltk.data.path``, so that other NLTK
    code finds the same WordNet.
    """
    root = ensure_wordnet_data(cache_dir, source)
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    with warnings.catch_warnings():
        # The Open Multilingual WordNet is not needed (English synonyms only).
        warnings.simplefilter("ignore")
        return WordNetCorpusReader(str(root / "corpora" / "wordnet"), None)
