"""Score corpora of millions of documents: chunks, worker processes, resumable output.

:func:`run_batch` reads every input (see :mod:`detector.readers`), cuts the
records into chunks, scores the chunks in worker processes (joblib's loky
executor, or a Dask cluster) and writes exactly one row per input record, in
input order, to a JSONL, CSV or Parquet file (see :mod:`detector.writers`).
A run's settings are one :class:`RunSettings` (the CLI builds it and calls
:func:`run`); what a worker does with a chunk is :mod:`detector.chunks`.

The engine knows nothing about the model: it takes a *scorer factory*, a small
picklable, hashable object whose ``build()`` returns something with a
``score_record(record) -> dict`` method (:class:`ScorerSpec` builds the real
:class:`detector.scoring.Scorer`). Each worker process builds the scorer once
and keeps it in a module-level cache, so a model is loaded once per worker,
not once per chunk, however many chunks or runs the worker serves.

Memory stays flat whatever the corpus size: records are read lazily and at
most ``max_in_flight`` chunks are between the reader and the writer at once
(queued, being scored, or scored and waiting for an earlier chunk so that
output keeps input order).

Resuming
--------
Beside the output, ``<out>.journal`` records every committed chunk: after the
chunk's rows are written and synced, one JSON line with the number of input
records done, the output position (bytes, or Parquet parts), the key
``(source, line, id)`` of the last record done and running counts. A run that
is killed leaves the output valid up to its last committed chunk (anything
after it is cut off on resume) and the journal saying where that is. With
``resume=True`` the inputs are read again, the records already done are
skipped (the last one's key is checked, so changed inputs are refused rather
than silently misaligned), and scoring continues. Records filtered out by
``min_score`` are counted in the journal too, so they are neither rescored
into duplicates nor lost. When the run completes the journal is removed.

``<out>.lock`` holds an exclusive ``fcntl`` lock for the whole run, so a
second run on the same output stops with an error instead of interleaving.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "docs.jsonl").write_text('{"id": "a", "text": "Hello."}\\n{broken\\n')
>>> summary = run_batch([folder / "docs.jsonl"], folder / "out.jsonl",
...                     spec=CapitalsScorerSpec(), jobs=1, progress="none")
>>> summary.records, summary.errors
(2, 1)
>>> [(row["line"], row["status"], row["score"]) for row in read_results(folder / "out.jsonl")]
[(1, 'ok', 0.2), (2, 'error', None)]
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from detector.chunks import (
    DEFAULT_CHUNK_SIZE,
    PREPARE_RECORDS,
    TEXT_COLUMN,
    BatchError,
    CapitalsScorerSpec,
    PageColumns,
    RecordScorer,
    ScoredChunk,
    ScorerFactory,
    ScorerSpec,
    error_row,
    page_columns,
    row_columns,
    score_records,
    scorer_for,
)
from detector.readers import (
    ReadProgress,
    Record,
    expand_sources,
    file_size,
    iter_expanded,
    iter_paths_from,
)
from detector.warc import STATUS_SKIPPED
from detector.writers import (
    ResultWriter,
    WriterError,
    fsync_directory,
    open_writer,
    output_format,
    read_results,
)

# The work of one chunk lives in detector.chunks (which detector.distributed
# uses too); its names stay importable from here.
__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "PREPARE_RECORDS",
    "TEXT_COLUMN",
    "BatchError",
    "CapitalsScorerSpec",
    "PageColumns",
    "RecordScorer",
    "ScoredChunk",
    "ScorerFactory",
    "ScorerSpec",
    "Summary",
    "error_row",
    "page_columns",
    "read_results",
    "row_columns",
    "run_batch",
    "score_records",
    "scorer_for",
]

#: Seconds between progress lines when standard error is not a terminal.
DEFAULT_LOG_INTERVAL = 30.0
JOURNAL_VERSION = 1


class BatchInterrupted(BatchError):
    """A run stopped by the user (Ctrl-C): what it kept, for the resume message."""

    def __init__(self, out: Path, records: int, rows: int, journal: Path) -> None:
        self.out, self.records, self.rows, self.journal = out, records, rows, journal
        super().__init__(
            f"interrupted: {records:,} input records done, {rows:,} rows kept in {out} "
            f"({journal} says where to go on)"
        )


def _key(record: Record) -> list[Any]:
    return [record.source, record.line, record.id]


@dataclass
class _State:
    """Running totals of one output, as the journal records them after each chunk."""

    records: int = 0
    rows: int = 0
    position: int = 0
    last: list[Any] | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    below_min_score: int = 0
    text_bytes: int = 0
    skipped_left_out: int = 0


class _Journal:
    """``<out>.journal``: a settings line, then one line per committed chunk."""

    def __init__(self, out: Path) -> None:
        self.path = out.with_name(out.name + ".journal")
        self._handle: IO[bytes] | None = None

    def exists(self) -> bool:
        return self.path.exists()

    def create(self, settings: dict[str, Any]) -> None:
        with open(self.path, "wb") as handle:
            handle.write(self._line({"journal": JOURNAL_VERSION, **settings}))
            handle.flush()
            os.fsync(handle.fileno())
        fsync_directory(self.path.parent)

    def load(self) -> tuple[dict[str, Any], _State]:
        """Settings and last committed state; a line torn by a crash is cut off."""
        with open(self.path, "rb") as handle:
            data = handle.read()
        good = 0
        entries = []
        for raw in data.splitlines(keepends=True):
            try:
                if not raw.endswith(b"\n"):
                    raise ValueError("torn line")
                entries.append(json.loads(raw))
            except ValueError:
                break
            good += len(raw)
        if not entries or entries[0].get("journal") != JOURNAL_VERSION:
            raise BatchError(f"{self.path} is not a journal this version of detector can resume")
        if good < len(data):
            with open(self.path, "r+b") as handle:
                handle.truncate(good)
                os.fsync(handle.fileno())
        settings = {k: v for k, v in entries[0].items() if k != "journal"}
        state = _State(**entries[-1]) if len(entries) > 1 else _State()
        return settings, state

    def open(self) -> None:
        self._handle = open(self.path, "ab")  # noqa: SIM115 - open for the whole run

    def append(self, state: _State) -> None:
        assert self._handle is not None
        self._handle.write(self._line(asdict(state)))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    @staticmethod
    def _line(entry: dict[str, Any]) -> bytes:
        return (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


class _OutputLock:
    """An exclusive ``flock`` on ``<out>.lock`` for the length of a run."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out.with_name(out.name + ".lock")
        self._descriptor: int | None = None

    def acquire(self) -> None:
        while True:
            try:
                descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as error:
                raise BatchError(f"cannot create {self.path}: {error.strerror}") from error
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(descriptor, 64).decode("ascii", "replace").strip()
                os.close(descriptor)
                who = f" (process {holder})" if holder else ""
                raise BatchError(
                    f"{self.out} is being written by another run{who}; wait for it to "
                    f"finish or write elsewhere (lock: {self.path})"
                ) from None
            # A run that finished between our open and our lock has removed the
            # file we locked: lock the new one instead.
            try:
                current = os.stat(self.path).st_ino
            except FileNotFoundError:
                current = -1
            if current == os.fstat(descriptor).st_ino:
                break
            os.close(descriptor)
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor is None:
            return
        # Unlink while still holding the lock, so nobody locks a file on its way out.
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._descriptor)
        self._descriptor = None


