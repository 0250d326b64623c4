import gzip
import json

import pytest

from detector.readers import decode_bytes, iter_records


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
    import io

    (record,) = iter_records(["-"], stdin=io.StringIO("From stdin."))
    assert record.text == "From stdin." and record.id == "-"
