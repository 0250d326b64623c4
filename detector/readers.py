"""Read documents from files, directories, globs, stdin and corpora.

Every input becomes one :class:`Record`, good or bad: a line that is not JSON,
a row without text, a file that cannot be read or is not text at all comes out
as a record with ``error`` set and the place it came from, so that a batch
never loses an input silently.

Formats, by file name: ``.jsonl``/``.ndjson``/``.json`` (one object per line),
``.csv``/``.tsv``, ``.parquet`` (needs pyarrow), ``.html``/``.htm`` (a saved
web page, its main content extracted, see :mod:`detector.html`), each
optionally compressed with ``.gz`` or ``.zst`` (needs zstandard);
``.warc``/``.warc.gz``/``.warc.wet.gz`` (web archives, see
:mod:`detector.warc`); anything else is one plain-text document. Lists of
paths, one a line, come from :func:`iter_paths_from`, and :class:`ReadProgress`
tells how far through the input files reading has got (for progress bars over
corpora too large to count first).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.jsonl").write_text('{"id": "x", "text": "Hello."}\\nnot json\\n')
>>> [(r.text, r.line, r.error) for r in iter_records([folder / "a.jsonl"])]
[('Hello.', 1, None), (None, 2, 'line 2: not valid JSON (Expecting value at column 1)')]
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import glob as globbing
import gzip
import io
import json
import os
import re
import stat
import string
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

#: Suffixes read as one JSON object per line.
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
#: Suffixes read as delimited tables.
CSV_SUFFIXES = {".csv", ".tsv"}
#: Suffixes read as Parquet tables.
PARQUET_SUFFIXES = {".parquet", ".pq"}
#: Suffixes read as saved web pages (main content extracted).
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
#: Suffixes read as web archives: WARC, and Common Crawl's WET text extracts.
WARC_SUFFIXES = {".warc", ".wet"}
#: Values of ``input_format``: by file name, or every input is HTML.
INPUT_FORMATS = ("auto", "html")
#: Fields every record from a web page carries (WARC ones also the last two).
PAGE_FIELDS = ("url", "domain", "warc_record_id", "warc_offset")
#: Compression suffixes understood on top of the above.
COMPRESSION_SUFFIXES = {".gz", ".zst"}

#: Largest plain-text file read whole; longer files are cut and flagged.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Byte-order marks, longest first so that UTF-32 LE is not taken for UTF-16 LE.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# A well-formed multi-byte UTF-8 sequence: its presence says a file is UTF-8
# even where a few bytes are damaged.
_UTF8_MULTIBYTE_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

# Encodings (as charset-normalizer names them) that are single-byte Latin
# code pages.
_LATIN_SINGLE_BYTE_RE = re.compile(
    r"(cp125[02478]|cp437|cp775|cp85\d|latin_\d+|iso8859_\d+|mac_\w+|ascii)$"
)

# Above this share of non-ASCII bytes among letters, a file is taken to be in
# another script, and charset-normalizer guesses its code page.
_OTHER_SCRIPT_SHARE = 0.3

_HIGH_BYTES = bytes(range(0x80, 0x100))
_ASCII_LETTERS = string.ascii_letters.encode("ascii")

# A run of characters outside ASCII, as a legacy code page decodes them.
_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]+")

# Windows-1252 typography that English files in that code page carry: curly
# quotes, dashes, the ellipsis, bullets, guillemets, no-break space, degree,
# copyright signs, fractions.
_LEGACY_PUNCTUATION = frozenset("‘’‚“”„–—…•«»‹›\xa0°©®™§¶·½¼¾±×²³¹†‡‰")
# Currency signs, plausible only beside a number.
_LEGACY_CURRENCY = frozenset("€£¥¢")

# File signatures of common binary formats that turn up in scraped folders.
_BINARY_SIGNATURES = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "executable"),
)

# C0 control bytes that plain text does not use (tab, line feed, form feed,
# carriage return and escape are left out): many of them mean a binary format
# without a known signature, such as a database page or compiled code.
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 11, 12, 13, 27})
#: Share of control bytes in the first 8 KiB above which data is binary.
MAX_CONTROL_BYTE_SHARE = 0.05

# A lone UTF-16 surrogate: JSON's "\ud800" escapes decode to one, and no
# UTF-8 writer can encode it, so it would break the output file.
_LONE_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


@dataclass
class Record:
    """One input document, or the reason it could not be read."""

    id: str
    text: str | None
    source: str
    line: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: A web page still to be extracted (bytes as stored, or text): the worker
    #: that scores the record extracts it (:func:`detector.html.extract_record`).
    html: bytes | str | None = field(default=None, repr=False)
    #: The page's charset as its HTTP header gives it.
    charset: str | None = field(default=None, repr=False)
    #: A status settled without scoring (``skipped``, ``no_text``); ``error``
    #: then says why.
    status: str | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None


class ReaderError(Exception):
    """A source that cannot be read at all (e.g. an unknown format option)."""


@dataclass
class ReadProgress:
    """How far reading has got, in bytes of the input files as stored on disk.

    Counting records first would mean reading a corpus twice, but file sizes
    are known at once; so a progress bar measures bytes consumed (compressed
    bytes for ``.gz``/``.zst``, a share of the rows for Parquet) against the
    total size of the inputs.

    >>> progress = ReadProgress()
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = path.write_text("Hello.")
    >>> _ = list(iter_records([path], progress=progress))
    >>> progress.bytes_read, progress.files_done
    (6, 1)
    """

    files_done: int = 0
    #: Bytes of the files read to the end.
    bytes_done: int = 0
    # Position inside the file being read now, or None between files.
    _position: Callable[[], int] | None = field(default=None, repr=False)

    @property
    def bytes_read(self) -> int:
        """Bytes of input consumed so far, finished files and the current one."""
        current = 0
        if self._position is not None:
            try:
                current = self._position()
            except (OSError, ValueError):  # the file was closed under us
                current = 0
        return self.bytes_done + current

    def _finish_file(self, size: int) -> None:
        self._position = None
        self.files_done += 1
        self.bytes_done += size


def file_size(path: Path) -> int:
    """Size of a file in bytes, 0 when it cannot be read (it becomes an error record)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def iter_paths_from(stream: IO[str]) -> Iterator[str]:
    """Paths listed one a line in a text stream, such as ``find ... |`` output.

    Only the line end is removed: names may legitimately begin or end with
    spaces. Blank lines are skipped.

    >>> import io
    >>> list(iter_paths_from(io.StringIO("a.txt\\n\\n dir/b c.jsonl \\r\\n")))
    ['a.txt', ' dir/b c.jsonl ']
    """
    for line in stream:
        path = line.rstrip("\r\n")
        if path:
            yield path