@dataclass
class Summary:
    """What a run did; ``records`` and the counts cover every run of this output."""

    output: str
    format: str
    #: Input records accounted for (scored, failed, or filtered by min_score).
    records: int
    rows_written: int
    spun: int
    clean: int
    #: Rows with status "error" (unreadable input, bad line, scorer failure).
    errors: int
    #: Rows by status: "ok", "error", and whatever else the scorer reports.
    statuses: dict[str, int]
    #: Scored records below ``min_score`` and therefore not written.
    below_min_score: int
    #: Records done by earlier, interrupted runs and skipped by this one.
    resumed_records: int
    records_this_run: int
    elapsed_seconds: float
    docs_per_second: float
    #: UTF-8 text scored per second by this run, in MB (10**6 bytes).
    megabytes_per_second: float
    jobs: int
    backend: str
    #: Skipped records (not pages: requests, images, ...) counted but not
    #: written, as without ``keep_skipped``.
    skipped_left_out: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format_text(self) -> str:
        """A few lines for people.

        >>> print(Summary("o.jsonl", "jsonl", 10, 9, 2, 7, 1, {"ok": 9, "error": 1}, 0, 0,
        ...               10, 2.0, 5.0, 0.015, 2, "joblib").format_text())
        10 records -> o.jsonl: 2 spun, 7 clean, 1 errors
        9 rows written
        2.0 s, 5.0 docs/s, 0.01 MB/s of text, 2 jobs (joblib)
        """
        others = ", ".join(
            f"{count:,} {status}"
            for status, count in sorted(self.statuses.items())
            if status not in ("ok", "error")
        )
        written = f"{self.rows_written:,} rows written"
        if self.below_min_score:
            written += f" ({self.below_min_score:,} below min_score left out)"
        if self.skipped_left_out:
            written += f" ({self.skipped_left_out:,} skipped records left out)"
        if self.resumed_records:
            written += f"; {self.resumed_records:,} records done by an earlier run"
        lines = [
            f"{self.records:,} records -> {self.output}: {self.spun:,} spun, "
            f"{self.clean:,} clean, {self.errors:,} errors" + (f", {others}" if others else ""),
            written,
            f"{self.elapsed_seconds:.1f} s, {self.docs_per_second:,.1f} docs/s, "
            f"{self.megabytes_per_second:.2f} MB/s of text, {self.jobs} jobs ({self.backend})",
        ]
        return "\n".join(lines)


