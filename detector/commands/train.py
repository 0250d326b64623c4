"""``detector train``: a model file and its card from labelled data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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


def train(
    data: DataArgument,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Model path (writes OUT.npz and OUT.json).")
    ],
    language_model_corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--lm-corpus",
            help="Build the language models, name lists and synonym table from this clean "
            "English text (JSONL/CSV/text; hundreds of thousands of words at least) instead "
            "of reusing a model's (see --resources-from).",
        ),
    ] = None,
    resources_from: Annotated[
        Path | None,
        typer.Option(
            "--resources-from",
            metavar="MODEL",
            help="Reuse this model's language models, name lists and synonym table, learnt "
            "from a large clean corpus, and fit only what the labels teach (default: the "
            "shipped model).",
        ),
    ] = None,
    lm_limit: Annotated[int, typer.Option(help="Documents read from --lm-corpus at most.")] = 10000,
    group_from_id: GroupOption = None,
    description: Annotated[str, typer.Option(help="Training data description for the card.")] = "",
    jobs: JobsOption = ALL_CORES,
    seed: Annotated[int, typer.Option(help="Seed of the cross-validation folds.")] = 0,
    swaps: Annotated[
        Path | None,
        typer.Option(
            help="Known spinner swaps: a TSV of original and spun phrases, one pair a line "
            "(e.g. from trace --substitutions); added to those learnt from spun rows whose "
            "'pair' field names their original.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing model of that name.")
    ] = False,
) -> None:
    """Train a model: grouped cross-validated metrics, then the model file and its card."""
    from detector.model import ModelError, model_path
    from detector.train import TrainingDataError
    from detector.train import train as train_model

    if model_path(out).exists() and not overwrite:  # say so before the work, not after
        fail(f"{model_path(out)} exists: choose a new name (or pass --overwrite)")
    if language_model_corpus and resources_from is not None:
        fail("give --lm-corpus (build the resources) or --resources-from (reuse them), not both")
    source = None if language_model_corpus else load_model_or_fail(resources_from)
    samples = load_samples(data, group_from_id)
    texts = None
    if language_model_corpus:
        texts = read_language_model_texts(language_model_corpus, lm_limit)
    known: list[tuple[str, str]] = []
    if swaps is not None:
        from detector.swaps import read_swap_file

        known, skipped = read_swap_file(swaps)
        for message in skipped:
            say(message)
    try:
        result, card = train_model(
            samples, language_model_texts=texts, resources_from=source, jobs=jobs, seed=seed,
            description=description or ", ".join(str(p) for p in data), log=say,
            swaps=known,
        )  # fmt: skip
        if language_model_corpus:
            card["resources"]["from"] = "--lm-corpus " + ", ".join(
                str(path) for path in language_model_corpus
            )
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