def _suffixes(path: Path) -> tuple[str, str | None]:
    """Return (format suffix, compression suffix) of a file name.

    >>> _suffixes(Path("a/b.jsonl.gz"))
    ('.jsonl', '.gz')
    >>> _suffixes(Path("notes.txt"))
    ('.txt', None)
    """
    suffixes = [s.lower() for s in path.suffixes]
    compression = None
    if suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        compression = suffixes.pop()
    return (suffixes[-1] if suffixes else ""), compression


@contextlib.contextmanager
def _open_binary(
    path: Path, compression: str | None, progress: ReadProgress | None = None
) -> Iterator[IO[bytes]]:
    """Open a file for reading, decompressing it; report the raw position to ``progress``."""
    if compression == ".zst":
        try:
            import zstandard
        except ImportError as error:  # pragma: no cover - depends on extras
            raise ReaderError(
                f"{path}: reading .zst needs zstandard: pip install 'detector[zstd]'"
            ) from error
    # The raw file is opened here, not by gzip.open, so that its position (in
    # compressed bytes, comparable with the file size) can feed a progress bar.
    with open(path, "rb") as raw:
        if progress is not None:
            progress._position = raw.tell
        if compression == ".gz":
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield cast(IO[bytes], unzipped)
        elif compression == ".zst":
            reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=False)
            with reader:
                yield cast(IO[bytes], reader)
        else:
            yield raw


def binary_kind(data: bytes) -> str | None:
    """The binary format ``data`` starts with, if it is a known one.

    >>> binary_kind(b"%PDF-1.7"), binary_kind(b"<html>")
    ('PDF document', None)
    """
    return next((kind for sign, kind in _BINARY_SIGNATURES if data.startswith(sign)), None)


