"""The labelled-data pipeline: clean documents in, originals and their variants out.

For every usable source document it writes the original (label 0) and, as
planned per document, a full round trip through Apertium, a spun version, a
modelled neural-MT damage and a partly changed version (label 1). All rows
of one source share its id as ``group``.

Determinism: every random choice for a document comes from a generator
seeded with the run's seed, the document id and the purpose, so a
document's rows do not depend on which documents came before it, on the
chunk size or on resuming.

Robustness: documents are read as a stream and processed in chunks (memory
stays flat on the full corpus); rows go to ``<out>.partial``, renamed to
``<out>`` only when the run completes, so ``<out>`` is never half-written;
an interrupted run leaves ``<out>.partial``, and ``resume=True`` skips every
row id already there (or already in ``<out>``).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from detector.array_cache import file_sha256
from detector.readers import iter_records
from detector.synth.apertium import PIVOTS, Apertium
from detector.synth.damage import PROFILES, damage
from detector.synth.documents import MAX_PARAGRAPH_WORDS, join_paragraphs, split_paragraphs
from detector.synth.language import rejection_reason
from detector.synth.partial import assemble, choose_paragraphs
from detector.synth.splits import HeldOutMode, SplitReport, write_splits

#: Generators a run can use, in the order their rows are written.
GENERATORS = ("roundtrip", "spin", "damage", "partial")


@dataclass(frozen=True)
class SynthConfig:
    """What to generate, and how much.

    Parameters
    ----------
    seed
        Seed of every random choice (combined with each document id).
    generators
        Which of :data:`GENERATORS` to run.
    pivots
        Pivot languages of round trips (keys of :data:`~detector.synth.apertium.PIVOTS`);
        each round-tripped document goes through one, chosen per document.
    spin_rates
        Shares of content words a spin replaces; one is chosen per document.
    damage_profiles
        Damage profiles (keys of :data:`~detector.synth.damage.PROFILES`), one per document.
    roundtrip_share, spin_share, damage_share, partial_share
        Share of documents (a probability per document) that get a variant of
        that generator.
    partial_generators
        Generators a partial document may use for its changed paragraphs.
    spin_syntax_slip_rate
        Probability that a spin replacement is left as ``{original|synonym}``.
    spin_thesaurus
        ``(original, spun)`` entries the spinner takes before its own
        thesaurus and WordNet, reaching into names as commercial spinners'
        thesauri do (e.g. swaps learnt with ``detector trace --substitutions``).
    spin_first_choice
        Probability that a WordNet replacement is the first-listed synonym;
        commercial spinners take it nearly always.
    max_paragraph_words
        Source paragraphs longer than this are cut on sentence boundaries.
    """

    seed: int = 0
    generators: tuple[str, ...] = GENERATORS
    pivots: tuple[str, ...] = tuple(PIVOTS)
    spin_rates: tuple[float, ...] = (0.1, 0.2, 0.3, 0.5)
    damage_profiles: tuple[str, ...] = tuple(PROFILES)
    roundtrip_share: float = 1.0
    spin_share: float = 1.0
    damage_share: float = 1.0
    partial_share: float = 0.5
    partial_generators: tuple[str, ...] = ("roundtrip", "spin", "damage")
    spin_syntax_slip_rate: float = 0.01
    spin_thesaurus: tuple[tuple[str, str], ...] = ()
    spin_first_choice: float = 0.7
    max_paragraph_words: int = MAX_PARAGRAPH_WORDS

    def __post_init__(self) -> None:
        unknown = [name for name in self.generators if name not in GENERATORS]
        if unknown:
            raise ValueError(f"unknown generator {unknown[0]!r}; known: {', '.join(GENERATORS)}")
        bad_pivots = [code for code in self.pivots if code not in PIVOTS]
        if bad_pivots:
            raise ValueError(f"unknown pivot {bad_pivots[0]!r}; known: {', '.join(PIVOTS)}")
        bad_profiles = [name for name in self.damage_profiles if name not in PROFILES]
        if bad_profiles:
            raise ValueError(
                f"unknown damage profile {bad_profiles[0]!r}; known: {', '.join(PROFILES)}"
            )
        if not 0 <= self.spin_first_choice <= 1:
            raise ValueError("spin_first_choice must be in [0, 1]")
        if any(not 0 < rate <= 1 for rate in self.spin_rates):
            raise ValueError("spin rates must be in (0, 1]")
        for name in ("roundtrip_share", "spin_share", "damage_share", "partial_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in [0, 1]")
        bad_inner = [name for name in self.partial_generators if name not in GENERATORS[:3]]
        if bad_inner:
            raise ValueError(f"a partial document cannot use {bad_inner[0]!r}")
        if not self.pivots and self._uses("roundtrip"):
            raise ValueError("round trips need at least one pivot")

    def _uses(self, generator: str) -> bool:
        return generator in self.generators or (
            "partial" in self.generators and generator in self.partial_generators
        )

    @property
    def needs_apertium(self) -> bool:
        return self._uses("roundtrip")

    @property
    def needs_wordnet(self) -> bool:
        return self._uses("spin")


@dataclass
class BadRow:
    """An input row that was skipped, and why."""

    source: str
    line: int | None
    id: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


@dataclass
class SynthReport:
    """What a run did."""

    output: Path
    documents: int = 0
    resumed_documents: int = 0
    rows: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    bad_rows: list[BadRow] = field(default_factory=list)
    bad_count: int = 0
    apertium_seconds: float = 0.0
    seconds: float = 0.0
    splits: SplitReport | None = None

    #: Bad rows kept in :attr:`bad_rows` (all are counted in :attr:`bad_count`).
    max_bad_rows_kept = 1000


@dataclass
class _Task:
    """One variant to produce for a document."""

    kind: str
    generator: str
    parameter: str
    paragraphs: list[int] | None = None  # changed paragraphs of a partial variant


@dataclass
class _Document:
    id: str
    paragraphs: list[str]
    tasks: list[_Task]

    @property
    def text(self) -> str:
        return join_paragraphs(self.paragraphs)


def document_rng(seed: int, document_id: str, purpose: str) -> random.Random:
    """A random generator for one document and one purpose, independent of all others.

    >>> document_rng(0, "a", "spin").random() == document_rng(0, "a", "spin").random()
    True
    >>> document_rng(0, "a", "spin").random() == document_rng(1, "a", "spin").random()
    False
    """
    digest = hashlib.sha256(f"{seed}\0{document_id}\0{purpose}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def _format_rate(rate: float) -> str:
    return f"{rate:g}"


def plan(document_id: str, n_paragraphs: int, config: SynthConfig) -> list[_Task]:
    """The variants a document gets under ``config`` (a function of its id alone).

    >>> [task.kind for task in plan("doc-1", 3, SynthConfig(generators=("spin",)))]
    ['spin:0.5']
    """
    rng = document_rng(config.seed, document_id, "plan")
    tasks: list[_Task] = []

    def pick(generator: str) -> tuple[str, str]:
        if generator == "roundtrip":
            pivot = rng.choice(config.pivots)
            return f"roundtrip:{pivot}", pivot
        if generator == "spin":
            rate = _format_rate(rng.choice(config.spin_rates))
            return f"spin:{rate}", rate
        profile = rng.choice(config.damage_profiles)
        return f"damage:{profile}", profile

    shares = {
        "roundtrip": config.roundtrip_share,
        "spin": config.spin_share,
        "damage": config.damage_share,
        "partial": config.partial_share,
    }
    for generator in GENERATORS:
        # Drawn for every generator, used or not, so that turning one
        # generator off leaves the others' choices unchanged.
        draw = rng.random()
        if generator == "partial":
            inner_generator = rng.choice(config.partial_generators or ("damage",))
            inner_kind, parameter = pick(inner_generator)
            chosen = choose_paragraphs(n_paragraphs, rng)
            if generator in config.generators and draw < shares[generator] and chosen:
                tasks.append(_Task(f"partial:{inner_kind}", inner_generator, parameter, chosen))
            continue
        kind, parameter = pick(generator)
        if generator in config.generators and draw < shares[generator]:
            tasks.append(_Task(kind, generator, parameter))
    return tasks


def row_id(group: str, kind: str) -> str:
    """The id of a row: its group and kind.

    >>> row_id("reuters-1", "spin:0.3")
    'reuters-1#spin:0.3'
    """
    return f"{group}#{kind}"


def _read_existing(path: Path) -> tuple[set[str], int]:
    """Ids in an earlier output and the byte length of its complete lines."""
    ids: set[str] = set()
    good_bytes = 0
    with open(path, "rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break  # a line cut short by an interruption
            try:
                row = json.loads(raw)
            except ValueError:
                break
            ids.add(str(row["id"]))
            good_bytes += len(raw)
    return ids, good_bytes


class _Generators:
    """The generator back-ends, created once per run."""

    def __init__(self, config: SynthConfig, apertium: Apertium | None, wordnet: Any) -> None:
        self.config = config
        self.apertium = apertium
        self.spinner = None
        if config.needs_wordnet:
            from detector.synth.spinner import SPINNER_THESAURUS, Spinner

            thesaurus = dict(SPINNER_THESAURUS)
            thesaurus.update((original.lower(), spun) for original, spun in config.spin_thesaurus)
            self.spinner = Spinner(
                wordnet,
                thesaurus=thesaurus,
                first_choice=config.spin_first_choice,
                syntax_slip_rate=config.spin_syntax_slip_rate,
            )

    def spin(self, text: str, rate: str, rng: random.Random) -> tuple[str, list[str]]:
        assert self.spinner is not None
        result = self.spinner.spin(text, float(rate), rng)
        return result.text, [f"{old} -> {new}" for old, new in result.replacements]

    def damage(self, text: str, profile: str, rng: random.Random) -> tuple[str, list[str]]:
        # A profile with nothing to act on (no codes for ``tickers``) leaves
        # the text unchanged, and the variant is then not written.
        result = damage(text, profile, rng)
        return result.text, result.steps


def _roundtrip_jobs(documents: list[_Document]) -> dict[str, list[tuple[int, int, int, str]]]:
    """Texts to round-trip, by pivot: ``(document, task, paragraph or -1, text)``."""
    jobs: dict[str, list[tuple[int, int, int, str]]] = {}
    for d, document in enumerate(documents):
        for t, task in enumerate(document.tasks):
            if task.generator != "roundtrip":
                continue
            queue = jobs.setdefault(task.parameter, [])
            if task.paragraphs is None:
                queue.append((d, t, -1, document.text))
            else:
                for p in task.paragraphs:
                    queue.append((d, t, p, document.paragraphs[p]))
    return jobs


def _process_chunk(
    documents: list[_Document],
    generators: _Generators,
    pool: ThreadPoolExecutor | None,
    report: SynthReport,
) -> Iterator[dict[str, Any]]:
    """Rows of a chunk of documents, in document order."""
    config = generators.config
    jobs = _roundtrip_jobs(documents)
    futures: dict[str, Future[tuple[list[str], float]]] = {}
    if jobs:
        assert pool is not None and generators.apertium is not None
        engine = generators.apertium

        def run(pivot: str, texts: list[str]) -> tuple[list[str], float]:
            started = time.perf_counter()
            return engine.round_trip(texts, pivot), time.perf_counter() - started

        # Largest batches first, so that the slowest pivot starts at once.
        for pivot, queue in sorted(jobs.items(), key=lambda item: -len(item[1])):
            futures[pivot] = pool.submit(run, pivot, [text for *_, text in queue])

    # Spin and damage run here while the engines work in their own processes.
    outputs: dict[tuple[int, int], tuple[str, list[str]]] = {}
    paragraph_outputs: dict[tuple[int, int], dict[int, str]] = {}
    for d, document in enumerate(documents):
        for t, task in enumerate(document.tasks):
            if task.generator == "roundtrip":
                continue
            rng = document_rng(config.seed, document.id, task.kind)
            transform = generators.spin if task.generator == "spin" else generators.damage
            if task.paragraphs is None:
                outputs[(d, t)] = transform(document.text, task.parameter, rng)
            else:
                paragraph_outputs[(d, t)] = {
                    p: transform(document.paragraphs[p], task.parameter, rng)[0]
                    for p in task.paragraphs
                }
    for pivot, future in futures.items():
        translated, seconds = future.result()
        report.apertium_seconds += seconds
        for (d, t, p, _), text in zip(jobs[pivot], translated, strict=True):
            if p < 0:
                outputs[(d, t)] = (text, [])
            else:
                paragraph_outputs.setdefault((d, t), {})[p] = text

    for d, document in enumerate(documents):
        original = document.text
        yield _row(document.id, "original", original, 0)
        for t, task in enumerate(document.tasks):
            if task.paragraphs is None:
                text, steps = outputs[(d, t)]
                if text.strip() and text != original:
                    yield _row(document.id, task.kind, text, 1, steps=steps)
            else:
                text, labels = assemble(document.paragraphs, paragraph_outputs.get((d, t), {}))
                if any(labels):
                    yield _row(document.id, task.kind, text, 1, paragraph_labels=labels)


def _row(
    group: str,
    kind: str,
    text: str,
    label: int,
    *,
    steps: list[str] | None = None,
    paragraph_labels: list[int] | None = None,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": row_id(group, kind),
        "group": group,
        "text": text,
        "label": label,
        "kind": kind,
        "paragraph_labels": paragraph_labels,
    }
    if steps:
        row["steps"] = steps
    return row


def iter_documents(
    sources: Sequence[str | os.PathLike[str]],
    report: SynthReport,
    *,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str | None = "title",
    max_paragraph_words: int = MAX_PARAGRAPH_WORDS,
) -> Iterator[tuple[str, list[str]]]:
    """Usable source documents as ``(id, paragraphs)``; bad rows go to ``report``."""
    seen: set[str] = set()

    def bad(record_source: str, line: int | None, record_id: str, reason: str) -> None:
        report.bad_count += 1
        if len(report.bad_rows) < report.max_bad_rows_kept:
            report.bad_rows.append(BadRow(record_source, line, record_id, reason))

    for record in iter_records(
        sources,
        text_field=text_field,
        id_field=id_field,
        title_field=title_field,
        pattern="*.txt",
    ):
        if record.error is not None:
            bad(record.source, record.line, record.id, record.error)
            continue
        reason = rejection_reason(record.text)
        if reason is None and record.id in seen:
            reason = f"duplicate id {record.id!r}"
        if reason is not None:
            bad(record.source, record.line, record.id, reason)
            continue
        seen.add(record.id)
        assert record.text is not None
        yield record.id, split_paragraphs(record.text, max_paragraph_words)


def synthesize(
    sources: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    config: SynthConfig | None = None,
    limit: int | None = None,
    resume: bool = False,
    text_field: str = "text",
    id_field: str = "id",
    chunk_size: int = 100,
    jobs: int = 2,
    split: Sequence[float] | None = None,
    hold_out: Sequence[str] = (),
    held_out_mode: HeldOutMode = "file",
    apertium: Apertium | None = None,
    wordnet: Any = None,
    progress: Callable[[int], None] | None = None,
) -> SynthReport:
    """Write a labelled dataset built from clean documents; see the module docstring.

    Parameters
    ----------
    sources
        JSONL files (``.gz`` too), directories of ``.txt`` files, globs.
    out
        The dataset file (JSON lines).
    limit
        Use at most this many usable documents (counting those resumed).
    resume
        Keep the rows of an earlier run into ``out`` (or its ``.partial``
        file) and write only the missing ones. Use the same options.
    chunk_size
        Documents per engine call and per write.
    jobs
        Engine calls (pivot languages) run at the same time.
    split, hold_out, held_out_mode
        Fractions of train/dev/test (e.g. ``(0.8, 0.1, 0.1)``) to also write
        split files by group; see :func:`detector.synth.splits.write_splits`.
    apertium, wordnet
        Engines to use instead of the defaults (``Apertium()``, and WordNet from
        :func:`detector.synth.wordnet.load_wordnet`).
    progress
        Called with the number of documents done after each chunk.

    Raises
    ------
    ApertiumMissing, WordNetMissing
        Before anything is written, when a generator's engine is not installed.
    """
    config = config or SynthConfig()
    started = time.perf_counter()
    out_path = Path(out)
    report = SynthReport(output=out_path)
    hold_out = list(hold_out)
    if hold_out and split is None:
        raise ValueError("holding out kinds needs a split (train/dev/test fractions)")

    # Every engine is checked before the output is touched.
    engine = None
    if config.needs_apertium:
        engine = apertium or Apertium()
        engine.check(config.pivots)
    if config.needs_wordnet and wordnet is None:
        from detector.synth.wordnet import load_wordnet

        wordnet = load_wordnet()
    generators = _Generators(config, engine, wordnet)

    partial_path = out_path.with_name(out_path.name + ".partial")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    done_ids: set[str] = set()
    if resume and not partial_path.exists() and out_path.exists():
        shutil.copyfile(out_path, partial_path)
    if resume and partial_path.exists():
        done_ids, good_bytes = _read_existing(partial_path)
        with open(partial_path, "r+b") as earlier:
            earlier.truncate(good_bytes)
    mode = "a" if resume else "w"
    done_groups = {identifier.rsplit("#", 1)[0] for identifier in done_ids}

    pool = ThreadPoolExecutor(max_workers=max(1, jobs)) if config.needs_apertium else None
    try:
        with open(partial_path, mode, encoding="utf-8") as handle:
            chunk: list[_Document] = []

            def flush() -> None:
                for row in _process_chunk(chunk, generators, pool, report):
                    if row["id"] in done_ids:
                        continue
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                    report.rows += 1
                    report.kinds[row["kind"]] += 1
                handle.flush()
                chunk.clear()
                if progress is not None:
                    progress(report.documents)

            documents = iter_documents(
                sources,
                report,
                text_field=text_field,
                id_field=id_field,
                max_paragraph_words=config.max_paragraph_words,
            )
            for document_id, paragraphs in _limited(documents, limit):
                report.documents += 1
                tasks = plan(document_id, len(paragraphs), config)
                if document_id in done_groups:
                    # Only the rows not written yet are generated again (the
                    # original is always cheap to rebuild and is skipped on write).
                    tasks = [
                        task for task in tasks if row_id(document_id, task.kind) not in done_ids
                    ]
                    report.resumed_documents += 1
                chunk.append(_Document(document_id, paragraphs, tasks))
                if len(chunk) >= chunk_size:
                    flush()
            if chunk:
                flush()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    os.replace(partial_path, out_path)
    if split is not None:
        report.splits = write_splits(out_path, split, hold_out, held_out_mode)
    report.seconds = time.perf_counter() - started
    _write_meta(out_path, config, report, sources)
    return report


def _limited(
    items: Iterable[tuple[str, list[str]]], limit: int | None
) -> Iterator[tuple[str, list[str]]]:
    for count, item in enumerate(items):
        if limit is not None and count >= limit:
            return
        yield item


def _write_meta(
    out: Path, config: SynthConfig, report: SynthReport, sources: Sequence[str | os.PathLike[str]]
) -> None:
    """Describe the dataset in ``<out>.meta.json``: options, counts, hash (for model cards)."""
    kinds: Counter[str] = Counter()
    labels: Counter[int] = Counter()
    with open(out, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            kinds[row["kind"]] += 1
            labels[row["label"]] += 1
    meta = {
        "config": asdict(config),
        "sources": [os.fspath(source) for source in sources],
        "documents": report.documents,
        "rows": sum(kinds.values()),
        "labels": {str(label): count for label, count in sorted(labels.items())},
        "kinds": dict(sorted(kinds.items())),
        "bad_rows": report.bad_count,
        "sha256": file_sha256(out),
    }
    out.with_name(out.name + ".meta.json").write_text(json.dumps(meta, indent=2) + "\n")
