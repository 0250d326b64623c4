"""Write scored rows to JSONL, CSV or Parquet so that a crash never spoils the file.

A batch run over millions of documents is interrupted sooner or later (a
killed job, a full disk, a lost machine), so every writer here commits rows a
chunk at a time and can reopen a file at the last committed *position*:

- **JSONL and CSV** append each chunk with a single ``write`` followed by
  ``fsync``; the position is the file size after the chunk. A chunk that fails
  half-way (disk full) is cut off again at once, and a torn tail left by a
  crash (a chunk written but never recorded as committed, or half a line after
  a power cut) is cut off when the file is reopened at its position. Nested
  values (warnings, evidence, paragraphs) are JSON text in CSV cells.
- **Parquet** cannot be appended to, so each chunk becomes its own small
  Parquet file in ``<out>.parts/`` (written to a temporary name, synced, then
  renamed, so a part is whole or absent); the position is the number of
  parts. :meth:`ParquetResultWriter.finish` merges the parts into ``<out>`` in
  order (again through a temporary file and a rename) and removes them. Until
  then the parts folder is itself a valid Parquet dataset that pandas, pyarrow
  or Spark read directly.

Every format writes the same columns: :data:`ROW_FIELDS` and then the input
fields the user asked to keep, which are written as text in CSV and Parquet
(non-string values JSON-encoded) so that every chunk has the same schema.
A scorer's result nests the machine-translation head's probability in
``scores``; rows carry it flat, as ``machine_translated_score`` (see
:func:`row_value`), empty for a model without a head.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
>>> writer = open_writer(path, keep=["url"])
>>> writer.open(0)
>>> writer.write_chunk([{"id": "a", "status": "ok", "score": 0.9, "url": "http://x"}])
211
>>> writer.close()
>>> [(row["id"], row["score"], row["url"]) for row in read_results(path)]
[('a', 0.9, 'http://x')]
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import shutil
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

#: Columns of every result row, in order; kept input fields follow them.
ROW_FIELDS = (
    "id",
    "source",
    "line",
    "status",
    "error",
    "warnings",
    "score",
    "label",
    "machine_translated_score",
    "evidence",
    "paragraphs",
)
#: Row columns taken from the scorer result's ``scores``, and the key of each
#: there: the machine-translation head's probability (``score`` is the main
#: model's, so ``scores["spun"]`` needs no column of its own).
SCORES_COLUMNS = {"machine_translated_score": "machine_translated"}
#: Columns that hold lists, JSON-encoded in CSV cells.
NESTED_FIELDS = frozenset({"warnings", "evidence", "paragraphs"})
#: Output formats by file suffix.
OUTPUT_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
# Columns outside ROW_FIELDS with a Parquet type of their own (detector
# trace); other columns are text, nested values JSON-encoded.
_TYPED_COLUMNS = frozenset({"similarity", "changed_share"})
#: Rows per row group when Parquet parts are merged: parts hold one chunk
#: each, far too few rows for efficient column scans.
MERGED_ROW_GROUP_ROWS = 20_000


class WriterError(Exception):
    """Rows could not be written; the file still holds every committed chunk."""


def output_format(path: str | os.PathLike[str]) -> str:
    """The format written to ``path``, from its suffix.

    >>> output_format("results.parquet"), output_format("out/RESULTS.JSONL")
    ('parquet', 'jsonl')
    >>> output_format("results.json")
    Traceback (most recent call last):
    ...
    ValueError: cannot write results.json: the name must end in .jsonl, .ndjson, .csv, .parquet, .pq
    """
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise ValueError(
            f"cannot write {os.fspath(path)}: the name must end in {', '.join(OUTPUT_FORMATS)}"
        )
    return OUTPUT_FORMATS[suffix]


def _json_default(value: Any) -> Any:
    """Encode values JSON has no type for (dates from Parquet inputs, numpy numbers)."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def fsync_directory(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (a no-op where unsupported)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems refuse fsync on folders
        pass
    finally:
        os.close(descriptor)


