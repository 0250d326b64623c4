"""Regenerate the README's example outputs from real runs of the commands they show.

Every ```` ```console ```` block of README.md whose first line is
``$ detector ...`` is the output of that command: this script runs each
command (in this process, through the real command line, with the shipped
model unless the command names another) and writes its output under it.
JSON lists of evidence are shortened to their first items, one item a few
lines, as a reader wants them; everything else is the output as it is.

Usage::

    python scripts/readme_examples.py           # rewrite README.md
    python scripts/readme_examples.py --check   # exit 1 and show the difference if stale

``tests/test_readme.py`` runs the check, so a new model or a change of output
format that leaves the README behind fails the tests until this is run.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
README = REPOSITORY / "README.md"

#: Terminal width the tables are drawn at (the README's code blocks are this wide).
WIDTH = 100
#: Evidence items shown in a JSON example before "...".
EVIDENCE_SHOWN = 4

# A console block whose first line is a detector command: the command, then
# its output, up to the closing fence.
_BLOCK_RE = re.compile(r"(```console\n\$ (detector [^\n]*)\n)(.*?)(```)", re.DOTALL)


def _run(command: str) -> str:
    """The standard output of ``command`` (``detector ...``) run from the repository."""
    import os

    from typer.testing import CliRunner

    from detector.cli import app

    words = shlex.split(command)[1:]
    if words[0] == "score" and "--format" not in words and "-f" not in words:
        words += ["--format", "table"]  # what a terminal shows
    previous = Path.cwd()
    os.chdir(REPOSITORY)
    try:
        result = CliRunner().invoke(app, words, env={"COLUMNS": str(WIDTH), "NO_COLOR": "1"})
    finally:
        os.chdir(previous)
    if result.exit_code != 0:
        raise RuntimeError(f"{command} exited {result.exit_code}: {result.output}")
    return result.stdout


def _wrap_item(item: dict[str, Any], indent: str, width: int = 90) -> list[str]:
    """One JSON object over as few lines as fit ``width``, continued one column in.

    >>> _wrap_item({"start": 0, "end": 4, "score": 0.5}, "  ")
    ['  {"start": 0, "end": 4, "score": 0.5}']
    """
    parts = [
        f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in item.items()
    ]
    lines: list[str] = []
    opening = indent + "{"
    current = opening
    for index, part in enumerate(parts):
        piece = part + ("," if index < len(parts) - 1 else "}")
        candidate = current + piece if current == opening else current + " " + piece
        if len(candidate) > width and current != opening:
            lines.append(current)
            current = indent + " " + piece
        else:
            current = candidate
    lines.append(current)
    return lines


def _shortened_json(output: str) -> str:
    """A ``--format json`` output with evidence lists cut to their first items."""
    rows = json.loads(output)
    lines = ["["]
    for row_index, row in enumerate(rows):
        lines.append("  {")
        keys = list(row)
        for key_index, key in enumerate(keys):
            comma = "," if key_index < len(keys) - 1 else ""
            value = row[key]
            if key in ("evidence", "paragraphs") and value:
                shown = value[:EVIDENCE_SHOWN] if key == "evidence" else value
                lines.append(f'    "{key}": [')
                for item_index, item in enumerate(shown):
                    item_lines = _wrap_item(item, "      ")
                    last = item_index == len(shown) - 1 and len(shown) == len(value)
                    item_lines[-1] += "" if last else ","
                    lines.extend(item_lines)
                if len(shown) < len(value):
                    lines.append("      ...")
                lines.append(f"    ]{comma}")
            else:
                lines.append(
                    f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}"
                )
        lines.append("  }" + ("," if row_index < len(rows) - 1 else ""))
    lines.append("]")
    return "\n".join(lines) + "\n"


def example_output(command: str) -> str:
    """What the README shows under ``$ command``."""
    output = _run(command)
    words = shlex.split(command)
    if "json" in words and ("--format" in words or "-f" in words):
        return _shortened_json(output)
    return "\n".join(line.rstrip() for line in output.splitlines()) + "\n"


def render(readme: str) -> str:
    """``readme`` with every example block's output regenerated."""
    return _BLOCK_RE.sub(
        lambda match: match.group(1) + example_output(match.group(2)) + match.group(4), readme
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    args = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if args.check:
        if fresh != current:
            sys.stdout.writelines(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    fresh.splitlines(keepends=True),
                    "README.md",
                    "regenerated",
                )
            )
            sys.exit(1)
        return
    README.write_text(fresh, encoding="utf-8")


if __name__ == "__main__":
    main()
