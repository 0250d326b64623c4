"""Hypothesis strategies and settings shared by the hostile-input tests.

``DETECTOR_FUZZ_EXAMPLES`` (set by ``scripts/fuzz.py``) turns the property
tests from a fixed, derandomised CI run into a random search of that many
examples per test.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Examples per property test: a small fixed budget in CI, more when fuzzing.
FUZZ_EXAMPLES = int(os.environ.get("DETECTOR_FUZZ_EXAMPLES", "0"))

PROPERTY_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES or 60,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    database=None if not FUZZ_EXAMPLES else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces that hostile documents are made of: ordinary English, the damage the
# detector looks for, look-alike letters, invisible and control characters,
# right-to-left text, and runs that make careless regexes backtrack.
PIECES = (
    "Shares of Toray Industries (3402.T) rose 3 percent on Monday. ",
    "The the company said on monday that Could 2023 sales were {strong|robust}. ",
    "Pаypal сredit ΒANK οpen ",
    "\u200b\u200c\u200d\u00ad\u202e\u2066\ufeff",
    "\x00\x01\x07\x1b\x7f\x85",
    "مرحبا بالعالم שלום ",
    "Президент Путин ",
    "董事会周一决定提高股息。",
    "\n\n",
    "\r\n",
    "(((((",
    "a.a.a.a.",
    "{|{|{|",
    "XOM.N XOM. N (XOM.",
    "12 months 12 months ",
    "👨\u200d👩\u200d👧 🏳\ufe0f\u200d🌈",
    "       ",
    "...!!!???",
)

hostile_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=40).map("".join),
)

hostile_bytes = st.one_of(
    st.binary(max_size=600),
    hostile_text.map(lambda text: text.encode("utf-8", errors="surrogatepass")),
    hostile_text.map(lambda text: text.encode("utf-16")),
    st.tuples(hostile_text, st.binary(max_size=8)).map(
        lambda pair: pair[0].encode("utf-8", errors="surrogatepass") + pair[1]
    ),
)
