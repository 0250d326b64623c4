"""Short news-style texts written for the tests, and a crude garbler for them."""

from __future__ import annotations

import random

#: Short clean news-style paragraphs, written for these tests.
CLEAN_TEXTS = (
    "Toray Industries (3402.T) said on Monday that its profit rose 12 percent in the "
    "quarter, helped by strong demand for carbon fibre from aircraft makers.",
    "Shares of Exxon Mobil (XOM.N) fell 2 percent after the company said output "
    "would be lower than expected this year because of maintenance work.",
    "The central bank kept interest rates on hold on Thursday, as most economists had "
    "expected, and said it would watch the labour market closely.",
    "Samsung Electronics (005930.KS) plans to build a new chip plant in South Korea, "
    "the company said, as it seeks to meet growing demand for memory.",
    "The Nikkei average .N225 rose 0.8 percent, led by exporters, after the yen "
    "weakened against the dollar in early trading in Tokyo.",
    "President Moon Jae-in said the government would hold talks with Japanese "
    "officials next month to settle the long-running dispute over trade.",
    "The airline said it would cut 2,000 jobs over the next two years and close "
    "several routes that had been losing money since the financial crisis.",
    "Analysts said the merger would create the largest steel maker in Europe, "
    "although regulators in Brussels were expected to examine the deal closely.",
    "Oil prices rose on Tuesday as traders worried that a storm in the Gulf of "
    "Mexico would shut production platforms for several days.",
    "The company reported a net loss of $45 million for the second quarter, compared "
    "with a profit of $12 million a year earlier, and lowered its forecast.",
)


def garble(text: str, seed: int) -> str:
    """A crude stand-in for a round trip: broken codes, lower-cased names, shuffled clauses."""
    rng = random.Random(seed)
    words = text.replace(".T)", ".The").replace(".N)", ".n)").split()
    words = [w.lower() if rng.random() < 0.5 else w for w in words]
    cut = len(words) // 2
    head, tail = words[:cut], words[cut:]
    rng.shuffle(tail)
    return " ".join([*head, "the", "the", *tail]) + " with during."
