"""Score a chunk of records into rows: the work of every worker, local or on Dask.

A run (:func:`detector.batch.run_batch`) and a Dask cluster
(:mod:`detector.distributed`) hand chunks of records to workers; each worker
runs :func:`score_records` with a *scorer factory*, a small picklable,
hashable object whose ``build()`` returns something with a
``score_record(record) -> dict`` method (:class:`ScorerSpec` builds the real
:class:`detector.scoring.Scorer`). Each worker process builds the scorer once
and keeps it (:func:`scorer_for`), so a model is loaded once per worker, not
once per chunk.

>>> chunk = score_records([Record("a", "Hello", "s", 1)], CapitalsScorerSpec())
>>> [(row["id"], row["score"]) for row in chunk.rows], chunk.text_bytes
([('a', 0.2)], 5)
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple, Protocol

from detector.html import extract_record
from detector.readers import PAGE_FIELDS, Record, is_page_source
from detector.writers import ROW_FIELDS, row_value

__all__ = [
    "BatchError",
    "CapitalsScorerSpec",
    "PageColumns",
    "RecordScorer",
    "ScoredChunk",
    "ScorerFactory",
    "ScorerSpec",
    "error_row",
    "page_columns",
    "row_columns",
    "score_records",
    "scorer_for",
]

#: Records per chunk: large enough that process hand-offs cost little next to
#: scoring, small enough that a chunk of 3 KB documents stays around 1.5 MB.
DEFAULT_CHUNK_SIZE = 500
#: Records a scorer prepares at once (see :class:`RecordScorer`): enough for
#: the batched lookups to pay, few enough to keep their documents small in memory.
PREPARE_RECORDS = 32
#: The kept column that holds the text that was scored (``keep_text``).
TEXT_COLUMN = "text"


class BatchError(Exception):
    """A batch run that cannot start or go on; the message says what to do."""


class RecordScorer(Protocol):
    """What a scorer factory builds: ``score_record`` never raises, returns a row dict.

    A scorer may also have ``prepare(texts)``, called with each chunk's texts
    before they are scored one by one (the real scorer batches its
    language-model lookups there).
    """

    def score_record(self, record: Record) -> dict[str, Any]: ...


class ScorerFactory(Protocol):
    """A picklable, hashable recipe for a scorer, sent to every worker."""

    def build(self) -> RecordScorer: ...


@dataclass(frozen=True)
class ScorerSpec:
    """The real scorer: :meth:`detector.scoring.Scorer.load` with these arguments.

    Only the model's path travels to the workers; each loads the model itself
    (once, see :func:`scorer_for`), so the path must be readable there too.
    ``model=None`` is the model shipped with the package.
    """

    model: str | None = None
    threshold: float | None = None
    paragraphs: bool = True
    #: which rows carry evidence: "all", "spun" or "none"
    evidence: str = "all"

    def build(self) -> RecordScorer:
        from detector.scoring import Scorer

        scorer: RecordScorer = Scorer.load(
            self.model, threshold=self.threshold, paragraphs=self.paragraphs,
            evidence=self.evidence,
        )  # fmt: skip
        return scorer


@dataclass(frozen=True)
class CapitalsScorerSpec:
    """A stand-in scorer with no model: the share of letters that are capitals.

    It follows the row format of the real scorer and costs almost nothing, so
    it measures the engine itself (reading, hand-offs, writing) and serves the
    examples in this module. It detects nothing.

    >>> CapitalsScorerSpec().build().score_record(Record("a", "Hello", "s", 1))["score"]
    0.2
    """

    threshold: float = 0.5

    def build(self) -> RecordScorer:
        return _CapitalsScorer(self.threshold)


class _CapitalsScorer:
    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    def score_record(self, record: Record) -> dict[str, Any]:
        text = record.text or ""
        letters = sum(char.isalpha() for char in text)
        score = round(sum(char.isupper() for char in text) / letters, 6) if letters else 0.0
        return {
            "status": "ok",
            "score": score,
            "label": "spun" if score >= self.threshold else "clean",
            "paragraphs": [{"start": 0, "end": len(text), "score": score}],
        }


# One scorer per worker process, for the last factory seen: a worker serves
# one run at a time, and keeping older models would only hold memory.
_scorers: dict[Any, RecordScorer] = {}


def scorer_for(spec: ScorerFactory) -> RecordScorer:
    """The scorer ``spec`` builds, built once per process and then reused."""
    scorer = _scorers.get(spec)
    if scorer is None:
        scorer = spec.build()
        _scorers.clear()
        _scorers[spec] = scorer
    return scorer


def row_columns(spec: Any) -> tuple[str, ...]:
    """The row columns a scorer factory's rows have: its ``columns``, else :data:`ROW_FIELDS`.

    A factory whose scorer makes other rows than scores (``detector trace``)
    declares them; they must begin with ``id, source, line, status, error,
    warnings``.
    """
    return tuple(getattr(spec, "columns", ROW_FIELDS))


def error_row(
    record: Record, error: str | None = None, columns: Sequence[str] = ROW_FIELDS
) -> dict[str, Any]:
    """The row of a record that could not be scored (or, with ``record.status``, was not)."""
    row: dict[str, Any] = dict.fromkeys(columns)
    row.update(
        id=record.id,
        source=record.source,
        line=record.line,
        status=record.status or "error",
        error=error or record.error,
        warnings=list(record.warnings),
    )
    for name in columns:
        if name in _LIST_COLUMNS:
            row[name] = []
    return row


# Columns that hold lists: an empty list, never None, in every row.
_LIST_COLUMNS = frozenset({"evidence", "paragraphs", "substitutions", "candidates"})


def _complete_row(
    result: Any, record: Record, columns: Sequence[str] = ROW_FIELDS
) -> dict[str, Any]:
    """Every row field present, the record's identity authoritative.

    The machine-translation head's score comes out of the result's ``scores``
    (see :func:`~detector.writers.row_value`).
    """
    if not isinstance(result, dict):
        return error_row(record, f"scorer returned {type(result).__name__}, not a dict", columns)
    row = {name: row_value(result, name) for name in columns}
    row.update(id=record.id, source=record.source, line=record.line)
    if not isinstance(row["status"], str):
        row.update(status="error", error=row["error"] or "scorer returned no status")
    scorer_warnings = row["warnings"] or []
    row["warnings"] = list(record.warnings) + [
        warning for warning in scorer_warnings if warning not in record.warnings
    ]
    for name in columns:
        if name in _LIST_COLUMNS:
            row[name] = row[name] or []
    return row


class ScoredChunk(NamedTuple):
    """What a worker sends back: one row per record, and the text size scored."""

    rows: list[dict[str, Any]]
    text_bytes: int


def score_records(
    records: Sequence[Record], spec: ScorerFactory, keep: Sequence[str] = ()
) -> ScoredChunk:
    """Score a chunk of records into rows; the function every worker runs.

    Web pages are extracted first (:func:`detector.html.extract_record`).
    Records the reader could not read, or settled without scoring (``skipped``,
    ``no_text``), become rows without reaching the scorer; ``keep`` may name
    :data:`TEXT_COLUMN` for the text that was scored; a scorer that raises all
    the same costs its record, not the chunk.
    Building the scorer may raise (a missing model): that stops the run.
    """
    scorer = scorer_for(spec)
    columns = row_columns(spec)
    prepare = getattr(scorer, "prepare", None)
    rows = []
    text_bytes = 0
    # Web pages are extracted here, in the worker, not by the reader.
    records = [extract_record(record) for record in records]
    for index, record in enumerate(records):
        if prepare is not None and index % PREPARE_RECORDS == 0:
            group = records[index : index + PREPARE_RECORDS]
            # only a speed-up: should it fail, each record is scored on its own
            with contextlib.suppress(Exception):
                prepare([r.text for r in group if r.error is None and r.text is not None])
        if record.error is not None or record.text is None:
            row = error_row(record, record.error or "no text", columns)
        else:
            text_bytes += len(record.text.encode("utf-8", errors="replace"))
            try:
                row = _complete_row(scorer.score_record(record), record, columns)
            # The contract says never; all the same, one bad record must not sink a run.
            except Exception as error:
                row = error_row(record, f"scorer failed: {type(error).__name__}: {error}", columns)
        for name in keep:
            row[name] = record.text if name == TEXT_COLUMN else record.fields.get(name)
        rows.append(row)
    release_freed_memory()
    return ScoredChunk(rows, text_bytes)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None on a C library without it (macOS, musl)."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> None:
    """Give the memory that scoring freed back to the operating system (glibc only).

    A chunk's arrays of a few hundred kilobytes come and go; glibc keeps what
    they freed inside the process, scattered between blocks still in use, and
    a worker's resident memory creeps up with the run. Trimming after each
    chunk (cheap beside scoring the chunk) keeps it nearer to what the worker
    holds.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class PageColumns(NamedTuple):
    """The columns rows gain for web pages and ``keep_text``, after the row fields."""

    columns: tuple[str, ...]

    def of(self, record: Record) -> dict[str, Any]:
        """This record's values of the columns."""
        return {
            name: record.text if name == TEXT_COLUMN else record.fields.get(name)
            for name in self.columns
        }


