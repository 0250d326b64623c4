"""Write ``data/samples/crawl.warc.gz``: the sample articles as a crawler would have saved them.

Each of ``data/samples/*.txt`` (first line the headline) becomes a page in
one of the templates of ``tests/pages.py``, saved as a WARC ``response``
record after its ``request`` record, gzipped record by record; a PDF
response stands for the files a crawl also fetches. The same inputs always
give the same bytes.

Usage::

    python scripts/sample_warc.py
    detector score data/samples/crawl.warc.gz
"""

from __future__ import annotations

import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLES = REPOSITORY / "data" / "samples"
sys.path.insert(0, str(REPOSITORY))

from detector.warc import http_response, warc_record  # noqa: E402
from tests.pages import TEMPLATES  # noqa: E402

SITE = "Example Business News"


def main() -> None:
    parts = []
    templates = list(TEMPLATES.values())
    for number, path in enumerate(sorted(SAMPLES.glob("*.txt"))):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        url = f"https://www.example-news.com/markets/{path.stem}"
        page = templates[number % len(templates)](title.strip(), paragraphs, SITE, url)
        parts.append(
            warc_record("request", url, f"GET /markets/{path.stem} HTTP/1.1\r\n\r\n".encode())
        )
        parts.append(warc_record("response", url, http_response(page.encode("utf-8"))))
    report = http_response(b"%PDF-1.4 annual report", "application/pdf")
    parts.append(warc_record("response", "https://www.example-news.com/report.pdf", report))
    (SAMPLES / "crawl.warc.gz").write_bytes(b"".join(parts))


if __name__ == "__main__":
    main()
