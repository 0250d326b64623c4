"""Fuzz the feature families, readers and scorer for longer than CI does.

Runs the property tests of ``tests/hostile/test_properties.py`` and those
of the web page and WARC readers (untrusted bytes) again and again with
fresh random seeds and a large example budget until the time is up. CI runs
the same properties with a small, derandomised budget. Hypothesis keeps
every failing example in ``.hypothesis/`` and prints how to reproduce it;
the run stops at the first failure.

Usage::

    python scripts/fuzz.py --minutes 30
    python scripts/fuzz.py --minutes 5 --examples 2000 --seed 7
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROPERTIES = (
    "tests/hostile/test_properties.py",
    "tests/test_html.py::test_any_bytes_give_text_or_a_reason",
    "tests/test_html.py::test_any_markup_soup_gives_text_or_a_reason",
    "tests/test_warc.py::test_any_bytes_give_records_or_errors_never_an_exception",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz")
    parser.add_argument("--examples", type=int, default=1000, help="examples per test per round")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="first round's seed")
    options = parser.parse_args(argv)

    deadline = time.monotonic() + options.minutes * 60
    environment = {**os.environ, "DETECTOR_FUZZ_EXAMPLES": str(options.examples)}
    round_number = 0
    while time.monotonic() < deadline:
        seed = options.seed + round_number
        print(f"fuzz round {round_number + 1}, seed {seed}", flush=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                *PROPERTIES,
                "-x",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--hypothesis-seed={seed}",
            ],
            cwd=ROOT,
            env=environment,
        )
        if done.returncode != 0:
            print(f"failure in round {round_number + 1} (seed {seed})", file=sys.stderr)
            return done.returncode
        round_number += 1
    print(f"no failure in {round_number} rounds", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
