"""Damaged and foreign model files are refused with a message that says what to do.

Each case starts from the shipped model, damages one thing, and (where the
damage is inside the ``.npz``) rewrites the card's checksum so that the
loader's later checks are reached. Loading never unpickles: an object array
is refused, not executed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from detector.model import ModelError, default_model_path, file_sha256, load_model


def _arrays() -> dict[str, np.ndarray]:
    with np.load(default_model_path(), allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def _damaged(tmp_path: Path, *, npz: bytes | None = None, arrays=None, card=None) -> Path:
    """A copy of the shipped model with its parts replaced, checksum kept consistent."""
    source = default_model_path()
    target = tmp_path / "damaged.npz"
    if arrays is not None:
        with open(target, "wb") as handle:
            np.savez(handle, **arrays)
    else:
        target.write_bytes(npz if npz is not None else source.read_bytes())
    if card is None:
        card = json.loads(source.with_suffix(".json").read_text())
        card["sha256"] = file_sha256(target)
        card = json.dumps(card)
    target.with_suffix(".json").write_text(card)
    return target


def test_card_that_is_not_json(tmp_path) -> None:
    with pytest.raises(ModelError, match="not valid JSON"):
        load_model(_damaged(tmp_path, card="{model card, damaged"))


def test_object_array_is_refused_not_unpickled(tmp_path) -> None:
    arrays = _arrays()
    name = next(iter(arrays))
    arrays[name] = np.array([{"payload": "os.system"}], dtype=object)
    with pytest.raises(ModelError, match="Object arrays cannot be loaded"):
        load_model(_damaged(tmp_path, arrays=arrays))


def test_checksum_mismatch_says_what_to_do(tmp_path) -> None:
    path = _damaged(tmp_path)
    path.write_bytes(path.read_bytes()[:-4] + b"XXXX")
    with pytest.raises(ModelError, match="restore it or retrain"):
        load_model(path)


def test_truncated_npz(tmp_path) -> None:
    data = default_model_path().read_bytes()
    with pytest.raises(ModelError):
        load_model(_damaged(tmp_path, npz=data[: len(data) // 2]))


def test_empty_npz(tmp_path) -> None:
    with pytest.raises(ModelError):
        load_model(_damaged(tmp_path, npz=b""))


def test_card_that_is_json_but_not_an_object(tmp_path) -> None:
    with pytest.raises(ModelError):
        load_model(_damaged(tmp_path, card="[1, 2, 3]"))


def test_no_pickle_anywhere_in_the_package() -> None:
    root = Path(__file__).parents[2] / "detector"
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import pickle" not in source and "allow_pickle=True" not in source, path


def test_a_foreign_card_is_named_as_such(tmp_path) -> None:
    path = _damaged(tmp_path, card=json.dumps({"name": "resnet", "weights": "random.npz"}))
    with pytest.raises(ModelError, match="is not a detector model card") as refused:
        load_model(path)
    assert "upgrade" not in str(refused.value)


@pytest.mark.parametrize("name", ["binary.bin", "model.pkl", "weights"])
def test_a_path_that_is_not_a_model_says_what_a_model_path_is(tmp_path, name) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x00\x01 not a model")
    with pytest.raises(ModelError) as refused:
        load_model(path)
    message = str(refused.value)
    assert f"{path} is not a model" in message and ".npz.npz" not in message
    assert "NAME.npz with its card NAME.json" in message


def test_a_folder_is_not_a_model(tmp_path) -> None:
    with pytest.raises(ModelError, match=r"is a folder, not a model: a model is NAME\.npz"):
        load_model(tmp_path)
