import gzip
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from toy_scoring import HashScorerSpec

from detector.batch import run_batch
from detector.html import extract_record
from detector.readers import iter_records
from detector.warc import STATUS_SKIPPED, http_response, iter_warc, warc_record
from detector.writers import read_results
from tests.hostile.strategies import PROPERTY_SETTINGS
from tests.pages import ARTICLE, ARTICLE_TITLE, TEMPLATES

TESTS = Path(__file__).parent
EXPECTED = "\n\n".join((ARTICLE_TITLE, *ARTICLE))


def _page(number):
    html = TEMPLATES["news_portal"](
        ARTICLE_TITLE, ARTICLE, "Gazette", f"https://g.example/{number}"
    )
    return http_response(html.encode())


def _records(compress=True):
    """A small crawl: pages, a request, a PDF, a redirect, metadata."""
    url = "https://www.gazette.co.uk/news/{}"
    return [
        warc_record("warcinfo", "", b"software: test\r\n", compress=compress),
        warc_record("request", url.format(1), b"GET /news/1 HTTP/1.1\r\n\r\n", compress=compress),
        warc_record("response", url.format(1), _page(1), compress=compress),
        warc_record("response", url.format(2), http_response(b"%PDF-1.4", "application/pdf"),
                    compress=compress),
        warc_record("response", url.format(3),
                    b"HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
                    compress=compress),
        warc_record("metadata", url.format(1), b"outlinks: none\r\n", compress=compress),
        warc_record("response", url.format(4), _page(4), compress=compress),
    ]  # fmt: skip


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_pages_are_records_and_the_rest_is_skipped(tmp_path, compress):
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    parts = _records(compress)
    path.write_bytes(b"".join(parts))
    records = [extract_record(record) for record in iter_records([path])]
    assert [record.line for record in records] == list(range(1, 8))
    pages = [record for record in records if record.status is None]
    assert [record.text for record in pages] == [EXPECTED, EXPECTED]
    assert pages[0].fields["url"] == "https://www.gazette.co.uk/news/1"
    assert pages[0].fields["domain"] == "gazette.co.uk"
    assert pages[0].id == pages[0].fields["warc_record_id"].strip("<>")
    skipped = [record.error for record in records if record.status == STATUS_SKIPPED]
    assert skipped == [
        "warcinfo record",
        "request record",
        "not an HTML page (application/pdf)",
        "HTTP status 301",
        "metadata record",
    ]
    # each record (gzipped: its own gzip member) starts at this offset
    offsets = [sum(map(len, parts[:index])) for index in range(len(parts))]
    assert [record.fields["warc_offset"] for record in records] == offsets


def test_encoded_payloads_are_decoded(tmp_path):
    html = TEMPLATES["bare_article"](ARTICLE_TITLE, ARTICLE, "Gazette", "https://g.example/1")
    body = gzip.compress(html.encode())
    chunked = b"".join(
        b"%x\r\n%s\r\n" % (len(body[n : n + 500]), body[n : n + 500])
        for n in range(0, len(body), 500)
    )
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")  # fmt: skip
    path = tmp_path / "wget.warc.gz"
    path.write_bytes(warc_record("response", "https://g.example/1", head + chunked + b"0\r\n\r\n"))
    (record,) = map(extract_record, iter_warc(path))
    assert record.text == EXPECTED


def test_wet_conversion_records_are_text(tmp_path):
    path = tmp_path / "CC-MAIN-x.warc.wet.gz"
    path.write_bytes(
        warc_record("warcinfo", "", b"isPartOf: CC-MAIN\r\n")
        + warc_record("conversion", "https://a.example.com/1", EXPECTED.encode())
    )
    records = list(iter_records([path]))
    assert records[1].text == EXPECTED and records[1].fields["domain"] == "example.com"
    assert records[1].html is None


