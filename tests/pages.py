"""Web page templates around an article, as news sites, blogs and old portals build them.

Every piece of boilerplate here (menus, cookie banners, ads, related links,
comments, footers) was written for these tests; the article is whatever the
caller passes. ``benchmarks/crawl_inputs.py`` wraps real texts in the same
templates to measure extraction.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

NAV = ("Home", "World", "Business", "Markets", "Technology", "Sport", "Opinion", "Video")
COOKIE = (
    "We use cookies to personalise content and ads, to provide social media features "
    "and to analyse our traffic. You can change your choices at any time."
)
RELATED = (
    "Ten gadgets worth buying before the holidays",
    "Why the housing market keeps surprising economists",
    "Local team wins the cup after a tense final",
    "How to plan a cheap weekend away this spring",
    "The best budget laptops for students, tested",
    "Mayor promises new cycle lanes by next summer",
)
COMMENTS = (
    "Great read, thanks for sharing this with us.",
    "I am not sure I agree with the second point but interesting anyway.",
    "Does anyone know when the next update is due out?",
)
AD = "Advertisement. Save 50% on your first order today, limited time offer."
FOOTER = "© 2024 {site}. All rights reserved. Privacy Policy · Terms of Use · Contact us"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _head(title: str, site: str, url: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)} | {_e(site)}</title>"
        f'<link rel="canonical" href="{_e(url)}">'
        f'<meta property="og:site_name" content="{_e(site)}">'
        "<style>body{font-family:sans-serif}.ad{margin:1em}</style>"
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){}</script></head>"
    )


def _nav() -> str:
    items = "".join(f'<li><a href="/{item.lower()}">{item}</a></li>' for item in NAV)
    return f'<nav class="main-menu"><ul>{items}</ul></nav>'


def _related(tag: str = "aside", title: str = "Related stories") -> str:
    links = "".join(
        f'<li><a href="/story/{n}">{_e(text)}</a></li>' for n, text in enumerate(RELATED)
    )
    return f'<{tag} class="related"><h3>{title}</h3><ul>{links}</ul></{tag}>'


def _comments() -> str:
    items = "".join(
        f'<li class="comment"><b>reader{n}</b> <p>{_e(text)}</p></li>'
        for n, text in enumerate(COMMENTS)
    )
    return f'<section id="comments" class="comments"><h3>3 comments</h3><ol>{items}</ol></section>'


def _paragraphs(paragraphs: Sequence[str], ads_every: int = 0) -> str:
    parts = []
    for index, paragraph in enumerate(paragraphs):
        parts.append(f"<p>{_e(paragraph)}</p>")
        if ads_every and index % ads_every == ads_every - 1 and index < len(paragraphs) - 1:
            parts.append(f'<div class="ad ad-slot"><span>{AD}</span></div>')
    return "".join(parts)


def news_portal(title: str, paragraphs: Sequence[str], site: str, url: str) -> str:
    """Header and menu, cookie banner, article with share bar, related sidebar, comments, footer."""
    return (
        _head(title, site, url) + "<body>"
        f'<header><a class="logo" href="/">{_e(site)}</a>{_nav()}</header>'
        f'<div class="cookie-banner" role="dialog"><p>{COOKIE}</p>'
        "<button>Accept all</button><button>Manage settings</button></div>"
        f'<main><article><h1>{_e(title)}</h1><p class="byline">By Staff Reporter, 3 May 2024</p>'
        + _paragraphs(paragraphs)
        + '<div class="share-bar">Share on Facebook Share on X Email</div></article>'
        + _comments()
        + "</main>"
        + _related()
        + f"<footer><p>{FOOTER.format(site=_e(site))}</p></footer></body></html>"
    )


def blog_with_inline_ads(title: str, paragraphs: Sequence[str], site: str, url: str) -> str:
    """A blog post split by ad slots every two paragraphs, related posts and a comment form."""
    return (
        _head(title, site, url) + "<body>"
        f'<div id="top"><h2 class="site-title">{_e(site)}</h2>{_nav()}</div>'
        f'<div class="post"><h1 class="entry-title">{_e(title)}</h1>'
        + _paragraphs(paragraphs, ads_every=2)
        + '<ins class="adsbygoogle" data-ad-slot="123">Sponsored links</ins></div>'
        + _related("div", "You might also like")
        + '<form class="comment-form"><label>Leave a reply</label><textarea></textarea>'
        "<button>Post comment</button></form>"
        + _comments()
        + f'<div id="footer">{FOOTER.format(site=_e(site))}</div></body></html>'
    )


def table_layout(title: str, paragraphs: Sequence[str], site: str, url: str) -> str:
    """An old portal: a layout table with a menu column, paragraphs split by ``<br><br>``."""
    menu = "<br>".join(f'<a href="/{item.lower()}">{item}</a>' for item in NAV)
    body = "<br><br>".join(_e(paragraph) for paragraph in paragraphs)
    return (
        f"<html><head><title>{_e(site)} - {_e(title)}</title></head><body>"
        f'<table width="100%"><tr><td colspan="2"><font size="5">{_e(site)}</font></td></tr>'
        f'<tr><td class="menu" width="150" valign="top">{menu}</td>'
        f'<td valign="top"><h2>{_e(title)}</h2>{body}</td></tr>'
        f'<tr><td colspan="2" class="footer"><small>{FOOTER.format(site=_e(site))}</small></td>'
        "</tr></table></body></html>"
    )


def magazine_divs(title: str, paragraphs: Sequence[str], site: str, url: str) -> str:
    """Generic ``div``s only: menu, consent modal, popular posts, newsletter box, footer."""
    popular = "".join(f'<div class="item"><a href="/p/{n}">{_e(t)}</a></div>' for n, t in
                      enumerate(RELATED[:4]))  # fmt: skip
    return (
        _head(title, site, url) + "<body>"
        f'<div id="consent-modal"><div class="inner">{COOKIE} <a href="#">OK</a></div></div>'
        f'<div id="header"><div class="logo">{_e(site)}</div>'
        f'<div id="menu">{" | ".join(NAV)}</div></div>'
        f'<div id="wrapper"><div class="content"><div class="entry">'
        f'<div class="headline">{_e(title)}</div>'
        + _paragraphs(paragraphs)
        + '</div><div class="newsletter">Sign up for our newsletter: the week\'s best stories '
        'in your inbox every Friday. <input type="email"></div></div>'
        f'<div id="sidebar"><div class="widget"><h4>Popular posts</h4>{popular}</div></div></div>'
        f'<div id="bottom">{FOOTER.format(site=_e(site))}</div></body></html>'
    )


def bare_article(title: str, paragraphs: Sequence[str], site: str, url: str) -> str:
    """A clean page: just the article, its canonical link and site name."""
    return (
        _head(title, site, url)
        + f"<body><article><h1>{_e(title)}</h1>{_paragraphs(paragraphs)}</article></body></html>"
    )


def wordpress_theme(title: str, paragraphs: Sequence[str], site: str, url: str) -> str:
    """A WordPress theme with Jetpack: share and like bars, related posts, promoted
    stories, author box, tags, comment form, widget sidebar, "powered by" footer.

    Written after the extractor was tuned on the other templates, as a check
    on over-fitting: its class names are the theme's, not the ones the
    boilerplate selectors were chosen for.
    """
    recent = "".join(f"<li><a href='/{n}'>{_e(t)}</a></li>" for n, t in enumerate(RELATED[2:]))
    return (
        _head(title, site, url) + '<body class="post-template-default single">'
        f'<div id="page" class="site"><div class="site-branding"><p class="site-title">{_e(site)}'
        '</p><p class="site-description">News and views since 2009</p></div>'
        f'<div id="site-navigation" class="main-navigation">{" ".join(NAV)}</div>'
        f'<div id="primary" class="content-area"><div class="entry-header"><h1 class="entry-title">'
        f'{_e(title)}</h1><span class="posted-on">May 3, 2024</span> <span class="byline">by '
        'admin</span></div><div class="entry-content">'
        + _paragraphs(paragraphs)
        + '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>'
        "<ul><li>Twitter</li><li>Facebook</li></ul></div>"
        '<div class="sharedaddy sd-block sd-like"><h3>Like this:</h3>Like Loading...</div>'
        '<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3>'
        f"{_e(RELATED[0])} {_e(RELATED[1])}</div></div>"
        '<div class="OUTBRAIN" data-widget-id="AR_1"><span>Promoted Stories</span>'
        f"<a href='/promo'>{_e(RELATED[4])}</a></div>"
        '<div class="entry-footer">Posted in Uncategorized | Tagged local news, town</div>'
        '<div class="author-info"><h2>About the author</h2><p>Our reporter has covered the '
        "coast for many years and writes about towns and their people.</p></div>"
        '<div id="respond" class="comment-respond"><h3>Leave a Reply</h3>'
        "<p>Your email address will not be published.</p></div></div>"
        '<div id="secondary" class="widget-area"><section class="widget"><h2>Recent Posts</h2>'
        f"<ul>{recent}</ul></section><section><h2>Archives</h2>May 2024 April 2024</section></div>"
        '<div class="site-info">Proudly powered by WordPress | Theme: Twenty Seventeen</div>'
        "</div></body></html>"
    )


TEMPLATES: dict[str, Callable[[str, Sequence[str], str, str], str]] = {
    "news_portal": news_portal,
    "blog_with_inline_ads": blog_with_inline_ads,
    "table_layout": table_layout,
    "magazine_divs": magazine_divs,
    "bare_article": bare_article,
    "wordpress_theme": wordpress_theme,
}

COOKIE_WALL = (
    "<html><head><title>Before you continue</title></head><body>"
    f'<div class="cookie-consent-wall"><p>{COOKIE}</p><button>Accept all</button></div>'
    "</body></html>"
)
SCRIPT_SHELL = (
    '<!DOCTYPE html><html><head><title></title><script src="/app.js"></script></head>'
    '<body><div id="root"></div><script>window.__STATE__={"page":1};render();</script>'
    "<noscript>You need to enable JavaScript to run this app.</noscript></body></html>"
)

#: An article written for these tests: a headline and four paragraphs.
ARTICLE_TITLE = "Harbour town votes to rebuild its old fish market"
ARTICLE = (
    "Councillors in the harbour town voted on Tuesday to rebuild the old fish market, "
    "which has stood empty since a storm tore off part of its roof two winters ago.",
    "The plan keeps the stone walls of the original building and adds a covered hall "
    "where fishing families can sell their catch directly to visitors in the mornings.",
    "Local traders said the decision would bring people back to the quay, although some "
    "residents worried about traffic on the narrow streets during the summer months.",
    "Work is expected to start in the autumn and to take about eighteen months, the council "
    "said, with most of the money coming from a regional fund for coastal towns.",
)
