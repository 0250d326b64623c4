"""The array cache: what is stored is what is mapped, and a cache that cannot be is skipped."""

from __future__ import annotations

import numpy as np
import pytest

from detector import array_cache

ARRAYS = {
    "keys": np.array([3, 1, 2], dtype=np.uint64),
    "weights": np.linspace(0.0, 1.0, 5, dtype=np.float32).reshape(5, 1),
    "labels": np.array(["en", "de", "zh-Hant"], dtype=str),
    "empty": np.zeros(0, dtype=np.int32),
}


def test_stored_arrays_are_mapped_read_only_and_equal(tmp_path) -> None:
    folder = tmp_path / "one"
    assert array_cache.store(folder, ARRAYS)
    mapped = array_cache.mapped(folder)
    assert mapped is not None and list(mapped) == list(ARRAYS)
    for name, array in ARRAYS.items():
        np.testing.assert_array_equal(mapped[name], array)
        assert mapped[name].dtype == array.dtype
        assert not mapped[name].flags.writeable


def test_a_folder_that_exists_is_left_as_it_is(tmp_path) -> None:
    folder = tmp_path / "one"
    array_cache.store(folder, {"keys": np.arange(3)})
    assert array_cache.store(folder, {"keys": np.arange(5)})
    mapped = array_cache.mapped(folder)
    assert mapped is not None and mapped["keys"].tolist() == [0, 1, 2]
    assert [path.name for path in tmp_path.iterdir()] == ["one"]  # no half-written folder left


def test_a_folder_without_its_mark_of_completion_is_not_mapped(tmp_path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    np.save(folder / "keys.npy", np.arange(3))
    assert array_cache.mapped(folder) is None


def test_a_damaged_folder_is_not_mapped(tmp_path) -> None:
    folder = tmp_path / "one"
    array_cache.store(folder, ARRAYS)
    data = (folder / "weights.npy").read_bytes()
    (folder / "weights.npy").write_bytes(data[:-8])
    assert array_cache.mapped(folder) is None


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert not array_cache.store(blocker / "one", ARRAYS)
    assert array_cache.mapped(blocker / "one") is None


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "one"
    array_cache.store(folder, ARRAYS)
    monkeypatch.setenv(array_cache.ENVIRONMENT_VARIABLE, "0")
    assert array_cache.mapped(folder) is None
    assert not array_cache.store(tmp_path / "two", ARRAYS)
    assert not (tmp_path / "two").exists()


def test_the_cache_lives_under_xdg_cache_home(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert array_cache.cache_dir() == tmp_path / "detector" / "arrays"
