"""``detector explain``: one document with its evidence highlighted, and why it scored so."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from detector.commands._common import fail, say


def explain(
    file: Annotated[str, typer.Argument(help="A plain-text document, or '-' for standard input.")],
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", dir_okay=False, help="Also write the explanation as one HTML page here."
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="Model (.npz with its .json card); default: shipped model.")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Score at and above which a text is spun."),
    ] = None,
) -> None:
    """Show a document with every evidence span highlighted, paragraph scores and top features."""
    from rich.console import Console

    from detector.explain import (
        ExplainError,
        explain_text,
        read_document,
        render_html,
        render_terminal,
    )
    from detector.model import ModelError
    from detector.scoring import Scorer

    try:
        text, warnings = read_document(file)
    except ExplainError as error:
        fail(str(error))
    try:
        scorer = Scorer.load(model, threshold)
    except ModelError as error:
        fail(str(error))
    explanation = explain_text(text, scorer)
    for warning in warnings + explanation.warnings:
        say(f"warning: {warning}")
    Console().print(render_terminal(explanation))
    if html is not None:
        title = f"detector explanation: {Path(file).name if file != '-' else 'standard input'}"
        html.write_text(render_html(explanation, title=title), encoding="utf-8")
        say(f"wrote {html}")
