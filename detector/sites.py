"""Profile whole sites from scored pages: which domains publish spun copies, and how many.

One spun page proves little about a site; the share of its pages that are
flagged, with an interval that says how sure that share is, is what a
trust-and-safety team acts on. :func:`site_profiles` groups the rows of
``detector score`` (and, when given, of ``detector trace``) by domain and
gives, per site: pages, pages flagged, the share flagged with its 95% Wilson
score interval, the mean score, the most frequent evidence, and the share of
pages traced to a source. :func:`write_sites_html` draws them on one
self-contained page.

>>> rows = [{"id": f"p{n}", "url": "https://www.farm.example/a", "score": 0.9, "label": "spun",
...          "status": "ok", "evidence": [{"name": "spinner.swap", "snippet": "Sport Move"}]}
...         for n in range(9)]
>>> rows.append({"id": "x", "url": "https://news.example/b", "score": 0.1, "label": "clean",
...              "status": "ok", "evidence": []})
>>> [(s.site, s.pages, s.flagged, round(s.low, 2)) for s in site_profiles(rows)]
[('farm.example', 9, 9, 0.7), ('news.example', 1, 0, 0.0)]
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: Verdicts of ``detector trace`` that mean a page was traced to a source.
TRACED_VERDICTS = frozenset({"copy", "spun_copy", "rewrite"})
#: Columns of the ranked table, in order.
SITE_COLUMNS = (
    "site", "pages", "scored", "flagged", "flagged_share", "low", "high", "mean_score",
    "traced", "traced_share", "top_evidence",
)  # fmt: skip


def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of a binomial share (95% by default).

    Unlike the normal approximation it stays inside [0, 1] and is honest
    for small counts: 3 of 3 pages flagged is not "certainly 100%".

    >>> [round(x, 3) for x in wilson_interval(3, 3)]
    [0.439, 1.0]
    >>> wilson_interval(0, 0)
    (0.0, 1.0)
    """
    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    margin = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    margin /= denominator
    # At 0 or all, the bound is exactly 0 or 1 (rounding would leave it a hair off).
    low = 0.0 if successes == 0 else max(0.0, centre - margin)
    high = 1.0 if successes == trials else min(1.0, centre + margin)
    return low, high


def domain_of(url: str | None) -> str | None:
    """The host of a URL, lower-cased, without a leading ``www.``; None if there is none.

    >>> domain_of("https://WWW.Example.com:8080/a?b"), domain_of("example.org/x"), domain_of("")
    ('example.com', 'example.org', None)
    """
    if not url:
        return None
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


