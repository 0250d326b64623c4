"""Find machine-translation and article-spinner artifacts in English text.

>>> from detector import score
>>> result = score("Shares of Toray Industries (3402.The others are fell 3 percent on "
...     "Monday, in what traders called a the the quiet session for japanese exporters.")
>>> result["label"], sorted({e["family"] for e in result["evidence"]})
('spun', ['casing', 'collocation', 'phrasing', 'tickers'])

The heavy parts (scikit-learn, nltk) are imported only by training and data
synthesis; scoring needs numpy alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "score"]

if TYPE_CHECKING:  # pragma: no cover
    from detector.model import Model


def score(
    text: str, *, model: Model | str | None = None, threshold: float | None = None
) -> dict[str, Any]:
    """Score one text: probability that it carries MT or spinner artifacts.

    Returns the same structure as one row of ``detector score --format json``:
    ``score``, ``label`` (``spun`` or ``clean``), ``evidence``, ``paragraphs``
    and ``status``.
    """
    from detector.scoring import score_text

    return score_text(text, model=model, threshold=threshold)
