"""Read WARC archives and Common Crawl WET files into records, one per WARC record.

Crawlers (Heritrix, wget ``--warc-file``, browsertrix, Common Crawl) write
WARC files gzipped record by record. Each ``response`` (or ``resource``)
record whose payload is an HTML page becomes a record carrying the page's
bytes, extracted later by the worker that scores it (see
:func:`detector.html.extract_record`), so that reading stays cheap and a
resumed run skips records without extracting them. A WET file's
``conversion`` records are already text and are scored as they are. Every
other record (``request``, ``metadata``, ``revisit``, ``warcinfo``, a PDF or
an image, a redirect) becomes a ``skipped`` record, which the batch counts
and writes only when asked to.

Records carry ``url`` (WARC-Target-URI), ``domain`` (its registrable
domain), ``warc_record_id`` and ``warc_offset``: the byte offset in the file
of the gzip member that holds the record (for an uncompressed file, of the
record itself), where a WARC reader can seek to read it again.

Damage costs the damaged record, never the ones after it: each gzip member
is decompressed on its own, and a member that is cut short or corrupt
becomes an ``error`` record, after which reading goes on at the next gzip
member in the file. A record whose Content-Length is longer than the record
(it would swallow the next one) is an ``error`` record, and reading goes on
at the record it ran into; a Content-Length that is too short is survived by
the parser, which finds the next record header.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "crawl.warc.gz"
>>> page = b"<html><head><title>Hello</title></head><body><p>Some text.</p></body></html>"
>>> url = "https://www.example.com/a"
>>> request = b"GET /a HTTP/1.1\\r\\n\\r\\n"
>>> _ = path.write_bytes(warc_record("response", url, http_response(page))
...                      + warc_record("request", url, request))
>>> [(r.line, r.status, r.fields["domain"], r.fields["warc_offset"]) for r in iter_warc(path)]
[(1, None, 'example.com', 0), (2, 'skipped', 'example.com', 293)]
"""

from __future__ import annotations

import gzip
import hashlib
import io
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from detector.html import registrable_domain
from detector.readers import ReadProgress, Record

#: Status of a record that is not a page to score (a request, an image, ...).
STATUS_SKIPPED = "skipped"

#: Payload types read as HTML pages.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Record types whose payload can be a page.
PAGE_RECORD_TYPES = frozenset({"response", "resource"})
#: Largest decompressed gzip member held at once. Crawlers gzip record by
#: record; a WARC gzipped whole must be decompressed first.
MAX_MEMBER_BYTES = 512 * 1024 * 1024

_READ_BYTES = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"
# What starts the next record inside a record that claims more bytes than it has.
_NEXT_RECORD = (b"\r\n\r\nWARC/1.0\r\n", b"\r\n\r\nWARC/1.1\r\n")


class _Damaged(Exception):
    """A gzip member that cannot be decompressed; the message says how."""