def _format_duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class _Reporter:
    """Progress: a rich bar on a terminal, periodic plain lines otherwise, or nothing."""

    def __init__(self, mode: str, stream: IO[str], log_interval: float) -> None:
        if mode == "auto":
            mode = "bar" if stream.isatty() else "log"
        self.mode = mode
        self.stream = stream
        self.log_interval = log_interval
        self.total_bytes: int | None = None
        self._started = time.monotonic()
        self._first: tuple[float, int] | None = None
        self._last_log = self._started
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _Reporter:
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            self._bar = Progress(
                TextColumn("scoring"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[status]}"),
                console=Console(file=self.stream),
                refresh_per_second=4,
            )
            self._bar.start()
            self._task = self._bar.add_task("scoring", total=None, status="starting")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def _status(self, records: int, text_bytes: int, bytes_read: int) -> tuple[str, float | None]:
        now = time.monotonic()
        elapsed = max(now - self._started, 1e-9)
        rate = records / elapsed
        megabytes = text_bytes / elapsed / 1e6
        parts = [f"{records:,} docs", f"{rate:,.0f} docs/s", f"{megabytes:.1f} MB/s"]
        share = None
        if self.total_bytes:
            share = min(1.0, bytes_read / self.total_bytes)
            if self._first is None:
                self._first = (now, bytes_read)
            first_time, first_bytes = self._first
            if now > first_time and bytes_read > first_bytes:
                speed = (bytes_read - first_bytes) / (now - first_time)
                parts.append(f"ETA {_format_duration((self.total_bytes - bytes_read) / speed)}")
        return " · ".join(parts), share

    def update(self, records: int, text_bytes: int, bytes_read: int) -> None:
        if self.mode == "none":
            return
        status, share = self._status(records, text_bytes, bytes_read)
        if self._bar is not None:
            self._bar.update(
                self._task,
                total=self.total_bytes,
                completed=bytes_read if self.total_bytes else records,
                status=status,
            )
        elif self.mode == "log" and time.monotonic() - self._last_log >= self.log_interval:
            self._last_log = time.monotonic()
            done = f", {share:.0%} of input" if share is not None else ""
            self.stream.write(f"detector: {status.replace(' · ', ', ')}{done}\n")
            self.stream.flush()

    def summary(self, summary: Summary) -> None:
        if self.mode != "none":
            self.stream.write(summary.format_text() + "\n")
            self.stream.flush()


class _InlinePool:
    """Scoring in this process, for ``jobs=1``: no start-up, no pickling."""

    name = "inline"

    def __init__(self, spec: ScorerFactory, keep: Sequence[str]) -> None:
        self.spec, self.keep = spec, tuple(keep)

    def submit(self, chunk: list[Record]) -> Future[ScoredChunk]:
        future: Future[ScoredChunk] = Future()
        try:
            future.set_result(score_records(chunk, self.spec, self.keep))
        except Exception as error:
            future.set_exception(error)
        return future

    def close(self) -> None:
        pass