def test_damage_costs_the_damaged_record_only(tmp_path):
    parts = [warc_record("response", f"https://g.example/{n}", _page(n)) for n in range(6)]
    lying = _page(1)
    parts[1] = warc_record(
        "response", "https://g.example/lie", lying, content_length=len(lying) + 99
    )
    parts[3] = parts[3][: len(parts[3]) // 2]  # a gzip member cut short
    parts[5] = parts[5][:40]  # the file ends inside the last member
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(b"".join(parts))
    records = [extract_record(record) for record in iter_warc(path)]
    assert len(records) == 6
    assert [record.text == EXPECTED for record in records] == [
        True,
        False,
        True,
        False,
        True,
        False,
    ]
    assert "Content-Length" in records[1].error
    assert "gzip member" in records[3].error and "went on at byte" in records[3].error
    assert "cut short" in records[5].error


def test_uncompressed_content_length_lies_do_not_swallow_the_next_record(tmp_path):
    parts = [warc_record("response", f"https://g.example/{n}", _page(n), compress=False)
             for n in range(4)]  # fmt: skip
    lying, short = _page(1), _page(2)
    parts[1] = warc_record("response", "https://g.example/long", lying,
                           content_length=len(lying) + 500, compress=False)  # fmt: skip
    parts[2] = warc_record("response", "https://g.example/short", short,
                           content_length=len(short) - 50, compress=False)  # fmt: skip
    path = tmp_path / "lies.warc"
    path.write_bytes(b"".join(parts))
    urls = [record.fields["url"] for record in iter_warc(path)]
    assert urls[0] == "https://g.example/0" and urls[-1] == "https://g.example/3"
    assert "https://g.example/short" in urls and "https://g.example/long" in urls


def test_a_batch_run_counts_skipped_records_and_writes_them_when_asked(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(_records()))
    summary = run_batch([path], tmp_path / "out.jsonl", spec=HashScorerSpec(), jobs=1,
                        progress="none", keep_text=True)  # fmt: skip
    rows = list(read_results(tmp_path / "out.jsonl"))
    assert summary.records == 7 and summary.statuses["skipped"] == 5
    assert summary.skipped_left_out == 5 and summary.rows_written == 2
    assert [row["url"] for row in rows] == [
        "https://www.gazette.co.uk/news/1",
        "https://www.gazette.co.uk/news/4",
    ]
    assert all(row["text"] == EXPECTED and row["warc_offset"] > 0 for row in rows)
    run_batch([path], tmp_path / "all.csv", spec=HashScorerSpec(), jobs=1, progress="none",
              keep_skipped=True)  # fmt: skip
    rows = list(read_results(tmp_path / "all.csv"))
    assert [row["status"] for row in rows].count("skipped") == 5 and len(rows) == 7
    assert rows[1]["error"] == "request record" and rows[1]["domain"] == "gazette.co.uk"


def test_a_killed_run_resumes_mid_archive_byte_for_byte(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(_records() * 30))
    whole = tmp_path / "whole.jsonl"
    spec = HashScorerSpec(delay=0.005)
    run_batch([path], whole, spec=spec, jobs=1, chunk_size=7, progress="none")
    out, journal = tmp_path / "out.jsonl", tmp_path / "out.jsonl.journal"
    script = (
        f"import sys\nsys.path.insert(0, {str(TESTS)!r})\n"
        "from toy_scoring import HashScorerSpec\nfrom detector.batch import run_batch\n"
        f"run_batch([{str(path)!r}], {str(out)!r}, spec=HashScorerSpec(delay=0.005), jobs=1,"
        " chunk_size=7, progress='none')\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        journal.exists() and journal.read_text().count("\n") >= 6
    ):
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert journal.exists(), "the run finished before it could be killed"
    summary = run_batch([path], out, spec=spec, jobs=2, chunk_size=7, resume=True,
                        progress="none")  # fmt: skip
    assert 0 < summary.resumed_records < 210 and summary.records == 210
    assert out.read_bytes() == whole.read_bytes()


@PROPERTY_SETTINGS
@given(st.binary(max_size=3000), st.booleans())
def test_any_bytes_give_records_or_errors_never_an_exception(tmp_path_factory, data, compress):
    path = tmp_path_factory.mktemp("warc") / ("x.warc.gz" if compress else "x.warc")
    good = warc_record("response", "https://g.example/1", _page(1), compress=compress)
    path.write_bytes(good + (gzip.compress(data) if compress and data[:1] == b"\x00" else data))
    records = [extract_record(record) for record in iter_warc(path)]
    assert records and records[0].text == EXPECTED
    assert all(record.text is not None or record.error for record in records)


def test_the_command_line_scores_a_warc_with_its_options(tmp_path):
    from typer.testing import CliRunner

    from detector.cli import app

    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(_records()))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app, ["score", str(path), "--out", str(out), "--jobs", "1", "--keep-skipped",
              "--keep-text", "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(read_results(out))
    assert [row["status"] for row in rows].count("skipped") == 5
    pages = [row for row in rows if row["status"] != "skipped"]
    assert len(pages) == 2 and all(row["text"] == EXPECTED for row in pages)
    for row in pages:
        for item in row["evidence"]:
            assert row["text"][item["start"] : item["end"]] == item["snippet"]
    printed = CliRunner().invoke(app, ["score", str(path), "--format", "jsonl"])
    assert printed.exit_code == 0
    lines = [json.loads(line) for line in printed.stdout.splitlines()]
    assert [line["url"] for line in lines] == [row["url"] for row in pages]
    assert "5 WARC records skipped" in printed.stderr


def test_a_resume_with_other_page_options_is_refused(tmp_path):
    from detector.batch import BatchError

    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(_records() * 3))
    out = tmp_path / "out.jsonl"
    spec = HashScorerSpec(interrupt_on=("Councillors", str(tmp_path / "flag")))
    (tmp_path / "flag").write_text("")
    with pytest.raises(BatchError):
        run_batch([path], out, spec=spec, jobs=1, chunk_size=3, progress="none",
                  keep_skipped=True)  # fmt: skip
    with pytest.raises(BatchError, match="keep_skipped: True then, None now"):
        run_batch([path], out, spec=spec, jobs=1, chunk_size=3, progress="none", resume=True)
