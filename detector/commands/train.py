"""``detector train`` and ``detector evaluate``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from detector.commands._common import fail, say

DataArgument = Annotated[
    list[Path],
    typer.Argument(
        exists=True,
        help="JSONL/CSV with text and label (optional group, kind), "
        "or folders with spun/ and clean/.",
    ),
]
GroupOption = Annotated[
    str | None,
    typer.Option(
        help="Regular expression whose first match in a row's id is its group "
        "(used where the data has no group column).",
    ),
]
JobsOption = Annotated[int, typer.Option(min=1, help="Processes for feature extraction.")]
ALL_CORES = max(1, os.cpu_count() or 1)


def _load(data: list[Path], group_from_id: str | None) -> list[Any]:
    from detector.train import load_labelled

    samples, problems = load_labelled(data, group_from_id=group_from_id)
    for problem in problems[:20]:
        say(f"skipped {problem}")
    if problems:
        say(f"{len(problems)} rows skipped")
    if not samples:
        fail("no usable labelled rows")
    return samples


def train(
    data: DataArgument,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Model path (writes OUT.npz and OUT.json).")
    ],
    language_model_corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--lm-corpus",
            help="Clean English text for the language models (default: the clean rows of "
            "30% of the groups, then kept out of the classifier's data).",
        ),
    ] = None,
    lm_limit: Annotated[int, typer.Option(help="Documents read from --lm-corpus at most.")] = 10000,
    group_from_id: GroupOption = None,
    description: Annotated[str, typer.Option(help="Training data description for the card.")] = "",
    jobs: JobsOption = ALL_CORES,
    seed: Annotated[int, typer.Option(help="Seed of the cross-validation folds.")] = 0,
    overwrite: Annotated[
        bool, typer.Option(help="Replace an existing model of that name.")
    ] = False,
) -> None:
    """Train a model: grouped cross-validated metrics, then the model file and its card."""
    from itertools import islice

    from detector.model import ModelError
    from detector.readers import iter_records
    from detector.train import TrainingDataError
    from detector.train import train as train_model

    samples = _load(data, group_from_id)
    texts = None
    if language_model_corpus:
        records = iter_records(language_model_corpus)
        texts = [r.text for r in islice((r for r in records if r.text), lm_limit) if r.text]
    try:
        result, card = train_model(
            samples, language_model_texts=texts, jobs=jobs, seed=seed,
            description=description or ", ".join(str(p) for p in data), log=say,
        )  # fmt: skip
        card["name"] = out.name
        path = result.model.save(out, card, overwrite=overwrite)
    except (TrainingDataError, ModelError) as error:
        fail(str(error))
    cv = result.cv_metrics
    say(
        f"cross-validated ({cv['folds']} grouped folds): ROC-AUC {cv['roc_auc']:.4f}, "
        f"false-positive rate {cv['false_positive_rate']:.4f} at threshold "
        f"{result.model.threshold}"
    )
    say(f"wrote {path} and {path.with_suffix('.json')}")


def evaluate(
    data: DataArgument,
    model: Annotated[Path | None, typer.Option(help="Model to evaluate; default: shipped.")] = None,
    threshold: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
    by: Annotated[
        list[str] | None, typer.Option(help="Extra column to break metrics down by.")
    ] = None,
    group_from_id: GroupOption = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the metrics as JSON.")
    ] = None,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Bootstrap resamples for intervals.")
    ] = 1000,
    jobs: JobsOption = ALL_CORES,
) -> None:
    """Measure a model on labelled data: ROC-AUC, rates at the threshold, per kind."""
    from rich.console import Console
    from rich.table import Table

    from detector.evaluation import evaluate as run
    from detector.model import ModelError, load_model

    try:
        loaded = load_model(model)
    except ModelError as error:
        fail(str(error))
    results = {}
    for path in data:
        samples = _load([path], group_from_id)
        results[str(path)] = run(
            samples, loaded, threshold=threshold, jobs=jobs, n_bootstrap=bootstrap, by=by or ()
        )
    console = Console()
    for name, result in results.items():
        table = Table(title=f"{name} (threshold {result['threshold']})")
        for column in ("slice", "n", "ROC-AUC", "95% CI", "FPR", "recall"):
            table.add_column(column)
        rows = [("all", result["pooled"])]
        for column, values in result["by"].items():
            rows.extend((f"{column}={value}", metrics) for value, metrics in values.items())
        for label, metrics in rows:
            interval = metrics.get("roc_auc_ci95")
            table.add_row(
                label,
                str(metrics["n"]),
                _number(metrics.get("roc_auc")),
                "" if not interval else f"{interval[0]:.3f}-{interval[1]:.3f}",
                _number(metrics.get("false_positive_rate")),
                _number(metrics.get("recall")),
            )
        console.print(table)
    if json_out:
        json_out.write_text(json.dumps(results, indent=2) + "\n")
        say(f"wrote {json_out}")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"
