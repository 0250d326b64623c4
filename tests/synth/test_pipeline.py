import hashlib
import json

import pytest

from detector.synth import Apertium, ApertiumMissing, SynthConfig, synthesize
from detector.text import paragraph_spans

from .conftest import write_jsonl

#: Spin, damage and partial documents: everything but the Apertium engine.
NO_ENGINE = SynthConfig(
    seed=3,
    generators=("spin", "damage", "partial"),
    partial_generators=("spin", "damage"),
    partial_share=1.0,
)


@pytest.fixture
def source(tmp_path, sample_rows):
    return write_jsonl(tmp_path / "clean.jsonl", sample_rows)


def _rows(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_rows_of_every_kind_with_groups_intact(tmp_path, source, wordnet, sample_rows):
    out = tmp_path / "out.jsonl"
    report = synthesize([source], out, config=NO_ENGINE, wordnet=wordnet, limit=10)
    rows = _rows(out)
    assert report.documents == 10 and report.rows == len(rows)
    kinds = {row["kind"].split(":")[0] for row in rows}
    assert kinds == {"original", "spin", "damage", "partial"}
    originals = {row["group"]: row for row in rows if row["kind"] == "original"}
    assert len(originals) == 10
    for row in rows:
        assert row["id"] == f"{row['group']}#{row['kind']}"
        assert row["group"] in originals
        assert row["label"] == (0 if row["kind"] == "original" else 1)
        if row["kind"].startswith("partial:"):
            labels = row["paragraph_labels"]
            assert len(labels) == len(paragraph_spans(row["text"]))
            assert 0 < sum(labels) < len(labels)
            assert len(labels) == len(paragraph_spans(originals[row["group"]]["text"]))
        else:
            assert row["paragraph_labels"] is None
    # The title is the first paragraph of the original.
    first = sample_rows[0]
    assert originals[first["id"]]["text"].startswith(first["title"] + "\n\n")
    assert not (tmp_path / "out.jsonl.partial").exists()
    meta = json.loads((tmp_path / "out.jsonl.meta.json").read_text())
    assert meta["rows"] == len(rows) and meta["config"]["seed"] == 3
    written = (tmp_path / "out.jsonl").read_bytes()
    assert meta["sha256"] == hashlib.sha256(written).hexdigest()


def test_same_seed_same_bytes_whatever_the_chunk_size(tmp_path, source, wordnet):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    synthesize([source], first, config=NO_ENGINE, wordnet=wordnet, chunk_size=100)
    synthesize([source], second, config=NO_ENGINE, wordnet=wordnet, chunk_size=3)
    assert first.read_bytes() == second.read_bytes()
    third = tmp_path / "c.jsonl"
    other_seed = SynthConfig(**{**NO_ENGINE.__dict__, "seed": 4})
    synthesize([source], third, config=other_seed, wordnet=wordnet)
    assert third.read_bytes() != first.read_bytes()


def test_a_document_does_not_depend_on_its_neighbours(tmp_path, source, wordnet, sample_rows):
    alone = write_jsonl(tmp_path / "one.jsonl", [sample_rows[7]])
    synthesize([alone], tmp_path / "one-out.jsonl", config=NO_ENGINE, wordnet=wordnet)
    synthesize([source], tmp_path / "all-out.jsonl", config=NO_ENGINE, wordnet=wordnet)
    group = sample_rows[7]["id"]
    in_all = [row for row in _rows(tmp_path / "all-out.jsonl") if row["group"] == group]
    assert _rows(tmp_path / "one-out.jsonl") == in_all


def test_resume_writes_only_what_is_missing(tmp_path, source, wordnet):
    full = tmp_path / "full.jsonl"
    synthesize([source], full, config=NO_ENGINE, wordnet=wordnet, limit=12)
    out = tmp_path / "out.jsonl"
    synthesize([source], out, config=NO_ENGINE, wordnet=wordnet, limit=5)
    report = synthesize([source], out, config=NO_ENGINE, wordnet=wordnet, limit=12, resume=True)
    assert out.read_bytes() == full.read_bytes()
    assert report.resumed_documents == 5
    first_five = _first_groups(full, 5)
    assert report.rows == sum(1 for row in _rows(full) if row["group"] not in first_five)


def _first_groups(path, count):
    groups = []
    for row in _rows(path):
        if row["group"] not in groups:
            groups.append(row["group"])
    return set(groups[:count])


def test_resume_after_an_interruption_mid_line(tmp_path, source, wordnet):
    full = tmp_path / "full.jsonl"
    synthesize([source], full, config=NO_ENGINE, wordnet=wordnet)
    data = full.read_bytes()
    out = tmp_path / "out.jsonl"
    # An interrupted run: complete lines, then half a line, in the .partial file.
    cut = data.index(b"\n", len(data) // 2) + 40
    (tmp_path / "out.jsonl.partial").write_bytes(data[:cut])
    synthesize([source], out, config=NO_ENGINE, wordnet=wordnet, resume=True)
    assert out.read_bytes() == data
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_bad_rows_are_reported_with_line_and_reason(tmp_path, wordnet, sample_rows):
    german = (
        "Der Umsatz stieg im dritten Quartal um fünf Prozent, teilte das Unternehmen am "
        "Montag mit, und die Aktie legte deutlich zu, nachdem Analysten mit einem Rückgang "
        "gerechnet hatten."
    )
    lines = [
        sample_rows[0],
        "{not json",
        {"id": "no-text", "body": "x"},
        {"id": "empty", "text": "   "},
        {"id": "german", "text": german},
        sample_rows[1],
        {"id": sample_rows[0]["id"], "text": sample_rows[2]["text"]},
    ]
    source = write_jsonl(tmp_path / "mixed.jsonl", lines)
    report = synthesize([source], tmp_path / "out.jsonl", config=NO_ENGINE, wordnet=wordnet)
    assert report.documents == 2
    assert report.bad_count == 5
    reasons = {bad.line: bad.reason for bad in report.bad_rows}
    assert reasons[2].startswith("line 2: not valid JSON")
    assert "no field 'text'" in reasons[3]
    assert reasons[4] == "empty text"
    assert reasons[5].startswith("not English")
    assert reasons[7].startswith("duplicate id")


def test_directory_of_text_files(tmp_path, wordnet, sample_rows):
    folder = tmp_path / "articles"
    folder.mkdir()
    for row in sample_rows[:3]:
        (folder / f"{row['id']}.txt").write_text(row["text"])
    (folder / "notes.md").write_text("not read: only .txt files are")
    report = synthesize(
        [folder], tmp_path / "out.jsonl", config=SynthConfig(generators=("damage",))
    )
    assert report.documents == 3 and report.bad_count == 0


def test_missing_engine_fails_before_writing_anything(tmp_path, source):
    out = tmp_path / "out.jsonl"
    with pytest.raises(ApertiumMissing, match="apt-get install apertium"):
        synthesize([source], out, apertium=Apertium(executable=str(tmp_path / "missing")))
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.apertium
def test_round_trips_in_the_full_pipeline(tmp_path, source, wordnet):
    config = SynthConfig(seed=1, pivots=("spa", "glg"), partial_share=1.0)
    out = tmp_path / "out.jsonl"
    report = synthesize([source], out, config=config, wordnet=wordnet, limit=6, chunk_size=4)
    kinds = {row["kind"] for row in _rows(out)}
    assert {"roundtrip:spa", "roundtrip:glg"} <= kinds
    assert report.apertium_seconds > 0
    for row in _rows(out):
        if row["kind"].startswith("roundtrip:"):
            assert "|||" not in row["text"]


def test_split_and_held_out_kind_from_the_pipeline(tmp_path, source):
    config = SynthConfig(generators=("damage", "partial"), partial_generators=("damage",))
    out = tmp_path / "set.jsonl"
    report = synthesize(
        [source], out, config=config, split=(0.5, 0.25, 0.25), hold_out=["damage:heavy"]
    )
    assert report.splits is not None
    train = _rows(tmp_path / "set.train.jsonl")
    assert train and all(row["kind"] != "damage:heavy" for row in train)
    assert (tmp_path / "set.heldout.jsonl").exists()
