"""Every command on every kind of input docs/bad-input.md lists: a message, never a traceback.

``score`` and ``explain`` run on each input as a file; ``train`` and
``evaluate`` on a labelled file whose rows are as bad. A command may refuse an
input (exit 1 with a message), but it never dies of an exception.
"""

from __future__ import annotations

import codecs
import gzip
import json

import pytest
from typer.testing import CliRunner

from detector.cli import app
from tests.examples import CLEAN_WIRE_STORY, SPUN_NEWS
from tests.hostile.test_inputs import CHINESE, GERMAN

runner = CliRunner()

#: One file of each kind of bad input, by name: (file name, bytes).
BAD_INPUTS = {
    "empty": ("empty.txt", b""),
    "white space": ("blank.txt", b" \n\n\t \r\n"),
    "numbers only": ("numbers.txt", b"42 -- 17.5 %\n"),
    "short": ("short.txt", b"Shares rose on Monday."),
    "german": ("german.txt", GERMAN.encode()),
    "chinese": ("chinese.txt", CHINESE.encode()),
    "png": ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
    "pdf": ("paper.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    "nul bytes": ("nul.txt", b"text\x00with\x00nul" * 20),
    "invalid utf-8": ("bad.txt", CLEAN_WIRE_STORY.encode().replace(b" ", b" March\x80", 1)),
    "utf-16": ("wide.txt", codecs.BOM_UTF16_LE + CLEAN_WIRE_STORY.encode("utf-16-le")),
    "latin-1": ("latin.txt", f"Café in Zürich: {CLEAN_WIRE_STORY}".encode("cp1252", "replace")),
    "homoglyphs": ("look.txt", SPUN_NEWS.replace("o", "\u043e", 3).encode()),
    "invisible": ("zero.txt", ("Goo\u200bgle " + CLEAN_WIRE_STORY).encode()),
    "bad jsonl": ("docs.jsonl", b'{"text": "ok"}\n{broken\n[1]\n{"text": 42}\n{"body": "x"}\n'),
    "bad csv": ("docs.csv", b'id,text\n1,"never closed\n2,plain\n'),
    "cut gzip": ("docs.jsonl.gz", gzip.compress(b'{"text": "ok"}\n' * 50)[:-20]),
}  # fmt: skip


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_score_and_explain_answer_every_bad_input(tmp_path, case):
    name, data = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_bytes(data)
    scored = runner.invoke(app, ["score", str(path), "-f", "jsonl"])
    _no_traceback(scored)
    assert scored.exit_code in (0, 2)
    rows = [json.loads(line) for line in scored.stdout.splitlines()]
    assert rows and all(row["status"] for row in rows)
    explained = runner.invoke(app, ["explain", str(path), "--html", str(tmp_path / "e.html")])
    _no_traceback(explained)
    assert explained.exit_code in (0, 1)
    if explained.exit_code == 1:
        assert explained.stderr.startswith("error: ")


@pytest.mark.slow
def test_evaluate_and_train_answer_bad_rows(tmp_path):
    rows = [
        json.dumps({"text": CLEAN_WIRE_STORY, "label": 0, "group": "a"}),
        json.dumps({"text": SPUN_NEWS, "label": 1, "group": "b"}),
        json.dumps({"text": CLEAN_WIRE_STORY + " More.", "label": "clean", "group": "c"}),
        json.dumps({"text": SPUN_NEWS + " More.", "label": "spun", "group": "d"}),
        "{broken",
        json.dumps({"text": "", "label": 1, "group": "e"}),
        json.dumps({"text": GERMAN, "label": 0, "group": "f"}),
        json.dumps({"text": 42, "label": 0}),
        json.dumps({"text": "no label"}),
    ]
    data = tmp_path / "labelled.jsonl"
    data.write_text("\n".join(rows) + "\n")
    evaluated = runner.invoke(
        app, ["evaluate", str(data), "--out", str(tmp_path / "report"), "--bootstrap", "20",
              "--jobs", "1"],
    )  # fmt: skip
    _no_traceback(evaluated)
    assert evaluated.exit_code == 0, evaluated.output
    trained = runner.invoke(app, ["train", str(data), "--out", str(tmp_path / "m"), "--jobs", "1"])
    _no_traceback(trained)
    assert trained.exit_code in (0, 1)
    if trained.exit_code == 1:
        assert trained.stderr.startswith("error: ") or "\nerror: " in trained.stderr