class _LokyPool:
    """joblib's reusable loky executor: worker processes that outlive one run."""

    def __init__(self, spec: ScorerFactory, keep: Sequence[str], jobs: int) -> None:
        from joblib.externals.loky import get_reusable_executor

        self.spec, self.keep = spec, tuple(keep)
        self.name = "joblib"
        self.executor = get_reusable_executor(max_workers=jobs)

    def submit(self, chunk: list[Record]) -> Future[ScoredChunk]:
        future: Future[ScoredChunk] = self.executor.submit(
            score_records, chunk, self.spec, self.keep
        )
        return future

    def close(self) -> None:
        # The executor is kept for the next run (its workers keep their
        # scorer); loky shuts it down when the interpreter exits.
        pass

    def abort(self) -> None:
        """Stop the workers at once, dropping whatever they were scoring."""
        self.executor.shutdown(wait=False, kill_workers=True)


def _resolve_jobs(jobs: int | None) -> int:
    """Worker count: None for every core, negative counts back as in joblib.

    >>> _resolve_jobs(3)
    3
    """
    from joblib import cpu_count

    cores = cpu_count()
    if jobs is None:
        return cores
    if jobs == 0:
        raise ValueError("jobs must be a positive number of workers, or negative as in joblib")
    return jobs if jobs > 0 else max(1, cores + 1 + jobs)


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _skip_done(records: Iterable[Record], state: _State, journal: Path) -> Iterator[Record]:
    """The records after the ``state.records`` an earlier run finished."""
    iterator = iter(records)
    if state.records:
        # Only counted, never kept: a resume may skip millions of records.
        skipped = sum(1 for _ in itertools.islice(iterator, state.records - 1))
        last = next(iterator, None)
        if last is None:
            raise BatchError(
                f"the inputs hold {skipped} records "
                f"but {journal} says {state.records} were done: "
                "the inputs changed since the interrupted run"
            )
        if _key(last) != state.last:
            raise BatchError(
                f"record {state.records} of the inputs is {_key(last)}, but {journal} says "
                f"{state.last}: the inputs changed since the interrupted run "
                "(pass the same sources, or overwrite to start again)"
            )
    yield from iterator


def _passes(row: dict[str, Any], min_score: float | None, keep_skipped: bool = False) -> bool:
    """Whether a row is written: below-threshold scored rows and, unless
    ``keep_skipped``, skipped records are left out, nothing else."""
    if row["status"] == STATUS_SKIPPED:
        return keep_skipped
    if min_score is None or row["status"] != "ok" or row["score"] is None:
        return True
    return bool(row["score"] >= min_score)


def _measure_inputs(
    sources: Sequence[str | os.PathLike[str]],
    paths_file: Path | None,
    glob: str,
    reporter: _Reporter,
    stop: threading.Event,
) -> None:
    """Total size of the inputs, for the ETA; runs beside the reading, never blocks it."""
    listed: Iterable[str | os.PathLike[str]] = sources
    with contextlib.ExitStack() as stack:
        if paths_file is not None:
            handle = stack.enter_context(open(paths_file, encoding="utf-8", errors="replace"))
            listed = itertools.chain(sources, iter_paths_from(handle))
        total = 0
        for item in expand_sources(listed, glob):
            if stop.is_set():
                return
            if isinstance(item, Path):
                total += file_size(item)
    reporter.total_bytes = total


