"""The tests keep their caches inside the repository, not in the user's home."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_caches_are_kept_in_the_repository():
    from detector.synth.wordnet import default_cache_dir

    for variable in ("XDG_CACHE_HOME", "MPLCONFIGDIR"):
        assert Path(os.environ[variable]).resolve().is_relative_to(ROOT), variable
    assert default_cache_dir().resolve().is_relative_to(ROOT)
    import matplotlib

    assert Path(matplotlib.get_cachedir()).resolve().is_relative_to(ROOT)