def _read_member(raw: IO[bytes]) -> tuple[bytes, int] | None:
    """The next gzip member at the file's position: its data and its size, None at the end."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    held = consumed = 0
    while True:
        chunk = raw.read(_READ_BYTES)
        if not chunk:
            if consumed == 0:
                return None
            raise _Damaged("cut short (the file ends inside it)")
        try:
            data = decompressor.decompress(chunk)
        except zlib.error as error:
            raise _Damaged(f"damaged ({error})") from None
        parts.append(data)
        held += len(data)
        if held > MAX_MEMBER_BYTES:
            raise _Damaged(
                f"larger than {MAX_MEMBER_BYTES:,} bytes decompressed: the file is not gzipped "
                "record by record (gunzip it and read the .warc)"
            )
        if decompressor.eof:
            consumed += len(chunk) - len(decompressor.unused_data)
            raw.seek(raw.tell() - len(decompressor.unused_data))
            return b"".join(parts), consumed
        consumed += len(chunk)


def _next_member(raw: IO[bytes], start: int) -> int | None:
    """Offset of the first gzip header at or after ``start``, None when there is none."""
    raw.seek(start)
    position = start
    tail = b""
    while chunk := raw.read(_READ_BYTES):
        found = (tail + chunk).find(_GZIP_MAGIC)
        if found >= 0:
            return position - len(tail) + found
        tail = chunk[-(len(_GZIP_MAGIC) - 1) :]
        position += len(chunk)
    return None


class _Reader:
    """One file's records, numbered in file order; knows the file's name for messages."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.number = 0

    def _record(self, record_id: str, fields: dict[str, Any], **values: Any) -> Record:
        self.number += 1
        return Record(record_id or f"{self.name}:{self.number}", source=self.name,
                      line=self.number, fields=fields, **values)  # fmt: skip

    def damaged(self, offset: int, problem: str) -> Record:
        fields = {"url": None, "domain": None, "warc_record_id": None, "warc_offset": offset}
        return self._record(
            f"{self.name}@{offset}",
            fields,
            text=None,
            error=f"cannot read the WARC record at byte {offset} of {self.name}: {problem}",
        )

    def records(self, stream: IO[bytes], base: int, member: bool) -> Iterator[Record]:
        """Records of an uncompressed stream starting at file offset ``base``.

        ``member``: the stream is one gzip member, so every record in it is
        reported at the member's offset.
        """
        from fastwarc.warc import ArchiveIterator

        start = 0
        while True:
            stream.seek(start)
            restart = None
            try:
                # auto_decode: chunked transfer and gzip/deflate/brotli content
                # encodings, which wget and other crawlers keep as served
                records = ArchiveIterator(
                    stream, parse_http=True, quirks_mode=True, auto_decode="all"
                )
                for item in records:
                    offset = base if member else base + start + item.stream_pos
                    record, overrun = self._convert(item, offset)
                    yield record
                    if overrun:
                        # Go on with the record this one ran into.
                        restart = start + item.stream_pos + 1
                        break
            except OSError as error:  # a header the parser cannot read at all
                yield self.damaged(base if member else base + start, str(error))
                return
            if restart is None:
                return
            start = restart

    def _convert(self, item: Any, offset: int) -> tuple[Record, bool]:
        """The record of one WARC record, and whether its Content-Length overran it."""
        kind = str(item.record_type).rsplit(".", 1)[-1]
        url = item.headers.get("WARC-Target-URI") or None
        record_id = (item.record_id or "").strip("<>")
        fields = {
            "url": url,
            "domain": registrable_domain(url),
            "warc_record_id": record_id or None,
            "warc_offset": offset,
        }
        payload = item.reader.read()
        overrun = any(marker in payload for marker in _NEXT_RECORD)
        # A decoded payload has its own length; a plain one is as long as
        # the record says, unless the record is cut short.
        encoded = item.is_http and any(
            item.http_headers.get(name) for name in ("Transfer-Encoding", "Content-Encoding")
        )
        short = not encoded and len(payload) < item.content_length
        if overrun or (short and kind in ("response", "conversion")):
            return self._record(
                record_id,
                fields,
                text=None,
                error=f"{kind} record's Content-Length ({item.content_length:,} bytes) is longer "
                f"than the record: it is cut short or runs into the next record",
            ), overrun
        if kind == "conversion":
            text = payload.decode("utf-8", errors="replace")
            return self._record(record_id, fields, text=text), False
        reason = self._skip_reason(item, kind)
        if reason is not None:
            return self._record(record_id, fields, text=None, status=STATUS_SKIPPED,
                                error=reason), False  # fmt: skip
        return self._record(
            record_id, fields, text=None, html=payload, charset=item.http_charset
        ), False

    @staticmethod
    def _skip_reason(item: Any, kind: str) -> str | None:
        """Why a record is not a page to score, or None when it is one."""
        if kind not in PAGE_RECORD_TYPES:
            return f"{kind} record"
        if item.is_http:
            status = item.http_headers.status_code
            if not 200 <= status < 300:
                return f"HTTP status {status}"
            content_type = (item.http_content_type or "").lower()
        else:
            content_type = (item.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in HTML_TYPES:
            return f"not an HTML page ({content_type or 'no content type'})"
        return None


def iter_warc(
    path: Path, name: str | None = None, progress: ReadProgress | None = None
) -> Iterator[Record]:
    """Records of a WARC or WET file, gzipped or not (see the module docstring); never raises."""
    name = name if name is not None else str(path)
    reader = _Reader(name)
    try:
        with open(path, "rb") as raw:
            if progress is not None:
                progress._position = raw.tell
            if raw.read(2) != _GZIP_MAGIC[:2]:
                raw.seek(0)
                yield from reader.records(raw, 0, member=False)
                return
            position: int | None = 0
            while position is not None:
                raw.seek(position)
                try:
                    member = _read_member(raw)
                except _Damaged as error:
                    following = _next_member(raw, position + 1)
                    after = (
                        f"; reading went on at byte {following}"
                        if following is not None
                        else "; nothing readable follows it"
                    )
                    yield reader.damaged(position, f"gzip member {error}{after}")
                    position = following
                    continue
                if member is None:
                    return
                data, size = member
                yield from reader.records(io.BytesIO(data), position, member=True)
                position += size
    except OSError as error:
        yield reader.damaged(0, error.strerror or str(error))


def http_response(body: bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    """An HTTP/1.1 200 response around ``body``: the block of a WARC ``response`` record.

    >>> http_response(b"<p>x</p>")[:15]
    b'HTTP/1.1 200 OK'
    """
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("ascii") + body


def warc_record(
    kind: str,
    url: str,
    block: bytes,
    *,
    content_type: str | None = None,
    record_id: str | None = None,
    content_length: int | None = None,
    compress: bool = True,
) -> bytes:
    """One WARC/1.0 record as bytes, gzipped on its own as crawlers write them.

    For tests and benchmarks that build archives; ``content_length`` can lie
    on purpose. ``record_id`` defaults to a UUID derived from the URL and
    the block, so the same inputs give the same bytes.

    >>> gzip.decompress(warc_record("conversion", "http://a.b/", b"Text."))[:31]
    b'WARC/1.0\\r\\nWARC-Type: conversion'
    """
    if content_type is None:
        content_type = {
            "response": "application/http; msgtype=response",
            "request": "application/http; msgtype=request",
        }.get(kind, "text/plain")
    if record_id is None:
        digest = hashlib.sha1(block).hexdigest()
        record_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind} {url} {digest}"))
    length = len(block) if content_length is None else content_length
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
    data = head.encode("utf-8") + block + b"\r\n\r\n"
    return gzip.compress(data, mtime=0) if compress else data
