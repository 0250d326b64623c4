"""``detector evaluate``: metrics, plots and the most confident mistakes of a model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from detector.commands._common import (
    ALL_CORES,
    DataArgument,
    GroupOption,
    JobsOption,
    fail,
    load_model_or_fail,
    load_samples,
    read_language_model_texts,
    say,
)


def evaluate(
    data: DataArgument,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            file_okay=False,
            help="Report folder: metrics.json, the plots and report.html.",
        ),
    ],
    model: Annotated[Path | None, typer.Option(help="Model to evaluate; default: shipped.")] = None,
    compare: Annotated[
        Path | None,
        typer.Option(help="A second model, scored on the same documents and compared."),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Threshold of both models; default: each its own."),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            help="Column to break the metrics down by (repeatable); kind and length always are."
        ),
    ] = None,
    loo_kind: Annotated[
        bool,
        typer.Option(
            "--loo-kind",
            help="Leave one generator out: train without each generator family in turn and "
            "measure it on held-out groups (the generalisation table).",
        ),
    ] = False,
    language_model_corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--lm-corpus",
            help="With --loo-kind: clean text for the language models (default: the clean "
            "rows of 30% of the groups, then kept out).",
        ),
    ] = None,
    lm_limit: Annotated[int, typer.Option(help="Documents read from --lm-corpus at most.")] = 10000,
    test_share: Annotated[
        float,
        typer.Option(min=0.01, max=0.99, help="With --loo-kind: share of groups held out."),
    ] = 0.2,
    folds: Annotated[
        int, typer.Option(min=2, help="With --loo-kind: cross-validation folds of each refit.")
    ] = 3,
    group_from_id: GroupOption = None,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Bootstrap resamples for intervals.")
    ] = 1000,
    mistakes: Annotated[
        int, typer.Option(min=0, help="False positives, and false negatives, shown.")
    ] = 20,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap and of the refits.")] = 0,
    jobs: JobsOption = ALL_CORES,
) -> None:
    """Measure a model on labelled data: metrics with intervals, plots, its worst mistakes."""
    from detector.evaluation import EvaluationError
    from detector.report import plotting_problem

    problem = plotting_problem()
    if problem is not None:
        fail(problem)
    if loo_kind:
        if model is not None or compare is not None or threshold is not None:
            fail("--loo-kind trains its own models: drop --model, --compare and --threshold")
        try:
            _leave_one_generator_out(
                data, out, language_model_corpus, lm_limit, test_share, folds, group_from_id,
                bootstrap, seed, jobs,
            )  # fmt: skip
        except EvaluationError as error:
            fail(str(error))
        return
    if language_model_corpus:
        fail("--lm-corpus only applies with --loo-kind")
    from detector.evaluation import evaluate_files

    evaluated = load_model_or_fail(model)
    other = load_model_or_fail(compare) if compare is not None else None
    try:
        document = evaluate_files(
            data, evaluated, out, model_path=model, compare_with=other, compare_path=compare,
            threshold=threshold, by=by or (), group_from_id=group_from_id, jobs=jobs,
            n_bootstrap=bootstrap, seed=seed, mistakes=mistakes, log=say,
        )  # fmt: skip
    except EvaluationError as error:
        fail(str(error))
    _print_summary(document)
    say(f"wrote {out / 'metrics.json'}, the plots and {out / 'report.html'}")


def _leave_one_generator_out(
    data: list[Path],
    out: Path,
    language_model_corpus: list[Path] | None,
    lm_limit: int,
    test_share: float,
    folds: int,
    group_from_id: str | None,
    bootstrap: int,
    seed: int,
    jobs: int,
) -> None:
    from detector.evaluation import language_model_resources, report_leave_one_generator_out
    from detector.train import TrainingDataError

    per_file = [load_samples([path], group_from_id) for path in data]
    samples = [sample for file_samples in per_file for sample in file_samples]
    texts = None
    if language_model_corpus:
        texts = read_language_model_texts(language_model_corpus, lm_limit)
    resources, samples = language_model_resources(
        samples, language_model_texts=texts, seed=seed, log=say
    )
    run = {
        "data": [
            {"name": str(path), "documents": len(file_samples)}
            for path, file_samples in zip(data, per_file, strict=True)
        ],
        "language_model_texts": "--lm-corpus"
        if texts is not None
        else "clean rows of 30% of the groups, kept out of the evaluation",
    }
    try:
        document = report_leave_one_generator_out(
            samples, resources, out, run=run, test_share=test_share, folds=folds, jobs=jobs,
            n_bootstrap=bootstrap, seed=seed, log=say,
        )  # fmt: skip
    except TrainingDataError as error:
        fail(str(error))
    _print_generalisation(document["leave_one_generator_out"])
    say(f"wrote {out / 'metrics.json'}, the plot and {out / 'report.html'}")


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _interval(metrics: dict[str, Any], key: str) -> str:
    interval = metrics.get(f"{key}_ci95")
    return "—" if not interval else f"{interval[0]:.3f}–{interval[1]:.3f}"


def _table(title: str, columns: tuple[str, ...]) -> Any:
    from rich.table import Table

    table = Table(title=title)
    # Names fold onto several lines; numbers never do.
    table.add_column(columns[0], overflow="fold", min_width=8)
    for column in columns[1:]:
        table.add_column(column, justify="right", no_wrap=True)
    return table


def _print_summary(document: dict[str, Any]) -> None:
    from rich.console import Console

    rows = [(name, entry["overall"]) for name, entry in document["datasets"].items()]
    if len(rows) > 1:
        rows.append(("all (pooled)", document["overall"]))
    comparison = document.get("comparison")
    if comparison:
        rows.append(("compared model", comparison["overall"]))
    head = document.get("machine_translation_head")
    if head:
        rows.append(
            (
                f"machine-translation head (threshold {head['overall']['threshold']:.4f})",
                head["overall"],
            )
        )
    table = _table(
        f"threshold {document['overall']['threshold']}",
        ("data", "n", "ROC AUC", "95% CI", "FPR", "recall", "recall@1%FPR"),
    )
    for name, metrics in rows:
        table.add_row(
            name, str(metrics["n"]), _number(metrics["roc_auc"]), _interval(metrics, "roc_auc"),
            _number(metrics["false_positive_rate"]),
            _number(metrics["recall"]), _number(metrics["recall_at_fpr"]["0.01"]["recall"]),
        )  # fmt: skip
    console = Console()
    console.print(table)
    if comparison and comparison.get("paired_auc"):
        paired = comparison["paired_auc"]
        low, high = paired["difference_ci95"] or (None, None)
        console.print(
            f"ROC AUC difference (evaluated - compared): {paired['difference']:+.4f}"
            + ("" if low is None else f" (95% CI {low:+.4f} to {high:+.4f})")
        )


def _print_generalisation(table: dict[str, Any]) -> None:
    from rich.console import Console

    view = _table(
        "leave one generator out (test groups)",
        ("family", "spun", "clean", "AUC seen", "AUC held out", "95% CI", "drop"),
    )
    for family, entry in table["families"].items():
        held = entry["held_out"]
        view.add_row(
            family, str(held["n_positive"]), str(held["n_negative"]),
            _number(entry["seen"]["roc_auc"]), _number(held["roc_auc"]),
            _interval(held, "roc_auc"), _number(entry["roc_auc_drop"]),
        )  # fmt: skip
    Console().print(view)
