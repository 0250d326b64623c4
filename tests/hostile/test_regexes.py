"""Every regular expression the package ships, against input built to make it backtrack.

A regex that backtracks catastrophically hangs a worker on one document; one
that is quadratic takes hours on a megabyte. Each pattern is run over long
runs of the characters regexes trip on, in a child process with a generous
time limit: the point is to catch a blow-up, not to time anything. Each
pattern gets an alarm per input, hundreds of times longer than a linear scan
takes, and the child as a whole a time limit too; a failure names the pattern
and the input.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import detector

ROOT = Path(__file__).parents[2]
#: Seconds for every pattern on every input together; a healthy run takes ~15.
TIME_LIMIT = 240
#: Seconds one pattern may spend on one input: a linear scan takes milliseconds,
#: a quadratic one minutes.
PATTERN_LIMIT = 2

# Patterns only ever applied with fullmatch to one sentence, so that they are
# tried from one position only: searching with them from every position of a
# long run is quadratic, and is not how they are used.
ANCHORED_ONLY = frozenset({"detector.synth.damage._REPORTING_RE"})

# Patterns compiled inside functions rather than at module level.
INLINE_PATTERNS = (
    r"\n[ \t]*\n\s*",  # detector.synth.apertium: paragraph split
    r"\bword\b",  # detector.synth.damage: whole-word search, built per word
)


def _patterns_in(value: object, found: dict[int, re.Pattern]) -> None:
    if isinstance(value, re.Pattern):
        found[id(value)] = value
    elif isinstance(value, dict):
        for item in value.values():
            _patterns_in(item, found)
    elif isinstance(value, list | tuple | frozenset | set):
        for item in value:
            _patterns_in(item, found)


def compiled_on_first_use() -> list[tuple[str, re.Pattern]]:
    """The patterns the package compiles when a text first needs them, not at import."""
    from detector.features import phrases

    return [
        *((f"detector.features.phrases.PHRASES[{p.name}]", p.regex) for p in phrases.PHRASES),
        *((f"detector.features.phrases.either_of({word!r})", phrases.either_of(word))
          for word in sorted(phrases.TRIGGERS)),
    ]  # fmt: skip


def shipped_patterns() -> list[tuple[str, re.Pattern]]:
    """Every pattern the package holds at module level or compiles on first use."""
    found: dict[int, re.Pattern] = {}
    where: dict[int, str] = {}
    for info in pkgutil.walk_packages(detector.__path__, "detector."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            before = set(found)
            _patterns_in(value, found)
            for key in set(found) - before:
                where[key] = f"{info.name}.{name}"
    held = sorted(((where[key], pattern) for key, pattern in found.items()), key=lambda p: p[0])
    return held + compiled_on_first_use()


def test_every_compiled_regex_is_found() -> None:
    # A pattern compiled inside a function would escape the hang test below.
    compiled = sum(
        path.read_text(encoding="utf-8").count("re.compile(")
        for path in (ROOT / "detector").rglob("*.py")
    )
    assert len(shipped_patterns()) >= compiled


CHILD = r"""
import re, signal, sys
sys.path.insert(0, sys.argv[1])
from tests.hostile.test_regexes import (
    ANCHORED_ONLY, INLINE_PATTERNS, PATTERN_LIMIT, shipped_patterns,
)

UNITS = ["a", "A", "1", ".", " ", "(", ")", "{", "|", "-", "'", "\n", "\t", "é", "а", "\u200b",
         "a.", "A.", "1.", "1,", "a-", "a'", "a ", "A ", "Ab ", "{a|", "(a", "\n \n", ". ",
         ".N", "XOM.", "(XOM.N", "a\u200b", "12 months ", "the the ", "Could ", "?!", "a1",
         "\r\n", "--", "''", "’", "Mr. ", "U.S.", "<<"]
LENGTH = 60_000
inputs = [unit * (LENGTH // len(unit)) for unit in UNITS]


def too_slow(*_):
    raise TimeoutError


signal.signal(signal.SIGALRM, too_slow)
patterns = shipped_patterns() + [("inline " + p, re.compile(p)) for p in INLINE_PATTERNS]
for name, pattern in patterns:
    print("start", name, flush=True)
    for unit, text in zip(UNITS, inputs):
        subject = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
        signal.alarm(PATTERN_LIMIT)
        try:
            if name not in ANCHORED_ONLY:
                for _ in pattern.finditer(subject):
                    pass
            pattern.match(subject)
            pattern.fullmatch(subject)
        except TimeoutError:
            print("slow", name, repr(unit), flush=True)
        signal.alarm(0)
print("done", len(patterns), flush=True)
"""


def test_no_regex_backtracks_on_pathological_input() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ROOT)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        output, errors = child.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        child.kill()
        output, errors = child.communicate()
        started = [line for line in output.splitlines() if line.startswith("start")]
        raise AssertionError(
            f"a regex hung: {started[-1] if started else 'none started'}"
        ) from None
    assert child.returncode == 0, errors
    assert [line for line in output.splitlines() if line.startswith("slow")] == []
    assert output.splitlines()[-1].startswith("done")