def decode_bytes(data: bytes) -> tuple[str | None, list[str], str | None]:
    """Decode document bytes: ``(text, warnings, error)``.

    Byte-order marks pick UTF-8/16/32; otherwise UTF-8. A legacy code page
    is used only when the whole file reads as one (see
    :func:`_legacy_decoding`); any other invalid bytes are replaced, with a
    warning, so that a guess never turns damage into letters (which the
    ``homoglyphs`` family would report as evidence). Binary data is an error.

    >>> decode_bytes("café".encode("latin-1"))[0]
    'café'
    >>> decode_bytes(b"caf\\xc3\\xa9 \\xff ok")[1]
    ['invalid utf-8: 1 bytes replaced']
    >>> decode_bytes(b"rose in March\\x80 after the")
    ('rose in March\ufffd after the', ['invalid utf-8: 1 bytes replaced'], None)
    >>> decode_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")[2]
    'binary file (PNG image), not text'
    """
    kind = binary_kind(data)
    if kind is not None:
        return None, [], f"binary file ({kind}), not text"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), [], None
            except UnicodeDecodeError:
                return data.decode(encoding, errors="replace"), [f"invalid {encoding} data"], None
    head = data[:8192]
    if b"\x00" in head:
        return None, [], "binary file (NUL bytes), not text"
    if head and len(head) - len(head.translate(None, _CONTROL_BYTES)) > (
        MAX_CONTROL_BYTE_SHARE * len(head)
    ):
        return None, [], "binary file (control bytes), not text"
    try:
        return data.decode("utf-8"), [], None
    except UnicodeDecodeError:
        pass
    if not _UTF8_MULTIBYTE_RE.search(data):
        legacy = _legacy_decoding(data)
        if legacy is not None:
            return legacy, [], None
    # Mostly UTF-8 (or ASCII) with a few damaged bytes: replace those and say
    # so, never guess a code page that would turn them into letters.
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
    return text, [f"invalid utf-8: {replaced} bytes replaced"], None


def _legacy_decoding(data: bytes) -> str | None:
    """``data`` decoded with a legacy code page, when the whole of it reads as one.

    Text mostly in another script (a Cyrillic or Greek code page, Shift JIS)
    takes charset-normalizer's guess. Text mostly in ASCII reads as
    Windows-1252 (which Latin-1 text also decodes as) only when every other
    byte becomes an accented letter inside a word or the typography such
    files carry (curly quotes, dashes, currency before or after a number);
    otherwise the stray bytes are damage, not a code page, and None says so.

    >>> _legacy_decoding("Café à la carte, “quoted” for €5".encode("cp1252"))
    'Café à la carte, “quoted” for €5'
    >>> _legacy_decoding(b"rose in March\\x80 after") is None
    True
    """
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    if high >= _OTHER_SCRIPT_SHARE * (high + letters) and len(data) >= 256:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:1_000_000]).best()
        # Single-byte Latin code pages cannot be told apart on English text
        # (cp1257 and Latin-1 agree on every ASCII byte): those go the
        # Windows-1252 way below.
        if best is not None and not _LATIN_SINGLE_BYTE_RE.match(best.encoding):
            try:
                return data.decode(best.encoding)
            except (UnicodeDecodeError, LookupError):
                return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined
        return None
    for match in _NON_ASCII_RUN_RE.finditer(text):
        if not _reads_as_windows_1252(text, match.start(), match.end()):
            return None
    return text


