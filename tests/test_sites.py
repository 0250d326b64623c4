"""detector.sites and ``detector sites``: per-site shares, intervals, traces, table, page."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from detector.cli import app
from detector.sites import domain_of, site_profiles, wilson_interval

runner = CliRunner()


def _row(number, url, score, evidence=()):
    return {"id": f"page-{number}", "source": "s", "line": number, "status": "ok", "error": None,
            "warnings": [], "score": score, "label": "spun" if score >= 0.5 else "clean",
            "evidence": [{"family": "spinner", "name": name, "start": 0, "end": 1,
                          "snippet": snippet, "note": ""} for name, snippet in evidence],
            "paragraphs": [], "url": url}  # fmt: skip


ROWS = (
    [_row(n, f"https://www.farm.example/{n}", 0.9, [("spinner.swap", "Sport Move")])
     for n in range(20)]
    + [_row(20 + n, f"http://blog.example/{n}", 0.2 if n else 0.7) for n in range(10)]
    + [_row(30, "https://one.example/", 0.99), _row(31, None, 0.1)]
)  # fmt: skip


@pytest.mark.parametrize(("successes", "trials"), [(0, 1), (1, 1), (5, 10), (99, 100), (0, 500)])
def test_wilson_interval_holds_the_share(successes, trials):
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0


def test_domain_of_urls_and_junk():
    assert domain_of("https://www.Farm.example/a") == "farm.example"
    assert domain_of("") is None
    assert domain_of(None) is None


def test_profiles_rank_many_flagged_pages_above_one():
    profiles = site_profiles(ROWS)
    assert [p.site for p in profiles][:3] == ["farm.example", "one.example", "blog.example"]
    farm = profiles[0]
    assert (farm.pages, farm.flagged, farm.flagged_share) == (20, 20, 1.0)
    assert farm.top_evidence() == ["spinner.swap: sport move (20)"]
    assert profiles[-1].site == "(no site)"
    assert site_profiles(ROWS, min_pages=5)[-1].site == "blog.example"


def test_traced_share_joins_trace_rows_by_id():
    traces = {f"page-{n}": "spun_copy" for n in range(10)} | {"page-25": "no_source"}
    farm = site_profiles(ROWS, traces=traces)[0]
    assert farm.traced == 10 and farm.traced_share == 0.5


@pytest.fixture
def scored(tmp_path):
    path = tmp_path / "scored.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS))
    traced = tmp_path / "traced.jsonl"
    traced.write_text("".join(json.dumps({"id": f"page-{n}", "verdict": "spun_copy"}) + "\n"
                              for n in range(5)))  # fmt: skip
    return path, traced


def test_sites_command_json_csv_and_page(scored, tmp_path):
    path, traced = scored
    result = runner.invoke(app, ["sites", str(path), "--trace", str(traced), "-f", "json",
                                 "--out", str(tmp_path / "sites.csv"), "--html",
                                 str(tmp_path / "sites.html")])  # fmt: skip
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert table[0]["site"] == "farm.example" and table[0]["traced"] == 5
    with open(tmp_path / "sites.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["site"] == "farm.example" and rows[0]["pages"] == "20"
    page = (tmp_path / "sites.html").read_text()
    assert "data:image/png;base64," in page and "farm.example" in page
    assert "http://" not in page.split("<style>")[0] + page.split("</style>")[1].split("<img")[0]


def test_sites_terminal_table(scored):
    path, _ = scored
    result = runner.invoke(app, ["sites", str(path), "-f", "table"])
    assert result.exit_code == 0, result.output
    assert "farm.example" in result.stdout and "100%" in result.stdout