def page_columns(
    sources: Sequence[str | os.PathLike[str]],
    *,
    glob: str = "*",
    html_field: str | None = None,
    input_format: str = "auto",
    keep_text: bool = False,
    page_fields: bool | None = None,
) -> PageColumns:
    """The extra columns of a run: page fields when the inputs are pages, then ``text``.

    >>> page_columns(["crawl.warc.gz"], keep_text=True).columns
    ('url', 'domain', 'warc_record_id', 'warc_offset', 'text')
    >>> page_columns(["docs.jsonl"]).columns
    ()
    """
    if page_fields is None:
        page_fields = (
            html_field is not None
            or input_format == "html"
            or any(is_page_source(source, glob) for source in sources)
        )
    return PageColumns(_with_page_columns((), page_fields=page_fields, text=keep_text))


def _with_page_columns(keep: tuple[str, ...], *, page_fields: bool, text: bool) -> tuple[str, ...]:
    """Kept columns with the page fields and the text added, each once, in order.

    >>> _with_page_columns(("url", "date"), page_fields=True, text=True)
    ('url', 'date', 'domain', 'warc_record_id', 'warc_offset', 'text')
    """
    extra = (*(PAGE_FIELDS if page_fields else ()), *((TEXT_COLUMN,) if text else ()))
    return keep + tuple(name for name in extra if name not in keep)