@dataclass(frozen=True)
class RunSettings:
    """Everything a batch run is told; the CLI builds one, :func:`run_batch` too.

    A run reads records (:func:`_read_records`), scores them chunk by chunk in
    a pool of workers (:func:`_score_chunks`) and writes their rows with the
    journal that makes the run resumable (:class:`_Commit`); :func:`run`
    joins the three. The fields are the parameters of :func:`run_batch`.

    >>> RunSettings(("docs.jsonl",), Path("out.jsonl"), CapitalsScorerSpec()).in_flight(2)
    6
    """

    sources: tuple[str, ...]
    out: Path
    spec: ScorerFactory
    jobs: int | None = None
    chunk_size: int = DEFAULT_CHUNK_SIZE
    resume: bool = False
    overwrite: bool = False
    keep: tuple[str, ...] = ()
    min_score: float | None = None
    text_field: str = "text"
    id_field: str = "id"
    title_field: str | None = None
    glob: str = "*"
    paths_from: str | os.PathLike[str] | IO[str] | None = None
    scheduler: str | None = None
    progress: str = "auto"
    summary_json: str | os.PathLike[str] | None = None
    max_in_flight: int | None = None
    stdin: IO[str] | None = None
    stream: IO[str] | None = None
    log_interval: float = DEFAULT_LOG_INTERVAL
    html_field: str | None = None
    input_format: str = "auto"
    keep_skipped: bool = False
    keep_text: bool = False
    page_fields: bool | None = None

    def __post_init__(self) -> None:
        output_format(self.out)
        if self.chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        if self.progress not in ("auto", "bar", "log", "none"):
            raise ValueError(f"progress must be auto, bar, log or none, not {self.progress!r}")
        clashes = sorted(set(self.keep) & set(row_columns(self.spec)))
        if clashes:
            raise ValueError(f"cannot keep {', '.join(clashes)}: the row has a column of that name")
        if self.paths_from is not None and "-" in self.sources and _is_stdin(self.paths_from):
            raise ValueError("standard input cannot be both a document and a list of paths")
        if self.max_in_flight is not None and self.max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")

    def kept_columns(self) -> tuple[str, ...]:
        """The kept input fields, then the page columns the inputs call for."""
        extra = page_columns(
            self.sources, glob=self.glob, html_field=self.html_field,
            input_format=self.input_format, keep_text=self.keep_text,
            page_fields=self.page_fields,
        )  # fmt: skip
        return self.keep + tuple(name for name in extra.columns if name not in self.keep)

    def in_flight(self, jobs: int) -> int:
        """Chunks between reader and writer at once."""
        return self.max_in_flight if self.max_in_flight is not None else 2 * jobs + 2

    def journal_settings(self, writer: ResultWriter) -> dict[str, Any]:
        """What the journal records, and a resumed run must share."""
        settings = {
            "format": writer.format,
            "columns": list(writer.columns),
            "min_score": self.min_score,
            "text_field": self.text_field,
            "id_field": self.id_field,
            "title_field": self.title_field,
            "glob": self.glob,
            "scorer": repr(self.spec),
        }
        # Recorded only when set, so that runs begun before these options
        # existed can still be resumed.
        page_settings = {"html_field": self.html_field, "input_format": self.input_format,
                         "keep_skipped": self.keep_skipped}  # fmt: skip
        settings.update(
            (name, value)
            for name, value in page_settings.items()
            if value not in (None, "auto", False)
        )
        return settings


