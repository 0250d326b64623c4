"""Hostile input, one case a test: each gets a clear per-record status, none is lost.

The real scorer and the shipped model are used throughout, as a user runs them.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import threading
import zipfile
from pathlib import Path

import pytest

import detector.readers as readers
from detector.readers import decode_bytes, iter_records
from detector.scoring import MIN_WORDS, Scorer
from tests.examples import CLEAN_WIRE_STORY, SPUN_NEWS

GERMAN = (
    "Der Vorstand hat am Montag beschlossen, die Dividende zu erhöhen. Die Aktionäre waren "
    "zufrieden, und der Kurs stieg um drei Prozent, wie Händler in Frankfurt sagten."
)
FRENCH = (
    "Le conseil d'administration a décidé lundi d'augmenter le dividende. Les actionnaires "
    "étaient satisfaits et le cours a progressé de trois pour cent, selon des courtiers."
)
CHINESE = "董事会周一决定提高股息。股东们感到满意，据上海交易员称，股价上涨了百分之三。" * 2
RUSSIAN = (
    "Совет директоров в понедельник решил увеличить дивиденды. Акционеры были довольны, "
    "и курс вырос на три процента, сообщили трейдеры в Москве."
)


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer.load()


def _rows(scorer: Scorer, paths) -> list[dict]:
    return [scorer.score_record(record) for record in iter_records(paths)]


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


# --- bytes that are not text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (_zip_bytes(), "zip archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF document"),
        (b"\x7fELF\x02\x01\x01" + bytes(64), "executable"),
        (bytes(range(1, 9)) * 100, "control bytes"),
        (b"text with a NUL\x00 inside", "NUL bytes"),
    ],
)
def test_binary_files_are_errors_not_scores(tmp_path, scorer, data, kind) -> None:
    path = tmp_path / "download.txt"
    path.write_bytes(data)
    [row] = _rows(scorer, [path])
    assert row["status"] == "error" and row["score"] is None and row["label"] is None
    assert row["error"] == f"binary file ({kind}), not text"


# --- encodings


def test_invalid_utf8_is_replaced_scored_and_flagged(tmp_path, scorer) -> None:
    path = tmp_path / "damaged.txt"
    path.write_bytes(CLEAN_WIRE_STORY.encode() + b" caf\xc3\xa9 \xff\xfe end")
    [row] = _rows(scorer, [path])
    assert row["status"] == "ok" and row["score"] is not None
    assert "invalid utf-8: 2 bytes replaced" in row["warnings"]


def test_invalid_utf8_in_a_jsonl_line_is_flagged(tmp_path, scorer) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"id": "a", "text": "' + SPUN_NEWS.encode() + b' \xff"}\n')
    [row] = _rows(scorer, [path])
    assert row["status"] == "ok" and "invalid utf-8: 1 bytes replaced" in row["warnings"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_byte_order_mark(tmp_path, scorer, encoding) -> None:
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[encoding]
    path = tmp_path / "wide.txt"
    path.write_bytes(bom + CLEAN_WIRE_STORY.encode(encoding))
    [record] = iter_records([path])
    assert record.text == CLEAN_WIRE_STORY and record.warnings == []
    assert scorer.score_record(record)["status"] == "ok"


@pytest.mark.parametrize("damage", [b"\x80", b"\xff\xfe\xc3\x28\x80"])
def test_invalid_bytes_are_replaced_and_never_become_evidence(tmp_path, scorer, damage) -> None:
    path = tmp_path / "damaged.txt"
    path.write_bytes(
        CLEAN_WIRE_STORY.replace(" ", " March" + "\0", 1).encode().replace(b"\0", damage)
    )
    [row] = _rows(scorer, [path])
    assert row["status"] == "ok"
    assert any(warning.startswith("invalid utf-8: ") for warning in row["warnings"])
    assert not [item for item in row["evidence"] if item["family"] == "homoglyphs"]


def test_latin1_file_is_decoded(tmp_path) -> None:
    text = "Café owners in Zürich said the façade would cost 5,000 francs. " * 10
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    [record] = iter_records([path])
    assert record.text == text and record.error is None


# --- too little text


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\n\t \r\n", "Hello.", "word " * (MIN_WORDS - 1), "Guten Tag, wie geht es?"],
)
def test_empty_and_short_texts_are_too_short(scorer, text) -> None:
    result = scorer.score_text(text)
    assert result["status"] == "too_short" and result["label"] is None
    if text.strip():
        assert 0.0 <= result["score"] <= 1.0
        assert any("too short" in warning for warning in result["warnings"])
    else:  # nothing to score: a score would be the model's prior for an empty row
        assert result["score"] is None
        assert result["warnings"] == ["no words: nothing to score"]


def test_empty_file_is_too_short(tmp_path, scorer) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    [row] = _rows(scorer, [path])
    assert row["status"] == "too_short"


# --- languages


@pytest.mark.parametrize(
    ("text", "language"), [(GERMAN, "de"), (FRENCH, "fr"), (CHINESE, "zh"), (RUSSIAN, "ru")]
)
def test_non_english_is_unsupported_not_scored(scorer, text, language) -> None:
    result = scorer.score_text(text)
    assert result["status"] == "unsupported_language"
    assert result["language"] == language
    assert result["score"] is None and result["label"] is None and result["evidence"] == []
    assert any(f"not English (language {language}" in w for w in result["warnings"])


def test_the_language_survives_into_batch_rows(tmp_path) -> None:
    from detector.batch import ScorerSpec, run_batch
    from detector.writers import read_results

    source = tmp_path / "docs.jsonl"
    source.write_text(json.dumps({"id": "de", "text": GERMAN}) + "\n")
    run_batch([source], tmp_path / "out.jsonl", spec=ScorerSpec(), jobs=1, progress="none")
    [row] = read_results(tmp_path / "out.jsonl")
    assert row["status"] == "unsupported_language" and row["score"] is None
    assert "not English (language de" in row["warnings"][0]


def test_mixed_document_with_foreign_paragraphs_is_scored(scorer) -> None:
    text = "\n\n".join([CLEAN_WIRE_STORY, GERMAN, SPUN_NEWS])
    assert scorer.score_text(text)["status"] == "ok"


def test_english_disguised_with_lookalikes_is_still_english(scorer) -> None:
    disguised = SPUN_NEWS.translate(str.maketrans("aeopcx", "аеорсх"))
    result = scorer.score_text(disguised)
    assert result["status"] == "ok"
    assert any(e["family"] == "homoglyphs" for e in result["evidence"])


def test_english_text_does_not_load_the_identifier(scorer) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from detector.scoring import Scorer\n"
        "from tests.examples import CLEAN_WIRE_STORY\n"
        "Scorer.load().score_text(CLEAN_WIRE_STORY)\n"
        "print('py3langid' in sys.modules)\n"
    )
    root = Path(__file__).parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "False", done.stderr


# --- characters that are not what they seem


@pytest.mark.parametrize(
    "text",
    [
        CLEAN_WIRE_STORY.replace(" ", " \x00\x01\x1b "),
        CLEAN_WIRE_STORY.replace("e", "e\u200b"),
        CLEAN_WIRE_STORY.replace(" the ", " \u202ethe\u202c "),
        "\u200f" + CLEAN_WIRE_STORY.replace(".", ".\u200e\u2067"),
        CLEAN_WIRE_STORY.translate(str.maketrans("aeop", "аеор")),
        CLEAN_WIRE_STORY.replace("o", "o\u0301\u0308"),  # stacked combining marks
        "\ufeff" + CLEAN_WIRE_STORY.replace("\n", "\u2028\u0085"),
    ],
    ids=[
        "controls",
        "zero-width",
        "rtl-override",
        "bidi-marks",
        "homoglyphs",
        "combining",
        "line-separators",
    ],
)
def test_odd_characters_keep_spans_exact(scorer, text) -> None:
    result = scorer.score_text(text)
    assert result["status"] in ("ok", "too_short")
    for item in result["evidence"]:
        assert text[item["start"] : item["end"]] == item["snippet"]
    for paragraph in result["paragraphs"]:
        assert 0 <= paragraph["start"] < paragraph["end"] <= len(text)


def test_homoglyphs_and_invisible_characters_are_evidence(scorer) -> None:
    text = CLEAN_WIRE_STORY.replace("Toyota", "Tоyota").replace("profit", "pro\u200bfit")
    names = {e["name"] for e in scorer.score_text(text)["evidence"]}
    assert {"homoglyphs.mixed_script_word", "homoglyphs.invisible_char"} <= names


def test_lone_surrogates_from_json_escapes_do_not_break_the_output(tmp_path) -> None:
    from typer.testing import CliRunner

    from detector.cli import app

    source = tmp_path / "docs.jsonl"
    source.write_text(
        '{"id": "a\\udc80", "text": "Hello \\ud800 world, shares rose on Monday."}\n'
        '{"id": "b", "text": "Another short text."}\n'
    )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["score", str(source), "--out", str(out), "--jobs", "1", "-q"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["a\ufffd", "b"]
    assert "2 lone surrogate escapes replaced" in rows[0]["warnings"]


# --- damaged rows and files: an error row with a line number, the rest scored


def test_malformed_jsonl_lines_cost_one_row_each(tmp_path, scorer) -> None:
    good = json.dumps({"id": "good", "text": SPUN_NEWS})
    lines = [
        good,
        "{not json",
        json.dumps({"id": "wrong-field", "body": SPUN_NEWS}),
        json.dumps({"id": "number", "text": 42}),
        json.dumps(["a", "list"]),
        "[" * 100_000,  # nesting deep enough to exhaust the parser's recursion
        '{"id": "nan", "text": NaN}',
        good.replace("good", "last"),
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    rows = _rows(scorer, [path])
    assert [row["line"] for row in rows] == list(range(1, 9))
    assert [row["status"] for row in rows] == ["ok", *["error"] * 6, "ok"]
    errors = [row["error"] for row in rows[1:7]]
    assert errors[0].startswith("line 2: not valid JSON")
    assert errors[1] == "line 3: no field 'text' (fields: body, id)"
    assert errors[2] == "line 4: field 'text' is not a string"
    assert errors[3] == "line 5: not a JSON object"
    assert errors[4].startswith("line 6: not valid JSON")
    assert errors[5] == "line 7: field 'text' is not a string"


def test_csv_with_embedded_newlines_and_odd_quoting(tmp_path, scorer) -> None:
    path = tmp_path / "docs.csv"
    path.write_text(
        "id,text\n"
        f'a,"{SPUN_NEWS[:60]}\n{SPUN_NEWS[60:]}"\n'
        'b,"bad"quote here,extra cell\n'
        "c,plain text\n"
        'd,"never closed\n'
        "e,swallowed by the open quote\n",
        encoding="utf-8",
    )
    records = list(iter_records([path]))
    assert [r.id for r in records] == ["a", "b", "c", "d"]
    assert [r.line for r in records] == [3, 4, 5, 7]
    assert records[0].text == f"{SPUN_NEWS[:60]}\n{SPUN_NEWS[60:]}"
    assert records[0].warnings == []  # quoted line breaks are ordinary CSV
    assert records[1].text == "badquote here"
    assert records[3].warnings == [
        "record spans lines 6-7 and ends in a line break: a quote may never have been closed"
    ]
    assert all(scorer.score_record(r)["status"] != "error" for r in records)


@pytest.mark.parametrize("name", ["docs.jsonl.gz", "page.txt.gz"])
def test_gzip_cut_short_is_an_error_row_after_the_good_part(tmp_path, scorer, name) -> None:
    if name.startswith("docs"):
        body = "".join(json.dumps({"id": f"d{n}", "text": SPUN_NEWS}) + "\n" for n in range(200))
    else:
        body = CLEAN_WIRE_STORY * 50
    data = gzip.compress(body.encode(), mtime=0)
    path = tmp_path / name
    path.write_bytes(data[: len(data) * 2 // 3])
    rows = _rows(scorer, [path])
    assert rows[-1]["status"] == "error" and "cannot read" in rows[-1]["error"]
    if name.startswith("docs"):
        assert len(rows) > 2 and all(row["status"] == "ok" for row in rows[:-1])
        assert rows[-1]["line"] == len(rows)
    else:
        assert "damaged .gz data" in rows[-1]["error"]


def test_whole_gzip_text_file_is_read(tmp_path, scorer) -> None:
    path = tmp_path / "page.txt.gz"
    path.write_bytes(gzip.compress(CLEAN_WIRE_STORY.encode(), mtime=0))
    [record] = iter_records([path])
    assert record.text == CLEAN_WIRE_STORY


# --- paths


def test_unreadable_files_are_error_rows(tmp_path, scorer, monkeypatch) -> None:
    # Tests run as root, which chmod 000 does not stop: fail the open instead.
    for name in ("locked.txt", "locked.jsonl"):
        (tmp_path / name).write_text(CLEAN_WIRE_STORY)
    real_open = open

    def refusing_open(path, *args, **kwargs):
        if "locked" in os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(readers, "open", refusing_open, raising=False)
    rows = _rows(scorer, [tmp_path / "locked.txt", tmp_path / "locked.jsonl"])
    assert [row["status"] for row in rows] == ["error", "error"]
    assert all("Permission denied" in row["error"] for row in rows)


def test_unlistable_folder_is_an_error_row(tmp_path, scorer, monkeypatch) -> None:
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "a.txt").write_text(CLEAN_WIRE_STORY)

    def refuse(self, pattern):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "rglob", refuse)
    [row] = _rows(scorer, [folder])
    assert row["status"] == "error" and "cannot list" in row["error"]


def test_broken_symlinks_loops_and_folders_in_place_of_files(tmp_path, scorer) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "cycle").mkdir()
    (tmp_path / "cycle" / "up").symlink_to(tmp_path / "cycle")
    (tmp_path / "cycle" / "doc.txt").write_text(CLEAN_WIRE_STORY)
    rows = _rows(scorer, [tmp_path / "gone.txt", tmp_path / "loop.txt", tmp_path / "cycle"])
    errors = {Path(row["source"]).name: row.get("error") for row in rows}
    assert "No such file" in errors["gone.txt"]
    assert "Too many levels of symbolic links" in errors["loop.txt"]
    assert errors["doc.txt"] is None
    # a folder where iter_file expects a file
    [record] = readers.iter_file(tmp_path / "cycle")
    assert record.error == f"cannot read {tmp_path / 'cycle'}: a directory"


@pytest.mark.parametrize("name", ["pipe.txt", "pipe.jsonl", "pipe.csv"])
def test_fifo_is_an_error_row_and_never_blocks(tmp_path, scorer, name) -> None:
    os.mkfifo(tmp_path / name)
    rows: list[dict] = []
    # Opening a FIFO with no writer blocks forever: read in a thread and give up
    # after a generous time rather than hang the suite.
    worker = threading.Thread(target=lambda: rows.extend(_rows(scorer, [tmp_path])), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert len(rows) == 1 and rows[0]["status"] == "error"
    assert rows[0]["error"].endswith(": a FIFO")


def test_decode_bytes_never_gives_lone_surrogates() -> None:
    text, _, _ = decode_bytes(b"\xed\xa0\x80 surrogate bytes in UTF-8")
    assert text is not None
    text.encode("utf-8")
