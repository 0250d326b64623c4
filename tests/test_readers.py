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


#: English news prose written for these tests, long enough (over 256 bytes)
#: for a statistical encoding guess.
ENGLISH = (
    "Shares of the carmaker rose sharply in March after it said profit for the year "
    "would beat forecasts. Traders in Tokyo said exporters were in demand as the yen "
    "weakened against the dollar, and analysts expected the central bank to keep rates on "
    "hold at its next meeting in April."
)


@pytest.mark.parametrize(
    ("damage", "replaced"),
    [(b"\x80", 1), (b"\xff\xfe\xc3\x28\x80", 4), (b"\x9d", 1), (b"\xc0", 1)],
)
@pytest.mark.parametrize("length", [len(ENGLISH), 100])
def test_stray_bytes_in_english_are_replaced_with_a_warning(damage, replaced, length):
    data = ENGLISH[:length].replace("March", "March" + damage.decode("latin-1"), 1)
    text, warnings, error = decode_bytes(data.encode("latin-1"))
    assert error is None
    assert warnings == [f"invalid utf-8: {replaced} bytes replaced"]
    assert text.startswith(ENGLISH[:30]) and "March\ufffd" in text
    assert all(char.isascii() or char == "\ufffd" for char in text)


@pytest.mark.parametrize(
    "text",
    [
        "Le café était fermé à midi, said the naïve visitor. " * 8,
        "The fund\u2019s \u201ccore\u201d holdings \u2014 about \u20ac5 million \u2014 fell. " * 8,
        "Os preços das ações subiram em São Paulo. " * 8,
        "Prices rose 5 \u00a3 to 20\u00b0 \u2026 and more. ",
    ],
)
def test_text_that_reads_as_windows_1252_is_decoded_without_a_warning(text):
    assert decode_bytes(text.encode("cp1252")) == (text, [], None)


def test_text_in_another_script_takes_the_guessed_code_page():
    text = "Цены на нефть выросли в понедельник, сообщили трейдеры в Москве. " * 6
    assert decode_bytes(text.encode("cp1251")) == (text, [], None)


@settings(max_examples=150, deadline=None)
@given(
    positions=st.lists(st.integers(0, len(ENGLISH)), min_size=1, max_size=4),
    damage=st.lists(
        st.lists(st.integers(0x80, 0xFF), min_size=1, max_size=3).map(bytes),
        min_size=4,
        max_size=4,
    ),
)
def test_a_decoding_guess_never_makes_look_alikes_or_invisible_characters(positions, damage):
    """Stray bytes in English are replaced (with a warning) or read as Windows-1252 typography."""
    import unicodedata

    from detector.features.homoglyphs import INVISIBLE_RE

    data = ENGLISH.encode()
    for position, inserted in sorted(zip(positions, damage, strict=False), reverse=True):
        data = data[:position] + inserted + data[position:]
    text, warnings, error = decode_bytes(data)
    assert error is None and text is not None
    if warnings:
        assert warnings[0].startswith("invalid utf-8")
        assert text == data.decode("utf-8", errors="replace")
        return
    try:
        assert text == data.decode("utf-8")  # valid UTF-8: what it says, guessed nothing
    except UnicodeDecodeError:
        guessed = [char for char in text if not char.isascii()]
        assert not INVISIBLE_RE.search("".join(guessed))
        for char in guessed:
            name = unicodedata.name(char, "")
            assert not name.startswith(("CYRILLIC", "GREEK")), (char, name)


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


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "a\tb"}', "Invalid control character at column 12 (a raw tab or line"),
        ('{"text": "ok",}', "Expecting property name enclosed in double quotes at column 15"),
        ('{"text": "ok"', "Expecting ',' delimiter at column 14"),
        ("[" * 100_000, "nested too deep to parse"),
    ],
)
def test_jsonl_parse_errors_give_line_column_and_the_whole_reason(tmp_path, line, reason):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"text": "first"}\n' + line + "\n", encoding="utf-8")
    records = list(iter_records([path]))
    assert records[1].error.startswith(f"line 2: not valid JSON ({reason}")
    assert records[1].error.endswith(")")


def test_quoted_paragraph_breaks_in_csv_are_ordinary(tmp_path):
    import csv as csv_module

    path = tmp_path / "docs.csv"
    rows = [["id", "text"]] + [
        [str(n), f"First paragraph {n}.\n\nSecond paragraph."] for n in range(5)
    ]

    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv_module.writer(handle).writerows(rows)
    records = list(iter_records([path]))
    assert [record.text for record in records] == [row[1] for row in rows[1:]]
    assert all(record.warnings == [] for record in records)
