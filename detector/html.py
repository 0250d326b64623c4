"""The article in a web page: its main text, without the page around it.

A saved or crawled page is mostly not the article: navigation, menus, share
buttons, ads, lists of related links, comments, cookie banners and footers.
Scored as they are, they bring words no writer of the article chose (and the
markup itself, ``'title>Playstation Move'``, would be evidence). So a page is
reduced to its main content with resiliparse's extractor, which is fast
(about a millisecond for a news page) and keeps paragraphs; elements that
class names mark as boilerplate it can miss (ad slots, cookie walls, share
bars) are skipped first. The title is kept as the first paragraph, without a
site name after a separator (``Headline | The Daily Site``), and every line
of the extract becomes a paragraph (``<p>`` and ``<br>`` alike), so that
paragraph scores still mean something.

>>> page = extract_page(
...     "<html><head><title>Rates rise again | Daily Site</title></head><body>"
...     "<nav><a href='/'>Home</a></nav><div class='cookie-banner'>We use cookies.</div>"
...     "<article><p>The bank raised its main rate on Monday, the third rise this year."
...     "</p></article><footer>Copyright Daily Site</footer></body></html>"
... )
>>> print(page.text)
Rates rise again
<BLANKLINE>
The bank raised its main rate on Monday, the third rise this year.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from detector.readers import Record, binary_kind

#: Largest page extracted whole; a longer one is cut (with a warning), so that
#: a 50 MB page costs no more than this much of one.
MAX_HTML_BYTES = 8 * 1024 * 1024

#: Status of a page with no main text at all (a cookie wall, a shell of scripts).
STATUS_NO_TEXT = "no_text"

# Elements that are boilerplate by their class or id, which resiliparse's
# main-content heuristics may keep because they hold sentences.
BOILERPLATE_SELECTORS = ",".join(
    (
        # ad slots: "ad", "ads", "advert", "sponsored", Google's <ins> tags
        "[class~=ad]",
        "[class~=ads]",
        "[class*=advert]",
        "[id*=advert]",
        "[class*=sponsor]",
        "ins.adsbygoogle",
        # cookie and consent walls
        "[class*=cookie]",
        "[id*=cookie]",
        "[class*=consent]",
        "[id*=consent]",
        "[class*=gdpr]",
        # share and follow bars, newsletter sign-ups
        "[class*=share]",
        "[class*=social]",
        "[class*=newsletter]",
        # related and recommended articles
        "[class*=related]",
        "[class*=recommended]",
        # comment sections
        "[class*=comment]",
        "[id*=comment]",
        # sidebars and their widgets, author boxes, post dates and bylines
        "[class*=sidebar]",
        "[id*=sidebar]",
        "[class*=widget]",
        "[class*=author]",
        "[class*=posted-on]",
        "[class*=byline]",
        # footers in generic <div>s ("site-info" is WordPress's)
        "[class*=footer]",
        "[id*=footer]",
        "[class*=site-info]",
        # page furniture that sometimes sits inside <main>
        "nav",
        "footer",
        "aside",
        "form",
    )
)

# A separator between a headline and a site name in a <title>: a pipe, a
# dash, a bullet or a colon-pair with spaces around it.
# The look-behind tries each run of spaces once, not from each of its spaces.
_TITLE_SEPARATOR_RE = re.compile(r"(?<!\s)\s+(?:\||-|–|—|·|•|::|»)\s+")
#: Most words a trailing title part may have to be dropped as a site name
#: after a pipe (``Headline | Site Name Online``).
MAX_SITE_NAME_WORDS = 4

#: Paragraphs from the start of an extract searched for the headline.
HEADLINE_SEARCH = 6

# A copyright line: site footers that the extractor keeps when they sit in a
# generic <div>.
_COPYRIGHT_RE = re.compile(r"^(?:©|copyright\s+(?:©|\d{4}))|\ball rights reserved\b", re.IGNORECASE)

_LINE_SPACE_RE = re.compile(r"[ \t\u00a0]+")


@dataclass
class Page:
    """The text of a page, or why it has none; its own URL when it names one."""

    text: str | None
    title: str | None = None
    #: The page's own address: ``<link rel="canonical">`` or ``og:url``.
    url: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: Why there is no text (with ``text`` None).
    reason: str | None = None


def strip_site_name(title: str, site_name: str | None = None, domain: str | None = None) -> str:
    """A page title without the site's name before or after it.

    A part is a site name when it is the page's ``og:site_name``, when it
    spells the domain (``Daily Site`` on ``dailysite.com``), or when it
    follows a pipe and is short. A dash alone is not enough: headlines use
    dashes too.

    >>> strip_site_name("Rates rise again | The Daily Site")
    'Rates rise again'
    >>> strip_site_name("Daily Site - Rates rise again", domain="dailysite.com")
    'Rates rise again'
    >>> strip_site_name("Playstation Move Games - The Most Recent Games")
    'Playstation Move Games - The Most Recent Games'
    >>> strip_site_name("Rates rise - The market reacts", domain="a.com")
    'Rates rise - The market reacts'
    """
    parts = _TITLE_SEPARATOR_RE.split(title.strip())
    separators = _TITLE_SEPARATOR_RE.findall(title.strip())
    if len(parts) < 2:
        return title.strip()
    names = {_squashed(site_name)} if site_name else set()
    if domain:
        names.add(_squashed(domain.split(".")[0]))
    names.discard("")

    def is_site(part: str, separator: str) -> bool:
        squashed = _squashed(part)
        # a name inside a longer part ("Daily Site News"), when long enough
        # not to turn up by chance
        if squashed in names or any(len(name) >= 4 and name in squashed for name in names):
            return len(part.split()) <= MAX_SITE_NAME_WORDS + 2
        return separator.strip() == "|" and len(part.split()) <= MAX_SITE_NAME_WORDS

    if is_site(parts[-1], separators[-1]):
        parts, separators = parts[:-1], separators[:-1]
    elif is_site(parts[0], separators[0]) and _squashed(parts[0]) in names:
        parts, separators = parts[1:], separators[1:]
    kept = parts[0]
    for separator, part in zip(separators, parts[1:], strict=False):
        kept += separator + part
    return kept


def _squashed(text: str | None) -> str:
    """Letters and digits only, lower-cased: ``The Daily-Site`` -> ``thedailysite``."""
    return re.sub(r"[^0-9a-z]+", "", (text or "").lower()).removeprefix("the")


@functools.lru_cache(maxsize=1)
def _domain_extractor() -> Any:
    import tldextract

    # No suffix-list download and no cache folder: the snapshot bundled with
    # tldextract, so that reading never touches the network or the disk.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(url: str | None) -> str | None:
    """The registrable domain of a URL (public suffix and one label), or None.

    >>> registrable_domain("https://news.bbc.co.uk/world/1")
    'bbc.co.uk'
    >>> registrable_domain("not a url") is None
    True
    """
    if not url:
        return None
    try:
        parts = _domain_extractor()(url)
    except Exception:  # tldextract on hostile URLs: no domain, not a crash
        return None
    domain = parts.top_domain_under_public_suffix
    return str(domain) if domain else None


def _meta(tree: Any, selector: str, attribute: str) -> str | None:
    element = tree.document.query_selector(selector)
    if element is None:
        return None
    value = element.getattr(attribute)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _paragraphs(text: str) -> list[str]:
    """Every line of an extract as a paragraph, its spacing tidied."""
    lines = (_LINE_SPACE_RE.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def extract_page(html: str, url: str | None = None) -> Page:
    """The main text of a page (title first), its own URL, and why when there is no text.

    ``url`` is where the page came from (a crawl's target URI); it helps
    recognise the site's name in the title. Never raises on any input.

    >>> extract_page("<html><body><script>var x = 1;</script></body></html>").reason
    'no main text in the page (only scripts, forms, a cookie wall or boilerplate)'
    """
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    warnings: list[str] = []
    try:
        tree = HTMLTree.parse(html)

        def text_of(main_content: bool) -> str:
            return extract_plain_text(
                tree,
                main_content=main_content,
                preserve_formatting=True,
                list_bullets=False,
                alt_texts=False,
                links=False,
                form_fields=False,
                noscript=False,
                comments=False,
                post_meta=False,
                skip_elements=[BOILERPLATE_SELECTORS],
            )

        body = text_of(main_content=True)
        if not body.strip():
            # The heuristics can throw away the whole of a bare page (one
            # <div> of text): take what is left once boilerplate is skipped.
            body = text_of(main_content=False)
        own_url = _meta(tree, "link[rel=canonical]", "href") or _meta(
            tree, "meta[property='og:url']", "content"
        )
        site_name = _meta(tree, "meta[property='og:site_name']", "content")
        raw_title = tree.title or ""
    except Exception as error:  # the parser on hostile bytes
        return Page(None, reason=f"cannot parse the page as HTML: {error}")
    paragraphs = [p for p in _paragraphs(body) if not _COPYRIGHT_RE.search(p)]
    raw_title = _LINE_SPACE_RE.sub(" ", raw_title).strip()
    title = strip_site_name(raw_title, site_name, registrable_domain(url or own_url)) or None
    if not paragraphs:
        return Page(
            None,
            title,
            own_url,
            warnings,
            reason="no main text in the page (only scripts, forms, a cookie wall or boilerplate)",
        )
    headline = _headline(paragraphs, raw_title, title)
    if headline is not None:
        # The article starts at its headline: a site name or a breadcrumb
        # before it is page furniture.
        title, paragraphs = paragraphs[headline], paragraphs[headline:]
    elif title:
        paragraphs.insert(0, title)
    return Page("\n\n".join(paragraphs), title, own_url, warnings)


def _headline(paragraphs: list[str], raw_title: str, title: str | None) -> int | None:
    """Where the page's title (whole, without its site name, or one of its parts)
    stands among the first paragraphs of the extract, or None."""
    names = {_squashed(raw_title), _squashed(title)}
    names.update(
        _squashed(part)
        for part in _TITLE_SEPARATOR_RE.split(raw_title)
        if len(part.split()) > MAX_SITE_NAME_WORDS
    )
    names.discard("")
    for index, paragraph in enumerate(paragraphs[:HEADLINE_SEARCH]):
        if _squashed(paragraph) in names:
            return index
    return None


def decode_page(data: bytes, http_charset: str | None = None) -> tuple[str, list[str]]:
    """Page bytes as text: the HTTP header's charset, then the page's meta tag, then detection.

    A warning says when the header and the page disagree (the header wins:
    it is what the browser used).

    >>> decode_page("<meta charset='latin-1'><p>café</p>".encode("latin-1"))[0][-9:]
    '>café</p>'
    >>> decode_page("<meta charset='latin-1'><p>café</p>".encode("utf-8"), "utf-8")[1]
    ['charset utf-8 in the HTTP header, cp1252 in the page: used utf-8']
    """
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    warnings: list[str] = []
    header = charset_name(http_charset)
    in_page = _meta_charset(data)
    if header and in_page and header != in_page:
        warnings.append(
            f"charset {header} in the HTTP header, {in_page} in the page: used {header}"
        )
    encoding = header or in_page or detect_encoding(data)
    return bytes_to_str(data, encoding or "utf-8", errors="replace"), warnings


# <meta charset="..."> or <meta http-equiv="Content-Type" content="...; charset=...">
# The bound keeps a "<meta" without its ">" from being scanned to the end each time.
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{1,300}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I
)


def _meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 1,024 bytes."""
    match = _META_CHARSET_RE.search(data[:1024])
    return charset_name(match.group(1).decode("ascii", "replace")) if match else None


# Labels browsers read as another encoding (the WHATWG Encoding Standard):
# pages labelled Latin-1 or ASCII are decoded as Windows-1252.
_BROWSER_ENCODINGS = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}


