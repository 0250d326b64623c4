import gzip
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector.readers import (
    ReadProgress,
    UnreadableSource,
    decode_bytes,
    expand_sources,
    iter_paths_from,
    iter_records,
)


def _ids_and_errors(records):
    return [(r.id, r.error is None) for r in records]


def test_jsonl_rows_keep_fields_and_report_bad_lines(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "One.", "label": 1})
        + "\n"
        + "{broken\n"
        + json.dumps({"id": "c", "body": "no text field"})
        + "\n"
        + json.dumps({"id": "d", "text": 42})
        + "\n"
        + json.dumps([1, 2])
        + "\n"
    )
    records = list(iter_records([path]))
    assert [r.line for r in records] == [1, 2, 3, 4, 5]
    assert records[0].fields == {"label": 1} and records[0].text == "One."
    assert "not valid JSON" in records[1].error
    assert "no field 'text'" in records[2].error and "body" in records[2].error
    assert "not a string" in records[3].error
    assert "not a JSON object" in records[4].error


def test_title_is_prepended(tmp_path):
    path = tmp_path / "docs.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(json.dumps({"id": "a", "title": "Headline", "text": "Body."}) + "\n")
    (record,) = iter_records([path], title_field="title")
    assert record.text == "Headline\n\nBody."


def test_truncated_gzip_keeps_rows_before_the_cut(tmp_path):
    path = tmp_path / "docs.jsonl.gz"
    payload = "".join(json.dumps({"id": str(i), "text": "x " * 50}) + "\n" for i in range(2000))
    data = gzip.compress(payload.encode())
    path.write_bytes(data[: len(data) // 2])
    records = list(iter_records([path]))
    assert records[-1].error and "cannot read" in records[-1].error
    assert all(r.ok for r in records[:-1]) and len(records) > 10


def test_csv_with_embedded_newlines_and_custom_fields(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text('doc,body\n1,"line one\nline two, with comma"\n2,"say ""hi"""\n')
    records = list(iter_records([path], text_field="body", id_field="doc"))
    assert [(r.id, r.text) for r in records] == [
        ("1", "line one\nline two, with comma"),
        ("2", 'say "hi"'),
    ]


def test_directory_glob_and_missing_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Alpha.")
    (tmp_path / "b.txt").write_text("Beta.")
    (tmp_path / "c.md").write_text("Gamma.")
    records = list(iter_records([tmp_path], pattern="*.txt"))
    assert [r.text for r in records] == ["Beta.", "Alpha."]
    (missing,) = iter_records([tmp_path / "nope.txt"])
    assert "No such file" in missing.error
    globbed = list(iter_records([str(tmp_path / "*.md")]))
    assert [r.text for r in globbed] == ["Gamma."]


def test_binary_and_broken_files_are_error_records(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "link.txt").symlink_to(tmp_path / "gone.txt")
    records = {r.id.rsplit("/", 1)[-1]: r for r in iter_records([tmp_path])}
    assert "binary file" in records["image.txt"].error
    assert "cannot read" in records["link.txt"].error


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("naïve café".encode(), "naïve café"),
        ("naïve café".encode("utf-16"), "naïve café"),
        ("naïve café".encode("utf-32"), "naïve café"),
        ("naïve café".encode("utf-8-sig"), "naïve café"),
        ("naïve café".encode("latin-1"), "naïve café"),
    ],
)
def test_decoding(data, expected):
    text, warnings, error = decode_bytes(data)
    assert (text, warnings, error) == (expected, [], None)


def test_stdin_is_one_document():
    (record,) = iter_records(["-"], stdin=io.StringIO("From stdin."))
    assert record.text == "From stdin." and record.id == "-"


# --- path lists, progress, damaged data -------------------------------------

_path_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
    min_size=1,
)


@given(st.lists(_path_names))
def test_listed_paths_round_trip(names):
    for ending in ("\n", "\r\n"):
        listing = "".join(name + ending for name in names)
        assert list(iter_paths_from(io.StringIO(listing))) == names


@given(st.binary(max_size=2000))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_in_a_jsonl_file_give_records_not_exceptions(tmp_path, data):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    records = list(iter_records([path]))
    lines = [line for line in data.split(b"\n") if line.strip()]
    assert len(records) == len(lines)
    assert all((r.error is None) == (r.text is not None) for r in records)
    assert all(r.source == str(path) and r.line for r in records)


@given(st.binary(max_size=2000), st.sampled_from(["fuzz.csv", "fuzz.jsonl.gz", "fuzz.csv.zst"]))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_in_other_formats_give_records_not_exceptions(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    for record in iter_records([path]):
        assert record.error is not None or isinstance(record.text, str)


@given(st.text(max_size=300))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_csv_text_gives_records_not_exceptions(tmp_path, text):
    path = tmp_path / "fuzz.csv"
    path.write_text("id,text\n" + text, encoding="utf-8")
    for record in iter_records([path]):
        assert record.error is not None or isinstance(record.text, str)


def test_damaged_compressed_files_are_error_records(tmp_path):
    import zstandard

    (tmp_path / "bad.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 64)
    payload = zstandard.ZstdCompressor().compress(b'{"id": "a", "text": "x"}\n' * 50)
    (tmp_path / "bad.jsonl.zst").write_bytes(payload[:20] + b"\x00" * 20 + payload[40:])
    for name in ("bad.jsonl.gz", "bad.jsonl.zst"):
        records = list(iter_records([tmp_path / name]))
        assert records and records[-1].error and "cannot read" in records[-1].error


def test_progress_counts_compressed_bytes_up_to_the_file_size(tmp_path):
    path = tmp_path / "docs.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        for number in range(3000):
            handle.write(json.dumps({"id": str(number), "text": f"text {number} " * 20}) + "\n")
    (tmp_path / "note.txt").write_text("Plain.")
    progress = ReadProgress()
    seen = []
    for record in iter_records([path, tmp_path / "note.txt"], progress=progress):
        seen.append(progress.bytes_read)
        assert record.ok
    total = path.stat().st_size + len("Plain.")
    assert seen == sorted(seen) and 0 < seen[100] < path.stat().st_size
    assert progress.bytes_read == total and progress.files_done == 2


def test_unmatched_globs_are_reported(tmp_path):
    (item,) = expand_sources([str(tmp_path / "*.none")])
    assert isinstance(item, UnreadableSource)
    (record,) = iter_records([str(tmp_path / "*.none")])
    assert record.error == f"no file matches {tmp_path / '*.none'}"
