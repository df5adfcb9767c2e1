"""JSONL and CSV records, streamed: one Document a record, never the whole file in memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..types import Document

__all__ = ["OnError", "csv_records", "jsonl_records", "jsonl_stream", "record_document"]


def record_document(record: Any, location: str, default_id: str) -> Document:
    """A Document from one record (a JSON object or a CSV row), with errors located."""
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}", location)
    try:
        doc = Document.from_dict(record)
    except InputError as exc:
        raise exc.at(location) from None
    if not doc.id:
        doc = Document(id=default_id, text=doc.text, title=doc.title, source=doc.source,
                       url=doc.url, published=doc.published, meta=doc.meta)
    return doc


OnError = Callable[[InputError], None]


def _jsonl_line(raw: str | bytes, number: int, name: str) -> Document | None:
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
    return record_document(record, location, f"{Path(name).stem}:{number}")


def jsonl_stream(lines: Iterable[str | bytes], name: str,
                 on_error: OnError | None = None, *, start: int = 1) -> Iterator[Document]:
    """Documents from JSONL lines (text, or bytes decoded as UTF-8 line by line, so an
    undecodable line is named); blank lines are skipped. A bad line raises
    :class:`InputError` naming it, or, with ``on_error``, is reported there and skipped.
    ``start`` is the first line's number in its file (a partition of a larger file)."""
    for number, raw in enumerate(lines, start=start):
        try:
            doc = _jsonl_line(raw, number, name)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        if doc is not None:
            yield doc


def _open(path: Path, mode: str = "r") -> IO[Any]:
    try:
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), str(path)) from None


def jsonl_records(path: Path, on_error: OnError | None = None) -> Iterator[Document]:
    """Documents from a JSONL file: ``text`` required; ``id``, ``title`` and the rest kept."""
    with _open(path, "rb") as handle:
        yield from jsonl_stream(handle, str(path), on_error)


def _csv_row(row: dict[Any, Any], path: Path, line: int) -> Document:
    location = f"{path}:{line}"
    if None in row:
        raise InputError("row has more fields than the header", location)
    return record_document(dict(row), location, f"{path.stem}:{line}")


def csv_records(path: Path, on_error: OnError | None = None) -> Iterator[Document]:
    """Documents from a CSV file with a header row holding at least ``text``; a bad row
    raises, or with ``on_error`` is reported there and skipped."""
    with _open(path) as handle:
        try:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or "text" not in reader.fieldnames:
                raise InputError("CSV header has no 'text' column", f"{path}:1")
            for row in reader:
                try:
                    yield _csv_row(row, path, reader.line_num)
                except InputError as exc:
                    if on_error is None:
                        raise
                    on_error(exc)
        except csv.Error as exc:
            raise InputError(f"malformed CSV ({exc})", f"{path}:{reader.line_num}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text ({exc.reason})", str(path)) from None