def charset_name(label: str | None) -> str | None:
    """Python's name for a charset label, as a browser reads it; None when unknown.

    >>> charset_name("ISO-8859-1"), charset_name("UTF8"), charset_name("no-such")
    ('cp1252', 'utf-8', None)
    """
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return _BROWSER_ENCODINGS.get(name, name)


def page_from_bytes(
    data: bytes, *, http_charset: str | None = None, url: str | None = None
) -> Page:
    """Decode, cut to :data:`MAX_HTML_BYTES` and extract a page; never raises."""
    warnings = []
    if len(data) > MAX_HTML_BYTES:
        warnings.append(
            f"page of {len(data):,} bytes is longer than {MAX_HTML_BYTES:,}: "
            "only the start was read"
        )
        data = data[:MAX_HTML_BYTES]
    text, more = decode_page(data, http_charset)
    page = extract_page(text, url)
    page.warnings[:0] = warnings + more
    return page


def extract_record(record: Record) -> Record:
    """A record with its page extracted: ``text`` set, or ``status`` ``no_text``; never raises.

    Records that hold no page (``html`` None) come back as they are. The
    page's own URL (canonical link or ``og:url``) and its domain fill
    ``url`` and ``domain`` when the record has none (a saved page).

    >>> from detector.readers import Record, binary_kind
    >>> record = extract_record(Record("a", None, "a.html", html=b"<title>Hi</title><p>Text.</p>"))
    >>> record.text, record.fields
    ('Hi\\n\\nText.', {'url': None, 'domain': None})
    """
    if record.html is None:
        return record
    data = record.html
    record.html = None
    url = record.fields.get("url")
    if isinstance(data, bytes):
        kind = binary_kind(data)
        if kind is not None:
            record.error = f"binary data ({kind}), not an HTML page"
            return record
        page = page_from_bytes(data, http_charset=record.charset, url=url)
    else:
        page = extract_page(data[:MAX_HTML_BYTES], url)
        if len(data) > MAX_HTML_BYTES:
            page.warnings.insert(
                0,
                f"page of {len(data):,} characters is longer than {MAX_HTML_BYTES:,}: "
                "only the start was read",
            )
    record.warnings.extend(page.warnings)
    if not url:
        record.fields["url"] = page.url
        record.fields["domain"] = registrable_domain(page.url)
    if page.text is None:
        record.status = STATUS_NO_TEXT
        record.error = page.reason
    record.text = page.text
    return record