def _reads_as_windows_1252(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, a run of non-ASCII characters, is plausible text."""
    run = text[start:end]
    before = text[start - 1] if start else " "
    if run.isalpha():
        # One or two accented letters (naïve, ações), never a capital glued
        # after a small letter: `MarchÃ` is damage.
        return len(run) <= 2 and not (run[0].isupper() and before.islower())
    if all(char in _LEGACY_PUNCTUATION for char in run):
        return True
    if len(run) == 1 and run in _LEGACY_CURRENCY:
        near = (text[max(0, start - 2) : start] + text[end : end + 2]).replace(" ", "")
        return any(char.isdigit() for char in near)
    return False


def _not_a_regular_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, or None when it can be opened.

    Opening a FIFO blocks until something writes to it, and a device such as
    ``/dev/zero`` never ends, so only regular files are opened (a pipe is
    read through ``-``, standard input). Broken symlinks, loops and missing
    permissions come back as the operating system's message.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"cannot read {path}: a directory"
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "not a regular file"
    return f"cannot read {path}: {kind}"


def read_text_file(
    path: Path, compression: str | None = None
) -> tuple[str | None, list[str], str | None]:
    """Read one plain-text document: ``(text, warnings, error)``; never raises.

    ``compression`` (``".gz"`` or ``".zst"``) decompresses first; a damaged or
    cut-short archive is an error, not a partial text.
    """
    problem = _not_a_regular_file(path)
    if problem is not None:
        return None, [], problem
    try:
        with _open_binary(path, compression) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [], f"cannot read {path}: {exc.strerror or exc}"
    # Damaged compressed data raises zlib.error, EOFError or zstandard.ZstdError.
    except Exception as exc:
        return None, [], f"cannot read {path}: damaged {compression} data ({exc})"
    warnings: list[str] = []
    if len(data) > MAX_FILE_BYTES:
        data = data[:MAX_FILE_BYTES]
        warnings.append(f"file longer than {MAX_FILE_BYTES} bytes: only the start was read")
    text, more, error = decode_bytes(data)
    return text, warnings + more, error


def clean_surrogates(value: Any) -> tuple[Any, int]:
    """Replace lone UTF-16 surrogates in strings (nested in lists and dicts too).

    Returns the cleaned value and how many were replaced with U+FFFD.

    >>> clean_surrogates({"text": "a\\ud800b", "tags": ["\\udfff"]})
    ({'text': 'a\\ufffdb', 'tags': ['\\ufffd']}, 2)
    """
    if isinstance(value, str):
        return _LONE_SURROGATE_RE.subn("\ufffd", value)
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            cleaned, count = clean_surrogates(item)
            items.append(cleaned)
            total += count
        return items, total
    if isinstance(value, dict):
        total = 0
        mapping = {}
        for key, item in value.items():
            cleaned_key, key_count = clean_surrogates(key)
            cleaned, count = clean_surrogates(item)
            mapping[cleaned_key] = cleaned
            total += key_count + count
        return mapping, total
    return value, 0


def _decode_line(data: bytes) -> tuple[str, list[str]]:
    """A JSONL line as text, damaged UTF-8 replaced and counted."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        replaced = text.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
        return text, [f"invalid utf-8: {replaced} bytes replaced"]


def _field_text(row: dict[str, Any], text_field: str, title_field: str | None) -> str | None:
    value = row.get(text_field)
    if not isinstance(value, str):
        return None
    title = row.get(title_field) if title_field else None
    if isinstance(title, str) and title.strip():
        return f"{title.strip()}\n\n{value}"
    return value


def _row_record(
    row: Any,
    *,
    source: str,
    line: int,
    text_field: str,
    id_field: str,
    title_field: str | None,
    html_field: str | None = None,
) -> Record:
    if html_field is not None:
        # The page is extracted by the worker that scores it; its <title>
        # is its title.
        record = _row_record(
            row, source=source, line=line, text_field=html_field, id_field=id_field,
            title_field=None,
        )  # fmt: skip
        record.html, record.text = record.text, None
        return record
    default_id = f"{source}:{line}"
    if not isinstance(row, dict):
        return Record(default_id, None, source, line, error=f"line {line}: not a JSON object")
    raw_id = row.get(id_field)
    record_id = str(raw_id) if raw_id not in (None, "") else default_id
    fields = {k: v for k, v in row.items() if k not in (text_field, id_field)}
    if text_field not in row:
        present = ", ".join(sorted(map(str, row))[:8]) or "none"
        return Record(
            record_id,
            None,
            source,
            line,
            fields,
            error=f"line {line}: no field {text_field!r} (fields: {present})",
        )
    text = _field_text(row, text_field, title_field)
    if text is None:
        return Record(
            record_id,
            None,
            source,
            line,
            fields,
            error=f"line {line}: field {text_field!r} is not a string",
        )
    return Record(record_id, text, source, line, fields)


def record_from_row(
    row: Any,
    *,
    source: str,
    line: int,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str | None = None,
    html_field: str | None = None,
) -> Record:
    """The record of one row (a JSON object, CSV row or table row), as files give them.

    With ``html_field``, that field holds a web page, extracted when the
    record is scored (:func:`detector.html.extract_record`).

    >>> record_from_row({"id": 7, "body": "Hi.", "url": "u"}, source="s", line=1, text_field="body")
    Record(id='7', text='Hi.', source='s', line=1, fields={'url': 'u'}, error=None, warnings=[])
    >>> record_from_row({"text": None}, source="s", line=2).error
    "line 2: field 'text' is not a string"
    """
    return _row_record(
        row,
        source=source,
        line=line,
        text_field=text_field,
        id_field=id_field,
        title_field=title_field,
        html_field=html_field,
    )


def _json_problem(error: ValueError | RecursionError) -> str:
    """What is wrong with a JSONL line, in full, with the column where it is.

    >>> try:
    ...     json.loads('{"text": "a\\tb"}')
    ... except ValueError as error:
    ...     _json_problem(error)
    'Invalid control character at column 12 (a raw tab or line break inside a string)'
    """
    if isinstance(error, RecursionError):
        return "nested too deep to parse"
    if isinstance(error, json.JSONDecodeError):
        # The line is one document: the column counts from its start, and a
        # message such as "Invalid control character at" loses its dangling "at".
        column = min(error.pos, len(error.doc.rstrip())) + 1  # the line break is not text
        message = f"{error.msg.removesuffix(' at')} at column {column}"
        if error.msg.startswith("Invalid control character"):
            message += " (a raw tab or line break inside a string)"
        return message
    return str(error)


def _iter_jsonl(
    path: Path,
    compression: str | None,
    name: str,
    progress: ReadProgress | None = None,
    **options: Any,
) -> Iterator[Record]:
    line = 0
    try:
        with _open_binary(path, compression, progress) as raw:
            for line, data in enumerate(raw, start=1):
                if not data.strip():
                    continue
                text, warnings = _decode_line(data)
                try:
                    row = json.loads(text)
                # Deeply nested arrays exhaust the parser's recursion limit.
                except (ValueError, RecursionError) as error:
                    message = _json_problem(error)
                    yield Record(
                        f"{name}:{line}",
                        None,
                        name,
                        line,
                        error=f"line {line}: not valid JSON ({message})",
                        warnings=warnings,
                    )
                    continue
                if "\\u" in text:  # only escapes can produce lone surrogates
                    row, replaced = clean_surrogates(row)
                    if replaced:
                        warnings.append(f"{replaced} lone surrogate escapes replaced")
                record = _row_record(row, source=name, line=line, **options)
                record.warnings.extend(warnings)
                yield record
    # Damaged compressed data raises zlib.error, EOFError or zstandard.ZstdError,
    # none of which share a base class below Exception.
    except Exception as error:
        yield Record(
            f"{name}:{line + 1}",
            None,
            name,
            line + 1,
            error=f"cannot read {name} after line {line}: {error}",
        )


def _iter_csv(
    path: Path,
    compression: str | None,
    name: str,
    progress: ReadProgress | None = None,
    **options: Any,
) -> Iterator[Record]:
    format_suffix, _ = _suffixes(path)
    delimiter = "\t" if format_suffix == ".tsv" else ","
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    line = 0
    try:
        with _open_binary(path, compression, progress) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
            reader = csv.DictReader(stream, delimiter=delimiter)
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    line = reader.line_num
                    yield Record(
                        f"{name}:{line}",
                        None,
                        name,
                        line,
                        error=f"line {line}: malformed CSV ({error})",
                    )
                    continue
                # The header is line 1; a record starts after the previous one.
                first_line, line = max(line, 1) + 1, reader.line_num
                if None in row:  # more cells than header columns
                    row.pop(None)
                record = _row_record(row, source=name, line=line, **options)
                if line > first_line and record.text is not None and _swallowed(row):
                    # A quoted cell over several lines is ordinary CSV; an
                    # unclosed quote swallows every later line, line break
                    # included, to the end of the file.
                    record.warnings.append(
                        f"record spans lines {first_line}-{line} and ends in a line break: "
                        "a quote may never have been closed"
                    )
                yield record
    # Damaged compressed data raises zlib.error, EOFError or zstandard.ZstdError,
    # none of which share a base class below Exception.
    except Exception as error:
        yield Record(
            f"{name}:{line + 1}",
            None,
            name,
            line + 1,
            error=f"cannot read {name} after line {line}: {error}",
        )


def _swallowed(row: dict[str, Any]) -> bool:
    """Whether a CSV record looks like the rest of a file read into an unclosed quote.

    >>> _swallowed({"id": "1", "text": "a\\nb"}), _swallowed({"id": "1", "text": "a\\n2,c\\n"})
    (False, True)
    """
    return any(isinstance(value, str) and value.endswith("\n") for value in row.values())


def _iter_parquet(
    path: Path, name: str, progress: ReadProgress | None = None, **options: Any
) -> Iterator[Record]:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        yield Record(
            name,
            None,
            name,
            error=f"reading {name} needs pyarrow: pip install 'detector[parquet]'",
        )
        return
    line = 0
    try:
        table = parquet.ParquetFile(path)
        if progress is not None:
            # pyarrow reads the file itself: report the share of rows read,
            # scaled to the file size.
            size, rows = file_size(path), max(1, table.metadata.num_rows)
            progress._position = lambda: size * line // rows
        for batch in table.iter_batches(batch_size=4096):
            for row in batch.to_pylist():
                line += 1
                yield _row_record(row, source=name, line=line, **options)
    except Exception as error:  # pyarrow raises many types for damaged files
        yield Record(
            f"{name}:{line + 1}",
            None,
            name,
            line + 1,
            error=f"cannot read {name} after row {line}: {error}",
        )


def iter_file(
    path: Path,
    *,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str | None = None,
    name: str | None = None,
    progress: ReadProgress | None = None,
    html_field: str | None = None,
    input_format: str = "auto",
) -> Iterator[Record]:
    """Records of one file, by its format (see the module docstring).

    ``input_format="html"`` reads plain files as web pages whatever their
    name, and the text field of rows as HTML (unless ``html_field`` names
    another field).
    """
    name = name if name is not None else str(path)
    format_suffix, compression = _suffixes(path)
    if input_format not in INPUT_FORMATS:
        raise ReaderError(f"unknown input format {input_format!r}: use {', '.join(INPUT_FORMATS)}")
    if input_format == "html" and html_field is None:
        html_field = text_field
    options = {"text_field": text_field, "id_field": id_field, "title_field": title_field,
               "html_field": html_field}  # fmt: skip
    problem = _not_a_regular_file(path)
    if problem is not None:
        if format_suffix in JSONL_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES:
            # the record that would have come first stands for the whole file
            yield Record(f"{name}:1", None, name, 1, error=problem)
        else:
            yield Record(name, None, name, None, {"path": name}, error=problem)
    elif is_warc(path):
        from detector.warc import iter_warc

        yield from iter_warc(path, name, progress)
    elif format_suffix in JSONL_SUFFIXES:
        yield from _iter_jsonl(path, compression, name, progress, **options)
    elif format_suffix in CSV_SUFFIXES:
        yield from _iter_csv(path, compression, name, progress, **options)
    elif format_suffix in PARQUET_SUFFIXES:
        yield from _iter_parquet(path, name, progress, **options)
    elif format_suffix in HTML_SUFFIXES or input_format == "html":
        yield _page_file_record(path, compression, name)
    else:
        text, warnings, error = read_text_file(path, compression)
        yield Record(name, text, name, None, {"path": name}, error=error, warnings=warnings)
    if progress is not None:
        progress._finish_file(file_size(path))


def _page_file_record(path: Path, compression: str | None, name: str) -> Record:
    """A saved web page, to be extracted by the worker that scores it."""
    fields: dict[str, Any] = {"path": name, "url": None, "domain": None}
    try:
        with _open_binary(path, compression) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problem = f"cannot read {path}: {exc.strerror or exc}"
        return Record(name, None, name, None, fields, error=problem)
    # Damaged compressed data raises zlib.error, EOFError or zstandard.ZstdError.
    except Exception as exc:
        return Record(name, None, name, None, fields,
                      error=f"cannot read {path}: damaged {compression} data ({exc})")  # fmt: skip
    warnings = []
    if len(data) > MAX_FILE_BYTES:
        data = data[:MAX_FILE_BYTES]
        warnings.append(f"file longer than {MAX_FILE_BYTES} bytes: only the start was read")
    return Record(name, None, name, None, fields, warnings=warnings, html=data)


def is_page_source(source: str | os.PathLike[str], pattern: str = "*") -> bool:
    """Whether a source names web pages (HTML, WARC, WET), so rows carry page fields.

    A folder counts when ``pattern`` names such files.

    >>> is_page_source("crawl/CC-MAIN-1.warc.gz"), is_page_source("a.jsonl")
    (True, False)
    >>> is_page_source(".", "*.html")
    True
    """
    text = os.fspath(source)
    if text != "-" and Path(text).is_dir():
        text = pattern
    path = Path(text)
    return is_warc(path) or _suffixes(path)[0] in HTML_SUFFIXES


def is_warc(path: Path) -> bool:
    """Whether a file name is a WARC or WET file (``.warc``, ``.warc.gz``, ``.warc.wet.gz``).

    >>> is_warc(Path("CC-MAIN-1.warc.wet.gz")), is_warc(Path("a.warc")), is_warc(Path("a.gz"))
    (True, True, False)
    """
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return bool(suffixes) and suffixes[-1] in WARC_SUFFIXES


def _is_glob(source: str) -> bool:
    return any(char in source for char in "*?[")


class UnreadableSource(NamedTuple):
    """A source that names no file: missing, an empty glob, an unlistable folder."""

    source: str
    error: str


def expand_sources(
    sources: Iterable[str | os.PathLike[str]], pattern: str = "*"
) -> Iterator[Path | str | UnreadableSource]:
    """Expand directories (recursively, files matching ``pattern``) and globs.

    Yields paths in a stable (sorted) order and lazily, source by source, so
    that millions of paths piped in are never all held at once. ``"-"`` is
    passed through for standard input; a glob that matches nothing or a folder
    that cannot be listed is yielded as an :class:`UnreadableSource`, and a
    plain path that does not exist as a path, so that the caller reports each
    as an error record.
    """
    for source in sources:
        text = os.fspath(source)
        if text == "-":
            yield "-"
            continue
        path = Path(text)
        if path.is_dir():
            try:
                found = sorted(p for p in path.rglob(pattern) if not p.is_dir() or p.is_symlink())
            except OSError as error:
                yield UnreadableSource(text, f"cannot list {text}: {error.strerror or error}")
                continue
            yield from found
        elif not path.exists() and not path.is_symlink() and _is_glob(text):
            matches = sorted(globbing.glob(text, recursive=True))
            if not matches:
                yield UnreadableSource(text, f"no file matches {text}")
            for match in matches:
                match_path = Path(match)
                if match_path.is_dir():
                    yield from expand_sources([match_path], pattern)
                else:
                    yield match_path
        else:
            yield path


def iter_expanded(
    items: Iterable[Path | str | UnreadableSource],
    *,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str | None = None,
    stdin: IO[str] | None = None,
    progress: ReadProgress | None = None,
    html_field: str | None = None,
    input_format: str = "auto",
) -> Iterator[Record]:
    """Records of sources already expanded by :func:`expand_sources`, in order."""
    for item in items:
        if isinstance(item, UnreadableSource):
            yield Record(item.source, None, item.source, error=item.error)
            continue
        if item == "-" or isinstance(item, str):
            stream = stdin if stdin is not None else sys.stdin
            # Undecodable bytes on standard input arrive as lone surrogates.
            text, replaced = clean_surrogates(stream.read())
            warnings = [f"invalid utf-8: {replaced} bytes replaced"] if replaced else []
            record = Record("-", text, "-", None, {"path": "-"}, warnings=warnings)
            if input_format == "html":
                record.html, record.text = record.text, None
            yield record
            continue
        yield from iter_file(
            item,
            text_field=text_field,
            id_field=id_field,
            title_field=title_field,
            progress=progress,
            html_field=html_field,
            input_format=input_format,
        )


def iter_records(
    sources: Iterable[str | os.PathLike[str]],
    *,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str | None = None,
    pattern: str = "*",
    stdin: IO[str] | None = None,
    progress: ReadProgress | None = None,
    html_field: str | None = None,
    input_format: str = "auto",
) -> Iterator[Record]:
    """Records of every source, in order; never raises for a bad input.

    ``"-"`` reads one plain-text document from standard input. ``progress``,
    when given, is kept up to date with the bytes read so far.
    """
    yield from iter_expanded(
        expand_sources(sources, pattern),
        text_field=text_field,
        id_field=id_field,
        title_field=title_field,
        stdin=stdin,
        progress=progress,
        html_field=html_field,
        input_format=input_format,
    )