def run_batch(
    sources: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    spec: ScorerFactory,
    keep: Sequence[str] = (),
    **options: Any,
) -> Summary:
    """Score every record of ``sources`` into ``out``, one row per record, in order.

    Parameters
    ----------
    sources
        Files, directories (searched recursively for ``glob``), glob patterns
        and ``"-"`` (one document on standard input), in any mix.
    out
        ``.jsonl``/``.ndjson``, ``.csv`` or ``.parquet``/``.pq``; written
        chunk by chunk so that an interrupted run leaves it valid.
    spec
        Scorer factory: :class:`ScorerSpec` for the real model, anything
        picklable and hashable with ``build()`` otherwise.
    jobs
        Worker processes (``None``: every core; ``-2``: all but one). ``1``
        scores in this process. With a Dask ``scheduler``, the workers of a
        local cluster.
    chunk_size
        Records sent to a worker at a time.
    resume
        Finish an interrupted run on ``out`` (see the module docstring); with
        no earlier run, start one.
    overwrite
        Replace an existing ``out`` (and any unfinished run on it). Without
        ``resume`` or ``overwrite``, an existing ``out`` is an error.
    keep
        Input fields copied into every row after the row fields.
    min_score
        Write only scored rows at or above this score; rows that are not
        ``ok`` (errors, too short, ...) are always written.
    text_field, id_field, title_field
        Field names in JSONL, CSV and Parquet inputs.
    glob
        File name pattern for directories.
    paths_from
        More sources, one path a line: a file, ``"-"`` for standard input, or
        an open text stream (read lazily, so millions of paths are fine).
    scheduler
        ``None`` for local processes (joblib/loky); ``"local"`` for a Dask
        ``LocalCluster`` of ``jobs`` workers; a scheduler address such as
        ``"tcp://host:8786"`` for a running Dask cluster.
    progress
        ``"auto"`` (a bar on a terminal, a line every ``log_interval`` seconds
        otherwise), ``"bar"``, ``"log"`` or ``"none"``. The summary is
        printed at the end unless ``"none"``.
    summary_json
        Also write the summary to this file, as JSON.
    max_in_flight
        Chunks between reader and writer at once (default ``2 * jobs + 2``);
        memory use is about ``max_in_flight * chunk_size`` documents.
    stdin, stream
        Standard input and the progress stream (default ``sys.stderr``).
    html_field, input_format
        A field of JSONL/CSV/Parquet rows that holds a web page; or
        ``"html"``: every input is a page (the text field of rows too).
        ``.html``, ``.warc`` and WET files are pages by their names.
    keep_skipped
        Write ``skipped`` rows for WARC records that are not pages (requests,
        images, redirects, ...); by default they are only counted.
    keep_text
        Also write the text that was scored (for a page, the extracted
        text, to which the evidence offsets refer) as a ``text`` column.
    page_fields
        Add the columns of web pages (:data:`~detector.readers.PAGE_FIELDS`:
        ``url``, ``domain``, ``warc_record_id``, ``warc_offset``); by
        default when the sources, the glob or the options name pages.

    Returns
    -------
    Summary
        Counts over every run of this output, speed of this run.

    Raises
    ------
    BatchError
        The output is locked by another run, exists already, cannot be
        written (the file keeps every chunk committed before), its journal
        does not match the inputs or settings, or scoring itself failed
        (e.g. the model could not be loaded).
    ValueError
        Arguments that make no sense (unknown output suffix, ``chunk_size``
        below 1, a kept field that clashes with a row field).
    """
    settings = RunSettings(
        tuple(str(os.fspath(source)) for source in sources), Path(out), spec,
        keep=tuple(keep), **options,
    )  # fmt: skip
    return run(settings)


def run(settings: RunSettings) -> Summary:
    """Score every record of a run's sources into its output; see :func:`run_batch`."""
    out, keep = settings.out, settings.kept_columns()
    jobs = _resolve_jobs(settings.jobs)
    writer = open_writer(out, keep, row_columns(settings.spec))
    try:
        writer.check()
    except WriterError as error:
        raise BatchError(str(error)) from error
    lock, journal = _OutputLock(out), _Journal(out)
    lock.acquire()
    try:
        state = _prepare(
            writer, journal, settings.journal_settings(writer),
            resume=settings.resume, overwrite=settings.overwrite,
        )  # fmt: skip
        resumed = state.records
        try:
            writer.open(state.position)
            journal.open()
        except (WriterError, OSError) as error:
            if not state.records:  # nothing committed: leave no run to resume
                journal.remove()
            raise BatchError(str(error)) from error
        stream = settings.stream if settings.stream is not None else sys.stderr
        reporter = _Reporter(settings.progress, stream, settings.log_interval)
        started = time.monotonic()
        with contextlib.ExitStack() as stack:
            records, read_progress = _read_records(settings, reporter, stack)
            pool = stack.enter_context(_open_pool(settings.spec, keep, jobs, settings.scheduler))
            stack.enter_context(reporter)
            commit = _Commit(settings, writer, journal, state, reporter, resumed)
            chunks = _chunks(_skip_done(records, state, journal.path), settings.chunk_size)
            _score_chunks(chunks, pool, settings.in_flight(jobs), read_progress, commit)
        try:
            writer.finish()
        except WriterError as error:
            raise BatchError(str(error)) from error
        journal.remove()
        elapsed = time.monotonic() - started
    finally:
        writer.close()
        journal.close()
        lock.release()
    summary = _summary(settings, writer.format, state, resumed, commit.text_bytes, elapsed,
                       jobs, pool.name)  # fmt: skip
    if settings.summary_json is not None:
        _write_json_atomically(Path(settings.summary_json), summary.to_dict())
    reporter.summary(summary)
    return summary


