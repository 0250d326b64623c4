import json
from collections import defaultdict

import pytest

from detector.synth.splits import (
    is_held_out,
    parse_fractions,
    split_of,
    split_paths,
    write_splits,
)

from .conftest import write_jsonl

KINDS = ["original", "roundtrip:spa", "spin:0.3", "damage:light", "partial:damage:heavy"]


@pytest.fixture
def dataset(tmp_path):
    rows = [
        {"id": f"g{g}#{kind}", "group": f"g{g}", "text": "x", "label": int(kind != "original"),
         "kind": kind, "paragraph_labels": None}
        for g in range(200)
        for kind in KINDS
    ]  # fmt: skip
    return write_jsonl(tmp_path / "synth.jsonl", rows)


def _read(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle]


def test_no_group_on_two_sides(dataset):
    report = write_splits(dataset, (0.6, 0.2, 0.2))
    where = defaultdict(set)
    for name, path in report.paths.items():
        for row in _read(path):
            where[row["group"]].add(name)
    assert len(where) == 200
    assert all(len(splits) == 1 for splits in where.values())
    assert {name for splits in where.values() for name in splits} == {"train", "dev", "test"}


def test_assignment_is_a_function_of_the_group():
    fractions = (0.8, 0.1, 0.1)
    assert [split_of(f"g{i}", fractions) for i in range(50)] == [
        split_of(f"g{i}", fractions) for i in range(50)
    ]
    counts = [split_of(f"doc-{i}", fractions) for i in range(5000)].count("train")
    assert 0.77 < counts / 5000 < 0.83


def test_held_out_kinds_never_reach_train(dataset):
    report = write_splits(dataset, (0.6, 0.2, 0.2), hold_out=["damage:*"])
    kinds = {name: {row["kind"] for row in _read(path)} for name, path in report.paths.items()}
    assert "damage:light" not in kinds["train"] and "partial:damage:heavy" not in kinds["train"]
    assert "damage:light" not in kinds["dev"] | kinds["test"]
    assert kinds["heldout"] == {"original", "damage:light", "partial:damage:heavy"}
    heldout_groups = {row["group"] for row in _read(report.paths["heldout"])}
    train_groups = {row["group"] for row in _read(report.paths["train"])}
    assert not heldout_groups & train_groups


def test_held_out_kinds_can_stay_in_dev_and_test(dataset):
    report = write_splits(dataset, (0.6, 0.2, 0.2), hold_out=["damage:*"], held_out_mode="dev-test")
    assert "heldout" not in report.paths
    assert "damage:light" in {row["kind"] for row in _read(report.paths["test"])}
    assert "damage:light" not in {row["kind"] for row in _read(report.paths["train"])}
    assert not split_paths(dataset)["heldout"].exists()


def test_is_held_out_globs():
    assert is_held_out("roundtrip:cat", ["roundtrip:*"])
    assert is_held_out("partial:roundtrip:cat", ["roundtrip:cat"])
    assert not is_held_out("original", ["*:*"])
    assert not is_held_out("spin:0.3", ["damage:*", "roundtrip:*"])


@pytest.mark.parametrize("text", ["80,10", "a,b,c", "-1,1,1", "0,0,0"])
def test_bad_fractions_are_refused(text):
    with pytest.raises(ValueError, match="three"):
        parse_fractions(text)
