"""The README's example outputs are those of real runs (scripts/readme_examples.py)."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _examples():
    spec = importlib.util.spec_from_file_location(
        "readme_examples", ROOT / "scripts/readme_examples.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_examples_are_what_the_commands_print():
    """Fails when a new model or output format leaves the README behind: run the script."""
    examples = _examples()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert examples._BLOCK_RE.search(readme), "no example block found"
    regenerated = examples.render(readme)
    assert regenerated == readme, "README examples are stale: python scripts/readme_examples.py"


def test_shortened_json_keeps_the_first_evidence_items():
    examples = _examples()
    row = {"id": "a", "score": 0.5, "evidence": [{"name": f"e{n}", "start": n} for n in range(6)],
           "paragraphs": [{"start": 0, "end": 3, "score": 0.5}], "warnings": []}  # fmt: skip
    text = examples._shortened_json(json.dumps([row]))
    assert '"score": 0.5,' in text and '{"name": "e3", "start": 3},\n      ...' in text
    assert "e4" not in text and '{"start": 0, "end": 3, "score": 0.5}\n    ],' in text