@dataclass
class SiteProfile:
    """What one site's pages add up to."""

    site: str
    pages: int = 0
    #: Pages with a score (``status`` ok or too short).
    scored: int = 0
    flagged: int = 0
    score_sum: float = 0.0
    traced: int = 0
    evidence: Counter[str] = field(default_factory=Counter)
    low: float = 0.0
    high: float = 1.0

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.scored if self.scored else 0.0

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

    @property
    def traced_share(self) -> float:
        return self.traced / self.pages if self.pages else 0.0

    def top_evidence(self, count: int = 3) -> list[str]:
        return [f"{name} ({n})" for name, n in self.evidence.most_common(count)]

    def as_row(self) -> dict[str, Any]:
        """The profile as a flat row of :data:`SITE_COLUMNS`."""
        mean = self.mean_score
        return {
            "site": self.site,
            "pages": self.pages,
            "scored": self.scored,
            "flagged": self.flagged,
            "flagged_share": round(self.flagged_share, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "mean_score": None if mean is None else round(mean, 4),
            "traced": self.traced,
            "traced_share": round(self.traced_share, 4),
            "top_evidence": self.top_evidence(),
        }


def _evidence_key(item: Mapping[str, Any]) -> str:
    snippet = str(item.get("snippet") or "").strip()
    name = str(item.get("name") or item.get("family") or "")
    return f"{name}: {snippet.lower()}" if snippet else name


def site_profiles(
    rows: Iterable[Mapping[str, Any]],
    *,
    by: str = "domain",
    url_field: str = "url",
    traces: Mapping[str, str] | None = None,
    min_pages: int = 1,
) -> list[SiteProfile]:
    """Profiles of the sites of scored rows, ranked by the low end of their flagged share.

    ``by`` names the site field; ``domain`` is derived from ``url_field``
    when the rows have no domain of their own. Rows without a site count
    under ``(no site)``. ``traces`` maps page ids to ``detector trace``
    verdicts. Ranking by the interval's low end puts a site with 40 of 50
    pages flagged above one with 1 of 1.
    """
    sites: dict[str, SiteProfile] = {}
    for row in rows:
        site = row.get(by)
        if not site and by == "domain":
            site = domain_of(row.get(url_field))
        name = str(site) if site else "(no site)"
        profile = sites.get(name)
        if profile is None:
            profile = sites[name] = SiteProfile(name)
        profile.pages += 1
        score = row.get("score")
        if isinstance(score, int | float) and not isinstance(score, bool) and score == score:
            profile.scored += 1
            profile.score_sum += float(score)
            profile.flagged += row.get("label") == "spun"
        if row.get("label") == "spun":
            names = {_evidence_key(item) for item in row.get("evidence") or []}
            profile.evidence.update(names)
        if traces is not None and traces.get(str(row.get("id"))) in TRACED_VERDICTS:
            profile.traced += 1
    ranked = [profile for profile in sites.values() if profile.pages >= min_pages]
    for profile in ranked:
        profile.low, profile.high = wilson_interval(profile.flagged, profile.scored)
    ranked.sort(key=lambda p: (-p.low, -p.flagged_share, -p.pages, p.site))
    return ranked


def plot_png(profiles: list[SiteProfile], top: int = 30) -> bytes:
    """A PNG of the ``top`` sites: share flagged with its 95% interval, pages as labels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = profiles[:top][::-1]
    figure = Figure(figsize=(8, max(2.5, 0.32 * len(shown) + 1.2)), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(shown)))
    shares = [p.flagged_share for p in shown]
    errors = [[p.flagged_share - p.low for p in shown], [p.high - p.flagged_share for p in shown]]
    axes.barh(positions, shares, color="#d9534f", alpha=0.75)
    axes.errorbar(shares, positions, xerr=errors, fmt="none", ecolor="#222", capsize=3)
    axes.set_yticks(positions, [f"{p.site} ({p.flagged}/{p.scored})" for p in shown])
    axes.set_xlim(0, 1)
    axes.set_xlabel("share of pages flagged (95% Wilson interval)")
    axes.set_title(f"Sites ranked by the low end of the interval (top {len(shown)})")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


_CSS = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #ddd; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; }
"""
_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)


def write_sites_html(profiles: list[SiteProfile], path: str | Path, title: str = "Sites") -> None:
    """One self-contained page: the plot (inline PNG) and the ranked table."""
    encoded = base64.b64encode(plot_png(profiles)).decode("ascii")
    rows = []
    for profile in profiles:
        row = profile.as_row()
        mean = "" if row["mean_score"] is None else f"{row['mean_score']:.3f}"
        rows.append(
            f"<tr><td>{html.escape(profile.site)}</td><td class=n>{profile.pages}</td>"
            f"<td class=n>{profile.flagged}</td><td class=n>{profile.flagged_share:.0%} "
            f"({profile.low:.0%}–{profile.high:.0%})</td><td class=n>{mean}</td>"
            f"<td class=n>{profile.traced_share:.0%}</td>"
            f"<td>{html.escape('; '.join(profile.top_evidence()))}</td></tr>"
        )
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CONTENT_SECURITY_POLICY}">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{html.escape(title)}</h1>"
        f'<img src="data:image/png;base64,{encoded}" alt="share of pages flagged per site">'
        "<table><thead><tr><th>site</th><th>pages</th><th>flagged</th>"
        "<th>share flagged (95% interval)</th><th>mean score</th><th>traced</th>"
        "<th>most frequent evidence</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></main></body></html>\n"
    )
    Path(path).write_text(page, encoding="utf-8")


def profiles_json(profiles: list[SiteProfile]) -> list[dict[str, Any]]:
    return [profile.as_row() for profile in profiles]


__all__ = [
    "SITE_COLUMNS",
    "SiteProfile",
    "domain_of",
    "plot_png",
    "profiles_json",
    "site_profiles",
    "wilson_interval",
    "write_sites_html",
]