def row_value(row: dict[str, Any], column: str) -> Any:
    """The value of ``column`` in a scorer's result or a written row.

    A column of :data:`SCORES_COLUMNS` comes from the result's ``scores``
    when the row has no such column yet; None when there are no ``scores``
    (a model without a machine-translation head, or a text not scored).

    >>> result = {"score": 0.9, "scores": {"spun": 0.9, "machine_translated": 0.2}}
    >>> row_value(result, "machine_translated_score"), row_value(result, "score")
    (0.2, 0.9)
    >>> row_value({"score": 0.9}, "machine_translated_score") is None
    True
    """
    if column in SCORES_COLUMNS and column not in row:
        scores = row.get("scores")
        return scores.get(SCORES_COLUMNS[column]) if isinstance(scores, dict) else None
    return row.get(column)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return f"{type(error).__name__}: {error}"


class ResultWriter(ABC):
    """Commits chunks of rows to one output; see the module docstring."""

    format = ""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self.columns = tuple(columns)

    def check(self) -> None:
        """Raise :class:`WriterError` when this output cannot be written here at all.

        Called before a run leaves anything on disk (a journal, a lock), so a
        missing library does not leave behind a run that cannot be finished.
        JSONL and CSV need nothing beyond the standard library.
        """
        return None

    @abstractmethod
    def open(self, position: int) -> None:
        """Open the output for appending after ``position``, dropping anything beyond it."""

    @abstractmethod
    def write_chunk(self, rows: Sequence[dict[str, Any]]) -> int:
        """Write and sync ``rows``; return the new committed position.

        Raises :class:`WriterError` after restoring the previous position.
        """

    def finish(self) -> None:
        """Make the output final (only Parquet has anything left to do)."""
        self.close()

    @abstractmethod
    def close(self) -> None:
        """Release the file; committed rows stay."""

    def remove(self) -> None:
        """Delete the output and anything it left beside itself."""
        self.path.unlink(missing_ok=True)

    def exists(self) -> bool:
        """Whether an output (or part of one) is already there."""
        return self.path.exists()

    def _select(self, row: dict[str, Any]) -> dict[str, Any]:
        return {column: row_value(row, column) for column in self.columns}


class _AppendingWriter(ResultWriter):
    """JSONL and CSV: rows are bytes appended to one file."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        super().__init__(path, columns)
        self._descriptor: int | None = None
        self._position = 0

    def _header(self) -> bytes:
        return b""

    @abstractmethod
    def _encode(self, rows: Sequence[dict[str, Any]]) -> bytes: ...

    def open(self, position: int) -> None:
        created = not self.path.exists()
        try:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise WriterError(f"cannot open {self.path}: {_reason(error)}") from error
        size = os.fstat(descriptor).st_size
        if size < position:
            os.close(descriptor)
            raise WriterError(
                f"{self.path} is shorter ({size} bytes) than its last committed chunk "
                f"({position} bytes): it was changed by something else"
            )
        self._descriptor = descriptor
        # Anything past the committed position is a chunk that was written but
        # never recorded as done, or a line torn by a crash: drop it, it will
        # be scored again.
        self._position = size
        self._truncate(position)
        if position == 0:
            self._append(self._header())
        if created:
            fsync_directory(self.path.parent)

    def _truncate(self, position: int) -> None:
        assert self._descriptor is not None
        if self._position != position:
            os.ftruncate(self._descriptor, position)
            os.fsync(self._descriptor)
        self._position = position

    def _append(self, data: bytes) -> None:
        assert self._descriptor is not None
        if not data:
            return
        try:
            os.lseek(self._descriptor, self._position, os.SEEK_SET)
            view = memoryview(data)
            while view:
                written = os.write(self._descriptor, view)
                view = view[written:]
            os.fsync(self._descriptor)
        except OSError as error:
            reason = _reason(error)
            try:
                # Keep the file valid: cut the half-written chunk off again.
                os.ftruncate(self._descriptor, self._position)
                os.fsync(self._descriptor)
            except OSError:
                reason += " (and the partial chunk could not be cut off)"
            raise WriterError(f"cannot write {self.path}: {reason}") from error
        self._position += len(data)

    def write_chunk(self, rows: Sequence[dict[str, Any]]) -> int:
        if self._descriptor is None:
            raise WriterError(f"{self.path} is not open")
        try:
            data = self._encode(rows)
        except (TypeError, ValueError) as error:
            raise WriterError(f"cannot encode rows for {self.path}: {error}") from error
        self._append(data)
        return self._position

    def close(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None


class JsonlResultWriter(_AppendingWriter):
    """One JSON object a line, UTF-8."""

    format = "jsonl"

    def _encode(self, rows: Sequence[dict[str, Any]]) -> bytes:
        return "".join(_dumps(self._select(row)) + "\n" for row in rows).encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bool | int):
        return str(value)
    return _dumps(value)


class CsvResultWriter(_AppendingWriter):
    """Comma-separated, a header line, nested values as JSON text."""

    format = "csv"

    def _header(self) -> bytes:
        return self._encode_lines([list(self.columns)])

    @staticmethod
    def _encode_lines(lines: list[list[str]]) -> bytes:
        return csv_text(lines).encode("utf-8")

    def _encode(self, rows: Sequence[dict[str, Any]]) -> bytes:
        return self._encode_lines([csv_cells(row, self.columns) for row in rows])


def csv_cells(row: dict[str, Any], columns: Sequence[str] = ROW_FIELDS) -> list[str]:
    """One result row as CSV cells, nested values as JSON text.

    ``detector score --format csv`` and ``--out x.csv`` both write rows this
    way, so the two have one schema; a scorer's result may be given as it is
    (its ``scores`` fill their columns, see :func:`row_value`).

    >>> csv_cells({"id": "a", "status": "ok", "score": 0.5, "warnings": []}, ("id", "score",
    ...           "label", "warnings"))
    ['a', '0.5', '', '[]']
    >>> csv_cells({"score": 0.5, "scores": {"spun": 0.5, "machine_translated": 0.25}},
    ...           ("score", "machine_translated_score"))
    ['0.5', '0.25']
    """
    return [_cell(row_value(row, column)) for column in columns]


def csv_text(lines: list[list[str]]) -> str:
    """Lines of cells as CSV text (quoted where needed, one ``\\n`` per record)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    return buffer.getvalue()


