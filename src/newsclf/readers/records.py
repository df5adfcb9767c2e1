"""JSONL and CSV records, streamed: one Document a record, never the whole file in memory
(a ``.json`` array is read whole); any of them gzipped (``.jsonl.gz``, ``.csv.gz``)."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..types import Document

__all__ = ["Fields", "OnError", "csv_records", "gzip_records", "json_records", "jsonl_records",
           "jsonl_stream", "record_document"]

# CSV headers read as a record's fields (case aside): what exports from spreadsheets,
# scrapers and news APIs call them
HEADER_ALIASES = {"text": ("text", "body", "content", "article", "story", "full_text"),
                  "title": ("title", "headline", "heading"),
                  "id": ("id", "guid", "uuid"),
                  "url": ("url", "link"),
                  "source": ("source", "outlet", "publisher", "site"),
                  "published": ("published", "date", "published_at", "pubdate")}


Fields = Mapping[str, str]  # a Document field (text, title, id…) -> the record's name of it


def record_document(record: Any, location: str, default_id: str,
                    fields: Fields | None = None) -> Document:
    """A Document from one record (a JSON object or a CSV row), with errors located;
    ``fields`` names the record's own fields for the document's (``{"text": "body"}``)."""
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}", location)
    if fields:
        record = dict(record)
        for field, source in fields.items():
            if source in record:
                record[field] = record.pop(source)
    try:
        doc = Document.from_dict(record)
    except InputError as exc:
        raise exc.at(location) from None
    if not doc.id:
        doc = Document(id=default_id, text=doc.text, title=doc.title, source=doc.source,
                       url=doc.url, published=doc.published, meta=doc.meta)
    return doc


OnError = Callable[[InputError], None]


def _jsonl_line(raw: str | bytes, number: int, name: str,
                fields: Fields | None = None) -> Document | None:
    location = f"{name}:{number}"
    if isinstance(raw, bytes):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                             location) from None
    else:
        line = raw
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg}, column {exc.colno})", location) from None
    return record_document(record, location, f"{Path(name).stem}:{number}", fields)


def jsonl_stream(lines: Iterable[str | bytes], name: str,
                 on_error: OnError | None = None, *, start: int = 1,
                 fields: Fields | None = None) -> Iterator[Document]:
    """Documents from JSONL lines (text, or bytes decoded as UTF-8 line by line, so an
    undecodable line is named); blank lines are skipped. A bad line raises
    :class:`InputError` naming it, or, with ``on_error``, is reported there and skipped.
    ``start`` is the first line's number in its file (a partition of a larger file)."""
    for number, raw in enumerate(lines, start=start):
        try:
            doc = _jsonl_line(raw, number, name, fields)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        if doc is not None:
            yield doc


def _open(path: Path, mode: str = "r") -> IO[Any]:
    try:
        if path.suffix.lower() == ".gz":
            if "b" in mode:
                return gzip.open(path, "rb")  # type: ignore[return-value]
            return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), str(path)) from None


def jsonl_records(path: Path, on_error: OnError | None = None,
                  fields: Fields | None = None) -> Iterator[Document]:
    """Documents from a JSONL file: ``text`` required; ``id``, ``title`` and the rest kept."""
    with _open(path, "rb") as handle:
        yield from jsonl_stream(handle, str(path), on_error, fields=fields)


def json_records(path: Path, on_error: OnError | None = None,
                 fields: Fields | None = None) -> Iterator[Document]:
    """Documents from a ``.json`` file holding an array of records (or one record); a
    bad record raises, or with ``on_error`` is reported there and skipped."""
    with _open(path, "rb") as handle:
        raw = handle.read()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                         str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg})", f"{path}:{exc.lineno}") from None
    for number, record in enumerate(data if isinstance(data, list) else [data], start=1):
        try:
            yield record_document(record, f"{path}: record {number}",
                                  f"{_stem(path)}:{number}", fields)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)


def _stem(path: Path) -> str:
    """``news`` of ``news.jsonl.gz`` as of ``news.jsonl``."""
    return Path(path.stem).stem if path.suffix.lower() == ".gz" else path.stem


def _header_names(fieldnames: list[str], fields: Fields | None = None) -> list[str]:
    """The CSV header with each column read as a record field: the columns ``fields``
    names, then a known field's other names and capitals (``Headline`` → ``title``,
    ``Body`` → ``text``) taken as it, unless the header has that field already."""
    names = list(fieldnames)
    for field, source in (fields or {}).items():
        if source in names:
            names[names.index(source)] = field
    fieldnames = names
    lower = [name.strip().lower() for name in fieldnames]
    names = list(fieldnames)
    for field, aliases in HEADER_ALIASES.items():
        if field in fieldnames:
            continue
        for alias in aliases:
            if alias in lower:
                names[lower.index(alias)] = field
                break
    return names


def _dialect(handle: IO[str]) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect of an open file (comma, semicolon, tab or bar as the delimiter),
    sniffed from its start; excel's (commas) when it cannot tell."""
    sample = handle.read(64 * 1024)
    handle.seek(0)
    try:
        return csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _csv_row(row: dict[Any, Any], path: Path, line: int) -> Document:
    location = f"{path}:{line}"
    if None in row:
        raise InputError("row has more fields than the header", location)
    return record_document(dict(row), location, f"{_stem(path)}:{line}")


def csv_records(path: Path, on_error: OnError | None = None,
                fields: Fields | None = None) -> Iterator[Document]:
    """Documents from a CSV file (delimiter sniffed: comma, semicolon, tab or bar) with a
    header row holding at least a text column (``text``, or ``body``, ``content``,
    ``article``, ``story``, any capitals; :data:`HEADER_ALIASES`); a bad row raises, or
    with ``on_error`` is reported there and skipped."""
    with _open(path) as handle:
        reader = None
        try:
            dialect = _dialect(handle)
            reader = csv.DictReader(handle, dialect=dialect)
            if reader.fieldnames is None:
                raise InputError("empty CSV file (no header row)", f"{path}:1")
            reader.fieldnames = _header_names(list(reader.fieldnames), fields)
            if "text" not in reader.fieldnames:
                raise InputError("CSV header has no text column (text, body, content, "
                                 "article or story)", f"{path}:1")
            for row in reader:
                try:
                    yield _csv_row(row, path, reader.line_num)
                except InputError as exc:
                    if on_error is None:
                        raise
                    on_error(exc)
        except csv.Error as exc:
            line = reader.line_num if reader is not None else 1
            raise InputError(f"malformed CSV ({exc})", f"{path}:{line}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text ({exc.reason})", str(path)) from None


def gzip_records(path: Path, on_error: OnError | None = None,
                 fields: Fields | None = None) -> Iterator[Document]:
    """Documents from a gzipped ``.jsonl``, ``.ndjson``, ``.json`` or ``.csv`` file, by
    the suffix before ``.gz``."""
    inner = Path(path.stem).suffix.lower()
    readers = {".jsonl": jsonl_records, ".ndjson": jsonl_records, ".json": json_records,
               ".csv": csv_records}
    if inner not in readers:
        raise InputError(f"a gzipped {inner or 'file'} is not a format newsclf reads "
                         "(.jsonl.gz, .json.gz, .csv.gz)", str(path))
    try:
        yield from readers[inner](path, on_error, fields)
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(f"unreadable gzip file ({exc})", str(path)) from None
