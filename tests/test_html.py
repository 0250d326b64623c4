import gzip
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detector.html import (
    MAX_HTML_BYTES,
    STATUS_NO_TEXT,
    decode_page,
    extract_page,
    extract_record,
    page_from_bytes,
    registrable_domain,
    strip_site_name,
)
from detector.readers import Record, iter_records
from tests.hostile.strategies import PROPERTY_SETTINGS
from tests.pages import (
    ARTICLE,
    ARTICLE_TITLE,
    COMMENTS,
    COOKIE,
    COOKIE_WALL,
    NAV,
    RELATED,
    SCRIPT_SHELL,
    TEMPLATES,
)

SITE, URL = "The Harbour Gazette", "https://www.harbourgazette.co.uk/news/market"
EXPECTED = "\n\n".join((ARTICLE_TITLE, *ARTICLE))


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=list(TEMPLATES))
def test_every_template_gives_back_the_article_alone(template):
    page = extract_page(template(ARTICLE_TITLE, ARTICLE, SITE, URL))
    assert page.text == EXPECTED
    assert page.title == ARTICLE_TITLE
    for boilerplate in (COOKIE, RELATED[0], COMMENTS[0], NAV[1], SITE, "Advertisement"):
        assert boilerplate not in page.text


def test_page_url_comes_from_the_canonical_link_or_og_url():
    assert extract_page(TEMPLATES["news_portal"](ARTICLE_TITLE, ARTICLE, SITE, URL)).url == URL
    og = '<html><head><meta property="og:url" content="https://m.example.org/x"></head>'
    assert extract_page(og + "<body><p>Text here.</p></body></html>").url == (
        "https://m.example.org/x"
    )


def test_line_breaks_become_paragraphs():
    page = extract_page("<html><body><div>First line.<br>Second line.<p>Third.</p></div></body>")
    assert page.text == "First line.\n\nSecond line.\n\nThird."


@pytest.mark.parametrize("html", [COOKIE_WALL, SCRIPT_SHELL, "", "<html></html>", "\x00\x00"])
def test_pages_without_main_text_say_so(html):
    page = extract_page(html)
    assert page.text is None and page.reason and "no main text" in page.reason


@pytest.mark.parametrize(
    ("title", "site", "domain", "expected"),
    [
        ("Rates rise | Daily Site", None, None, "Rates rise"),
        ("Rates rise - The Daily Site", "The Daily Site", None, "Rates rise"),
        ("Daily Site :: Rates rise", None, "dailysite.com", "Rates rise"),
        ("Rates rise - a headline with a dash", None, None, "Rates rise - a headline with a dash"),
        ("Rates rise | Central bank acts again to cool prices", None, None,
         "Rates rise | Central bank acts again to cool prices"),
        ("Rates rise", "Daily Site", None, "Rates rise"),
    ],
)  # fmt: skip
def test_site_names_leave_the_title(title, site, domain, expected):
    assert strip_site_name(title, site, domain) == expected


def test_registrable_domain_needs_no_network():
    assert registrable_domain("https://a.b.example.co.uk/x?y") == "example.co.uk"
    assert registrable_domain("http://localhost/") is None
    assert registrable_domain(None) is None


def test_charset_header_then_meta_then_detection():
    text = "<html><head><meta charset='iso-8859-1'></head><body><p>Café crème.</p></body></html>"
    assert decode_page(text.encode("latin-1"))[0] == text
    decoded, warnings = decode_page(text.encode("utf-8"), "utf-8")
    assert decoded == text and "HTTP header" in warnings[0]
    russian = "<html><body><p>" + "Привет, как дела? " * 40 + "</p></body></html>"
    assert decode_page(russian.encode("cp1251"))[0] == russian


def test_a_huge_page_is_cut_with_a_warning():
    paragraph = "<p>" + "Words of a long page that goes on and on. " * 20 + "</p>"
    data = ("<html><body>" + paragraph * (MAX_HTML_BYTES // len(paragraph) + 10)).encode()
    page = page_from_bytes(data)
    assert page.text and "only the start was read" in page.warnings[0]


def test_saved_pages_are_read_from_files_and_fields(tmp_path):
    html = TEMPLATES["blog_with_inline_ads"](ARTICLE_TITLE, ARTICLE, SITE, URL)
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "rows.jsonl").write_text(json.dumps({"id": "r1", "body": html}) + "\n")
    (tmp_path / "page.txt").write_text(html)
    (record,) = map(extract_record, iter_records([tmp_path / "page.html.gz"]))
    assert record.text == EXPECTED
    assert record.fields["url"] == URL and record.fields["domain"] == "harbourgazette.co.uk"
    (row,) = map(extract_record, iter_records([tmp_path / "rows.jsonl"], html_field="body"))
    assert row.id == "r1" and row.text == EXPECTED and "body" not in row.fields
    (forced,) = map(extract_record, iter_records([tmp_path / "page.txt"], input_format="html"))
    assert forced.text == EXPECTED


def test_records_without_text_get_a_status_and_a_reason():
    record = extract_record(Record("a", None, "a.html", html=COOKIE_WALL.encode()))
    assert record.status == STATUS_NO_TEXT and record.text is None and "cookie" in record.error
    image = extract_record(Record("b", None, "b.html", html=b"\x89PNG\r\n\x1a\n"))
    assert image.status is None and "PNG image" in image.error


@PROPERTY_SETTINGS
@given(st.binary(max_size=4000) | st.text(max_size=2000).map(str.encode))
def test_any_bytes_give_text_or_a_reason(data):
    page = page_from_bytes(data, http_charset="utf-8" if len(data) % 2 else None)
    assert (page.text is None) != (page.reason is None)
    if page.text is not None:
        assert page.text.strip() == page.text and "\n\n\n" not in page.text


_TAGS = st.sampled_from(
    ["<p>", "</p>", "<br>", "<div class='ad'>", "</div>", "<title>", "</title>", "<script>",
     "</script>", "<table><tr><td>", "<!--", "-->", "<nav>", "<article>", "&amp;", "&#0;", "<"]
)  # fmt: skip


@PROPERTY_SETTINGS
@given(st.lists(_TAGS | st.text(max_size=30), max_size=60))
def test_any_markup_soup_gives_text_or_a_reason(pieces):
    page = extract_page("".join(pieces), url="http://x.example.com/")
    assert (page.text is None) != (page.reason is None)