def parquet_schema(columns: Sequence[str]) -> Any:
    """The Parquet schema of result rows: typed core columns, kept fields as text."""
    import pyarrow as pa

    evidence = pa.struct(
        [
            ("family", pa.string()),
            ("name", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("snippet", pa.string()),
            ("note", pa.string()),
        ]
    )
    paragraph = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("score", pa.float64())])
    types = {
        "line": pa.int64(),
        "warnings": pa.list_(pa.string()),
        "score": pa.float64(),
        "machine_translated_score": pa.float64(),
        "evidence": pa.list_(evidence),
        "paragraphs": pa.list_(paragraph),
        # detector trace
        "similarity": pa.float64(),
        "changed_share": pa.float64(),
    }
    return pa.schema([(column, types.get(column, pa.string())) for column in columns])


class ParquetResultWriter(ResultWriter):
    """One Parquet part per chunk in ``<out>.parts/``, merged by :meth:`finish`."""

    format = "parquet"

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        super().__init__(path, columns)
        self.parts = path.with_name(path.name + ".parts")
        self._count = 0
        self._schema: Any = None

    def _part(self, index: int) -> Path:
        return self.parts / f"part-{index:08d}.parquet"

    def check(self) -> None:
        try:
            import pyarrow  # noqa: F401
        except ImportError as error:
            raise WriterError(
                f"writing {self.path} needs pyarrow: pip install 'detector[parquet]' "
                "(or write .jsonl or .csv)"
            ) from error

    def open(self, position: int) -> None:
        self.check()
        self._schema = parquet_schema(self.columns)
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
            missing = [i for i in range(position) if not self._part(i).exists()]
            if missing:
                raise WriterError(
                    f"{self.parts} lacks committed part {self._part(missing[0]).name}: "
                    "it was changed by something else"
                )
            # Parts past the position were written but never recorded as done,
            # and temporary files are writes cut short: both are redone.
            for stale in self.parts.iterdir():
                name = stale.name
                index = name[5:13] if name.startswith("part-") else ""
                if not (index.isdigit() and int(index) < position and name.endswith(".parquet")):
                    stale.unlink()
        except OSError as error:
            raise WriterError(f"cannot prepare {self.parts}: {_reason(error)}") from error
        self._count = position

    def _table(self, rows: Sequence[dict[str, Any]]) -> Any:
        import pyarrow as pa

        prepared = []
        for row in rows:
            selected = self._select(row)
            for column in self.columns:
                value = selected[column]
                typed = column in ROW_FIELDS or column in _TYPED_COLUMNS
                if not typed and value is not None and not isinstance(value, str):
                    selected[column] = _dumps(value)
            prepared.append(selected)
        return pa.Table.from_pylist(prepared, schema=self._schema)

    def write_chunk(self, rows: Sequence[dict[str, Any]]) -> int:
        import pyarrow.parquet as parquet

        if not rows:
            return self._count
        try:
            table = self._table(rows)
        except Exception as error:  # pyarrow raises several types for bad values
            raise WriterError(f"cannot convert rows for {self.path}: {error}") from error
        final = self._part(self._count)
        temporary = final.with_suffix(".tmp")
        try:
            with open(temporary, "wb") as handle:
                parquet.write_table(table, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
            fsync_directory(self.parts)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise WriterError(f"cannot write {final}: {_reason(error)}") from error
        self._count += 1
        return self._count

    def finish(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as parquet

        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(temporary, "wb") as handle:
                writer = parquet.ParquetWriter(handle, self._schema)
                pending: list[Any] = []
                pending_rows = 0
                for index in range(self._count):
                    part = parquet.read_table(self._part(index), schema=self._schema)
                    pending.append(part)
                    pending_rows += part.num_rows
                    if pending_rows >= MERGED_ROW_GROUP_ROWS:
                        writer.write_table(pa.concat_tables(pending))
                        pending, pending_rows = [], 0
                if pending or self._count == 0:
                    table = pa.concat_tables(pending) if pending else self._schema.empty_table()
                    writer.write_table(table)
                writer.close()
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
            fsync_directory(self.path.parent)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise WriterError(
                f"cannot merge {self.parts} into {self.path}: {_reason(error)}; "
                "the parts are kept, resume to retry"
            ) from error
        shutil.rmtree(self.parts, ignore_errors=True)

    def close(self) -> None:
        """Nothing stays open between chunks."""

    def remove(self) -> None:
        super().remove()
        shutil.rmtree(self.parts, ignore_errors=True)

    def exists(self) -> bool:
        return self.path.exists() or self.parts.exists()


def open_writer(
    path: str | os.PathLike[str], keep: Sequence[str] = (), row_fields: Sequence[str] = ROW_FIELDS
) -> ResultWriter:
    """A writer for ``path`` (format from its suffix) with the row columns plus ``keep``."""
    path = Path(path)
    columns = (*row_fields, *keep)
    kind = output_format(path)
    if kind == "jsonl":
        return JsonlResultWriter(path, columns)
    if kind == "csv":
        return CsvResultWriter(path, columns)
    return ParquetResultWriter(path, columns)


def _from_cell(column: str, cell: str) -> Any:
    if cell == "":
        return [] if column in NESTED_FIELDS else None
    if column in NESTED_FIELDS:
        return json.loads(cell)
    if column == "line":
        return int(cell)
    if column in ("score", "machine_translated_score", "similarity", "changed_share"):
        return float(cell)
    if column in ("substitutions", "candidates"):
        return json.loads(cell)
    return cell


def read_results(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Rows of a results file, complete or partial, as dictionaries.

    A JSONL line torn by a crash (the last line, unterminated) is skipped; a
    Parquet output that was never merged is read from its parts folder. CSV
    cells come back typed for the row columns (``line`` int, ``score`` and
    ``machine_translated_score`` float, nested lists) and as text for kept
    fields.
    """
    path = Path(path)
    kind = output_format(path)
    if kind == "jsonl":
        with open(path, "rb") as handle:
            for data in handle:
                if not data.endswith(b"\n"):
                    try:
                        row = json.loads(data)
                    except ValueError:
                        return  # torn last line
                    yield row
                    return
                if data.strip():
                    yield json.loads(data)
    elif kind == "csv":
        with open(path, encoding="utf-8", newline="") as text:
            for row in csv.DictReader(text):
                yield {column: _from_cell(column, cell or "") for column, cell in row.items()}
    else:
        import pyarrow.parquet as parquet

        parts = path.with_name(path.name + ".parts")
        files = [path] if path.exists() else sorted(parts.glob("part-*.parquet"))
        for file in files:
            for batch in parquet.ParquetFile(file).iter_batches():
                yield from batch.to_pylist()