def _read_records(
    settings: RunSettings, reporter: _Reporter, stack: contextlib.ExitStack
) -> tuple[Iterator[Record], ReadProgress]:
    """The records of every source, read lazily; their total size measured beside."""
    paths_stream, paths_file = _paths_stream(settings.paths_from, settings.stdin, stack)
    listed: Iterable[str] = settings.sources
    if paths_stream is not None:
        listed = itertools.chain(settings.sources, iter_paths_from(paths_stream))
    read_progress = ReadProgress()
    records = iter_expanded(
        expand_sources(listed, settings.glob),
        text_field=settings.text_field,
        id_field=settings.id_field,
        title_field=settings.title_field,
        stdin=settings.stdin,
        progress=read_progress,
        html_field=settings.html_field,
        input_format=settings.input_format,
    )
    stop = threading.Event()
    stack.callback(stop.set)
    if paths_stream is None or paths_file is not None:
        threading.Thread(
            target=_measure_inputs,
            args=(settings.sources, paths_file, settings.glob, reporter, stop),
            daemon=True,
        ).start()
    return records, read_progress


def _score_chunks(
    chunks: Iterable[list[Record]],
    pool: Any,
    in_flight: int,
    read_progress: ReadProgress,
    commit: _Commit,
) -> None:
    """Send chunks to the pool, at most ``in_flight`` at once, and commit them in order."""
    pending: deque[tuple[Future[ScoredChunk], int, list[Any], int]] = deque()
    try:
        for chunk in chunks:
            read_to = read_progress.bytes_read
            pending.append((pool.submit(chunk), len(chunk), _key(chunk[-1]), read_to))
            del chunk
            while len(pending) >= in_flight:
                commit(*pending.popleft())
        while pending:
            commit(*pending.popleft())
    except KeyboardInterrupt:
        # Stop the workers now rather than let them finish chunks that
        # will be scored again on resume.
        abort = getattr(pool, "abort", None)
        if abort is not None:
            abort()
        state, out = commit.state, commit.settings.out
        raise BatchInterrupted(out, state.records, state.rows, commit.journal.path) from None
    finally:
        for future, *_ in pending:
            future.cancel()


class _Commit:
    """Writes a scored chunk's rows, then the journal line that commits them."""

    def __init__(
        self,
        settings: RunSettings,
        writer: ResultWriter,
        journal: _Journal,
        state: _State,
        reporter: _Reporter,
        resumed: int,
    ) -> None:
        self.settings, self.writer, self.journal = settings, writer, journal
        self.state, self.reporter, self.resumed = state, reporter, resumed
        #: Bytes of text scored by this run.
        self.text_bytes = 0

    def __call__(
        self, future: Future[ScoredChunk], size: int, key: list[Any], bytes_read: int
    ) -> None:
        state, settings = self.state, self.settings
        try:
            scored = future.result()
        except Exception as error:
            raise BatchError(
                f"scoring failed after {state.records:,} records: "
                f"{type(error).__name__}: {error}; fix the cause and resume"
            ) from error
        keep_skipped = settings.keep_skipped
        written = [row for row in scored.rows if _passes(row, settings.min_score, keep_skipped)]
        skipped = sum(row["status"] == STATUS_SKIPPED for row in scored.rows)
        left_out = 0 if keep_skipped else skipped
        try:
            position = self.writer.write_chunk(written)
        except WriterError as error:
            raise BatchError(
                f"{error}; {settings.out} keeps the {state.rows:,} rows committed before, "
                "resume once the cause is fixed"
            ) from error
        state.records += size
        state.rows += len(written)
        state.position = position
        state.last = key
        state.statuses = dict(Counter(state.statuses) + Counter(r["status"] for r in scored.rows))
        labels = Counter(row["label"] for row in scored.rows if row.get("label"))
        state.labels = dict(Counter(state.labels) + labels)
        state.below_min_score += len(scored.rows) - len(written) - left_out
        state.skipped_left_out += left_out
        state.text_bytes += scored.text_bytes
        self.text_bytes += scored.text_bytes
        try:
            self.journal.append(state)
        except OSError as error:
            raise BatchError(
                f"cannot write {self.journal.path}: {error.strerror}; resume once fixed"
            ) from error
        # Input read up to this chunk's last record, not the reader's
        # position: it runs up to max_in_flight chunks ahead.
        self.reporter.update(state.records - self.resumed, self.text_bytes, bytes_read)


