import errno
import json
import os

import pytest

import detector.writers as writers
from detector.writers import (
    ROW_FIELDS,
    WriterError,
    open_writer,
    output_format,
    read_results,
)


def _rows(start, count):
    return [
        {
            "id": f"r{n}",
            "source": "s.jsonl",
            "line": n + 1,
            "status": "ok",
            "error": None,
            "warnings": ['odd, "quoted"\nwarning'] if n % 2 else [],
            "score": n / 10,
            "label": "spun" if n % 3 == 0 else "clean",
            "machine_translated_score": None if n % 3 else n / 16,
            "evidence": [
                {"family": "f", "name": "n", "start": 0, "end": 2, "snippet": "a,\nb", "note": "é"}
            ],
            "paragraphs": [{"start": 0, "end": 5, "score": 0.5}],
            "url": f"https://x/{n}",
            "date": {"year": 2011} if n % 2 else None,
        }
        for n in range(start, start + count)
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_chunks_round_trip(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    writer = open_writer(path, keep=["url", "date"])
    writer.open(0)
    writer.write_chunk(_rows(0, 3))
    writer.write_chunk([])
    writer.write_chunk(_rows(3, 2))
    writer.finish()
    rows = list(read_results(path))
    expected = _rows(0, 5)
    core = [{name: row[name] for name in ROW_FIELDS} for row in rows]
    assert core == [{name: row[name] for name in ROW_FIELDS} for row in expected]
    assert [row["url"] for row in rows] == [row["url"] for row in expected]
    dates = [row["date"] for row in rows]
    # Kept fields are text in CSV and Parquet (non-strings JSON-encoded).
    if suffix == ".jsonl":
        assert dates[1] == {"year": 2011}
    else:
        assert dates[1] == '{"year": 2011}' and dates[0] is None


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_the_head_score_is_a_column_of_its_own(tmp_path, suffix):
    # What the scorer returns: the head's score in ``scores``, for a model
    # with a machine-translation head (two rows), none for a model without.
    results = [
        {name: value for name, value in row.items() if name != "machine_translated_score"}
        for row in _rows(0, 3)
    ]
    for row, value in zip(results, (0.25, 0.875), strict=False):
        row["scores"] = {"spun": row["score"], "machine_translated": value}
    path = tmp_path / f"out{suffix}"
    writer = open_writer(path)
    writer.open(0)
    writer.write_chunk(results)
    writer.finish()
    rows = list(read_results(path))
    assert [row["machine_translated_score"] for row in rows] == [0.25, 0.875, None]
    assert [row["score"] for row in rows] == [0.0, 0.1, 0.2]
    assert all(list(row) == list(ROW_FIELDS) for row in rows)
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as parquet

        assert parquet.read_schema(path).field("machine_translated_score").type == pa.float64()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_reopening_drops_everything_after_the_committed_position(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    writer = open_writer(path)
    writer.open(0)
    committed = writer.write_chunk(_rows(0, 3))
    writer.write_chunk(_rows(3, 3))  # written, but the caller never recorded it
    writer.close()
    if suffix != ".parquet":
        with open(path, "ab") as handle:
            handle.write(b'{"id": "torn')
    reopened = open_writer(path)
    reopened.open(committed)
    reopened.write_chunk(_rows(10, 1))
    reopened.finish()
    assert [row["id"] for row in read_results(path)] == ["r0", "r1", "r2", "r10"]


def test_a_failed_write_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    writer = open_writer(path)
    writer.open(0)
    writer.write_chunk(_rows(0, 2))
    before = path.read_bytes()
    real_write = os.write

    def half_then_full(descriptor, data):
        real_write(descriptor, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(writers.os, "write", half_then_full)
    with pytest.raises(WriterError, match="No space left on device"):
        writer.write_chunk(_rows(2, 5))
    monkeypatch.undo()
    assert path.read_bytes() == before
    writer.write_chunk(_rows(2, 1))
    writer.close()
    assert [row["id"] for row in read_results(path)] == ["r0", "r1", "r2"]


def test_a_file_shorter_than_its_committed_position_is_refused(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text("{}\n")
    with pytest.raises(WriterError, match="changed by something else"):
        open_writer(path).open(100)


def test_unencodable_rows_are_a_writer_error(tmp_path):
    writer = open_writer(tmp_path / "out.parquet")
    writer.open(0)
    with pytest.raises(WriterError, match="cannot convert rows"):
        writer.write_chunk([{"id": "a", "score": "high"}])


def test_read_results_skips_a_torn_last_jsonl_line(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(json.dumps({"id": "a"}) + "\n" + '{"id": "b", "sc')
    assert [row["id"] for row in read_results(path)] == ["a"]
    path.write_text(json.dumps({"id": "a"}) + "\n" + json.dumps({"id": "b"}))
    assert [row["id"] for row in read_results(path)] == ["a", "b"]


def test_parquet_parts_merge_into_large_row_groups(tmp_path, monkeypatch):
    import pyarrow.parquet as parquet

    monkeypatch.setattr(writers, "MERGED_ROW_GROUP_ROWS", 4)
    path = tmp_path / "out.parquet"
    writer = open_writer(path)
    writer.open(0)
    for start in range(0, 9, 3):
        writer.write_chunk(_rows(start, 3))
    assert len(list((tmp_path / "out.parquet.parts").iterdir())) == 3
    writer.finish()
    metadata = parquet.ParquetFile(path).metadata
    assert (metadata.num_rows, metadata.num_row_groups) == (9, 2)
    assert not (tmp_path / "out.parquet.parts").exists()


@pytest.mark.parametrize("name", ["out.txt", "out.jsonl.gz", "out"])
def test_unknown_output_names(name):
    with pytest.raises(ValueError, match="must end in"):
        output_format(name)
