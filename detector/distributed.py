"""Score on a Dask cluster: dataframes and bags partition by partition, or run_batch chunks.

Needs the ``dask`` extra (``pip install 'detector[dask]'``) on the client and
on every worker, with ``detector`` itself installed on the workers.

Two ways in:

- :func:`score_dataframe` and :func:`score_bag` score a ``dask.dataframe``
  text column or a ``dask.bag`` of rows where the data already lives, with
  ``map_partitions``; the result keeps the input's index, so it joins back.
- :func:`score_files` scores files where they are: one partition per file
  (a WARC archive, a JSONL file, ...), read and scored by the worker that
  gets it, so a list of WARC files is read in parallel, not on the client.
- ``run_batch(..., scheduler="tcp://host:8786")`` (or ``"local"`` for a
  ``LocalCluster``) reads files on the client as usual and sends chunks of
  records to the cluster through :class:`DaskChunkPool`; the output, its
  order and its resumability are those of a local run.

The model reaches each worker once: tasks carry only the small scorer
factory (e.g. :class:`detector.chunks.ScorerSpec`, a path and a threshold),
and each worker process builds the scorer on first use and keeps it
(:func:`detector.chunks.scorer_for`). :func:`warm_workers` does that up front,
so a model that cannot load fails at once rather than in the first task. The
model path must therefore be readable on the workers (the model shipped in
the package always is).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from typing import Any

from detector.chunks import (
    DEFAULT_CHUNK_SIZE,
    BatchError,
    ScorerFactory,
    page_columns,
    score_records,
    scorer_for,
)
from detector.readers import Record, record_from_row
from detector.writers import ROW_FIELDS

__all__ = [
    "DaskChunkPool",
    "rows_frame",
    "score_bag",
    "score_dataframe",
    "score_files",
    "score_frame",
]

# pandas dtypes of the result columns; everything else (text, lists) is object.
_DTYPES = {"line": "Int64", "score": "float64", "machine_translated_score": "float64"}


def _warm(spec: ScorerFactory) -> None:
    scorer_for(spec)


def warm_workers(client: Any, spec: ScorerFactory) -> None:
    """Build the scorer on every worker of ``client`` now (once per worker process)."""
    client.run(_warm, spec)


class DaskChunkPool:
    """Chunks of :func:`detector.batch.run_batch` scored on a Dask cluster.

    ``scheduler`` is ``"local"`` (a ``LocalCluster`` of ``workers``
    single-threaded processes, closed afterwards) or a scheduler address.
    """

    def __init__(
        self, spec: ScorerFactory, keep: Sequence[str], *, scheduler: str, workers: int
    ) -> None:
        self.spec, self.keep = spec, tuple(keep)
        self.scheduler, self.workers = scheduler, workers
        self.name = f"dask {scheduler}"
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> DaskChunkPool:
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:
            raise BatchError(
                "scoring on Dask needs dask and distributed: pip install 'detector[dask]'"
            ) from error
        try:
            if self.scheduler == "local":
                self.cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    # Any free port: a fixed one clashes with other clusters.
                    dashboard_address=":0",
                    silence_logs=logging.WARNING,
                )
                self.client = Client(self.cluster)
                self.name = f"dask LocalCluster, {self.workers} workers"
            else:
                self.client = Client(self.scheduler, timeout="30s")
        except (OSError, TimeoutError) as error:
            self.__exit__()
            raise BatchError(
                f"cannot reach the Dask scheduler {self.scheduler}: {error}"
            ) from error
        try:
            warm_workers(self.client, self.spec)
        except Exception as error:
            self.__exit__()
            raise BatchError(f"the Dask workers cannot build the scorer: {error}") from error
        return self

    def submit(self, chunk: list[Record]) -> Any:
        # pure=False: the same chunk twice is scored twice rather than hashed
        # (hashing megabytes of text per chunk costs more than it saves).
        return self.client.submit(score_records, chunk, self.spec, self.keep, pure=False)

    def __exit__(self, *exc_info: object) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def rows_frame(rows: Sequence[dict[str, Any]], columns: Sequence[str], index: Any = None) -> Any:
    """Result rows as a pandas DataFrame with fixed dtypes (also the Dask ``meta``)."""
    import pandas as pd

    data = {
        column: pd.Series(
            [row.get(column) for row in rows], dtype=_DTYPES.get(column, object), index=index
        )
        for column in columns
    }
    return pd.DataFrame(data, columns=list(columns), index=index)


def _records_of(
    rows: Sequence[Any],
    *,
    source: str,
    text_field: str,
    id_field: str,
    title_field: str | None,
) -> list[Record]:
    records = []
    for line, row in enumerate(rows, start=1):
        if isinstance(row, Record):
            records.append(row)
        elif isinstance(row, str):
            records.append(Record(f"{source}:{line}", row, source, line))
        else:
            records.append(
                record_from_row(
                    row,
                    source=source,
                    line=line,
                    text_field=text_field,
                    id_field=id_field,
                    title_field=title_field,
                )
            )
    return records


def score_frame(
    frame: Any,
    spec: ScorerFactory,
    *,
    text_column: str = "text",
    id_column: str = "id",
    title_column: str | None = None,
    keep: Sequence[str] = (),
    source: str = "dataframe",
    partition_info: dict[str, Any] | None = None,
) -> Any:
    """Score one pandas DataFrame (a partition): the result rows, on the same index.

    Rows are numbered within the partition; ``source`` gets the partition
    number when Dask passes it, so default ids stay unique.
    """
    if partition_info is not None:
        source = f"{source}/part-{partition_info['number']}"
    rows = frame.to_dict(orient="records")
    # Missing values arrive as float NaN; a missing id should fall back to the
    # default, a missing text should be reported as such.
    for row in rows:
        for name, value in row.items():
            if isinstance(value, float) and value != value:
                row[name] = None
    records = _records_of(
        rows, source=source, text_field=text_column, id_field=id_column, title_field=title_column
    )
    scored = score_records(records, spec, tuple(keep)).rows if records else []
    return rows_frame(scored, (*ROW_FIELDS, *keep), index=frame.index)


def score_dataframe(
    frame: Any,
    spec: ScorerFactory,
    *,
    text_column: str = "text",
    id_column: str = "id",
    title_column: str | None = None,
    keep: Sequence[str] = (),
    source: str = "dataframe",
) -> Any:
    """Score a ``dask.dataframe`` column, partition by partition (lazy).

    >>> import pandas as pd, dask.dataframe as dd
    >>> from detector.chunks import CapitalsScorerSpec
    >>> frame = dd.from_pandas(pd.DataFrame({"text": ["AB cd", "ab"]}), npartitions=2)
    >>> scored = score_dataframe(frame, CapitalsScorerSpec()).compute(scheduler="sync")
    >>> scored[["id", "score", "label"]].values.tolist()
    [['dataframe/part-0:1', 0.5, 'spun'], ['dataframe/part-1:1', 0.0, 'clean']]
    """
    columns = (*ROW_FIELDS, *keep)
    meta = rows_frame([], columns, index=frame._meta.index)
    return frame.map_partitions(
        score_frame,
        spec,
        text_column=text_column,
        id_column=id_column,
        title_column=title_column,
        keep=tuple(keep),
        source=source,
        meta=meta,
        align_dataframes=False,
    )


def _score_bag_partition(
    items: Sequence[Any],
    numbers: Sequence[int],
    spec: ScorerFactory,
    options: dict[str, Any],
    keep: tuple[str, ...],
) -> list[dict[str, Any]]:
    fields = {name: value for name, value in options.items() if name != "source"}
    source = f"{options['source']}/part-{numbers[0]}"
    records = _records_of(list(items), source=source, **fields)
    return score_records(records, spec, keep).rows if records else []


def score_bag(
    bag: Any,
    spec: ScorerFactory,
    *,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str | None = None,
    keep: Sequence[str] = (),
    source: str = "bag",
) -> Any:
    """Score a ``dask.bag`` of texts, row dicts or Records into a bag of result rows.

    >>> import dask.bag as db
    >>> from detector.chunks import CapitalsScorerSpec
    >>> bag = db.from_sequence(["AB cd", {"id": "x", "text": "ab"}], npartitions=2)
    >>> rows = score_bag(bag, CapitalsScorerSpec()).compute(scheduler="sync")
    >>> [(row["id"], row["score"]) for row in rows]
    [('bag/part-0:1', 0.5), ('x', 0.0)]
    """
    import dask.bag as db

    # A bag's map_partitions does not say which partition it runs on; a
    # second bag holding each partition's number, aligned with the first,
    # does, and keeps default ids unique across partitions.
    numbers = db.from_sequence(range(bag.npartitions), npartitions=bag.npartitions)
    options = {
        "source": source,
        "text_field": text_field,
        "id_field": id_field,
        "title_field": title_field,
    }
    return bag.map_partitions(_score_bag_partition, numbers, spec, options, tuple(keep))


def _score_file_partition(
    paths: Sequence[str],
    spec: ScorerFactory,
    options: dict[str, Any],
    columns: tuple[str, ...],
) -> list[dict[str, Any]]:
    from pathlib import Path

    from detector.readers import iter_file
    from detector.warc import STATUS_SKIPPED

    options = dict(options)
    keep_skipped = options.pop("keep_skipped")
    rows: list[dict[str, Any]] = []
    for path in paths:
        records = iter_file(Path(path), **options)
        while chunk := list(itertools.islice(records, DEFAULT_CHUNK_SIZE)):
            scored = score_records(chunk, spec, columns).rows
            rows.extend(row for row in scored if keep_skipped or row["status"] != STATUS_SKIPPED)
    return rows


def score_files(
    paths: Sequence[str],
    spec: ScorerFactory,
    *,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str | None = None,
    html_field: str | None = None,
    input_format: str = "auto",
    keep: Sequence[str] = (),
    keep_skipped: bool = False,
    keep_text: bool = False,
) -> Any:
    """Score files into a ``dask.bag`` of rows, one partition per file, read on the workers.

    The rows are those of ``run_batch`` on the same files (page columns
    included for web pages), in file order; the paths must be readable on
    the workers.

    >>> import tempfile, pathlib
    >>> from detector.chunks import CapitalsScorerSpec
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("AB cd")
    >>> _ = (folder / "b.txt").write_text("ab")
    >>> bag = score_files([str(folder / "a.txt"), str(folder / "b.txt")], CapitalsScorerSpec())
    >>> bag.npartitions, [row["score"] for row in bag.compute(scheduler="sync")]
    (2, [0.5, 0.0])
    """
    import dask.bag as db

    paths = [str(path) for path in paths]
    extra = page_columns(paths, html_field=html_field, input_format=input_format,
                         keep_text=keep_text)  # fmt: skip
    columns = tuple(keep) + tuple(name for name in extra.columns if name not in keep)
    options = {
        "text_field": text_field,
        "id_field": id_field,
        "title_field": title_field,
        "html_field": html_field,
        "input_format": input_format,
    }
    bag = db.from_sequence(paths, npartitions=max(1, len(paths)))
    return bag.map_partitions(
        _score_file_partition, spec, {**options, "keep_skipped": keep_skipped}, columns
    )