def _summary(
    settings: RunSettings,
    format_name: str,
    state: _State,
    resumed: int,
    text_bytes: int,
    elapsed: float,
    jobs: int,
    backend: str,
) -> Summary:
    """The summary of a finished run: counts over every run of the output, speed of this one."""
    this_run = state.records - resumed
    return Summary(
        output=str(settings.out),
        format=format_name,
        records=state.records,
        rows_written=state.rows,
        spun=state.labels.get("spun", 0),
        clean=state.labels.get("clean", 0),
        errors=state.statuses.get("error", 0),
        statuses=dict(sorted(state.statuses.items())),
        below_min_score=state.below_min_score,
        skipped_left_out=state.skipped_left_out,
        resumed_records=resumed,
        records_this_run=this_run,
        elapsed_seconds=round(elapsed, 3),
        docs_per_second=round(this_run / elapsed, 1) if elapsed > 0 else 0.0,
        megabytes_per_second=round(text_bytes / elapsed / 1e6, 3) if elapsed > 0 else 0.0,
        jobs=jobs,
        backend=backend,
    )


def _is_stdin(paths_from: str | os.PathLike[str] | IO[str]) -> bool:
    return isinstance(paths_from, str | os.PathLike) and os.fspath(paths_from) == "-"


def _paths_stream(
    paths_from: str | os.PathLike[str] | IO[str] | None,
    stdin: IO[str] | None,
    stack: contextlib.ExitStack,
) -> tuple[IO[str] | None, Path | None]:
    """The stream of listed paths, and its file when it can be read a second time."""
    if paths_from is None:
        return None, None
    if _is_stdin(paths_from):
        return (stdin if stdin is not None else sys.stdin), None
    if isinstance(paths_from, str | os.PathLike):
        path = Path(paths_from)
        try:
            handle = stack.enter_context(open(path, encoding="utf-8", errors="replace"))  # noqa: SIM115
        except OSError as error:
            raise BatchError(f"cannot read the list of paths {path}: {error.strerror}") from error
        return handle, path
    return paths_from, None


def _prepare(
    writer: ResultWriter,
    journal: _Journal,
    settings: dict[str, Any],
    *,
    resume: bool,
    overwrite: bool,
) -> _State:
    """Decide between a fresh run and a resumed one; return the committed state."""
    out = writer.path
    if journal.exists() and resume and not overwrite:
        try:
            recorded, state = journal.load()
        except OSError as error:
            raise BatchError(f"cannot read {journal.path}: {error.strerror}") from error
        changed = sorted(
            k for k in set(settings) | set(recorded) if recorded.get(k) != settings.get(k)
        )
        if changed:
            details = "; ".join(
                f"{k}: {recorded.get(k)!r} then, {settings.get(k)!r} now" for k in changed
            )
            raise BatchError(
                f"cannot resume {out} with different settings ({details}); "
                "use the same ones, or overwrite to start again"
            )
        if state.position and not writer.exists():
            raise BatchError(
                f"{journal.path} says {state.rows:,} rows were written but {out} is gone; "
                "overwrite to start again"
            )
        return state
    if journal.exists() and not overwrite:
        raise BatchError(
            f"{out} holds an unfinished run ({journal.path}): resume to finish it, "
            "or overwrite to start again"
        )
    if not journal.exists() and writer.exists() and not overwrite:
        if resume:
            raise BatchError(
                f"{out} exists but has no journal ({journal.path}): it is complete, or was "
                "not written by detector; nothing to resume (overwrite to score again)"
            )
        raise BatchError(f"{out} already exists: overwrite it, or resume an unfinished run")
    try:
        writer.remove()
        journal.remove()
        journal.create(settings)
    except OSError as error:
        raise BatchError(f"cannot start {out}: {error.strerror}") from error
    return _State()


@contextlib.contextmanager
def _open_pool(
    spec: ScorerFactory, keep: Sequence[str], jobs: int, scheduler: str | None
) -> Iterator[Any]:
    if scheduler is not None:
        from detector.distributed import DaskChunkPool

        with DaskChunkPool(spec, keep, scheduler=scheduler, workers=jobs) as dask_pool:
            yield dask_pool
        return
    pool: _InlinePool | _LokyPool = (
        _InlinePool(spec, keep) if jobs == 1 else _LokyPool(spec, keep, jobs)
    )
    try:
        yield pool
    finally:
        pool.close()


def _write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BatchError(f"cannot write the summary {path}: {error.strerror}") from error
