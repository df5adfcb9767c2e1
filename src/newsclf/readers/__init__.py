"""Readers: every input becomes a stream of :class:`~newsclf.types.Document`.

Formats are registered through the ``newsclf_register_readers`` hook (suffix → reader);
the built-in ones are in :mod:`newsclf.default_plugins.readers`. :func:`read_inputs`
resolves files, folders (recursively, by suffix), globs and ``-`` (JSONL on stdin).
"""

from __future__ import annotations

import glob
import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import InputError
from ..types import Document
from .records import csv_records, jsonl_records, jsonl_stream

__all__ = [
    "Reader",
    "csv_records",
    "html_article",
    "jsonl_records",
    "read_inputs",
    "story_id",
    "text_page",
]

Reader = Callable[[Path], Iterable[Document]]


def story_id(title: str, text: str) -> str:
    """A story's stable id: the first 16 hex digits of the SHA-256 of its title and text,
    so the same story gets the same id on every page and every run."""
    digest = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
    return digest[:16]


def text_page(path: Path) -> Iterator[Document]:
    """The stories of a scraped text page (see :mod:`newsclf.readers.pages`)."""
    from .decoding import read_text
    from .pages import split_page

    for index, story in enumerate(split_page(read_text(path))):
        meta: dict[str, object] = {"page": path.name, "index": index}
        if story.section:
            meta["section"] = story.section
        if story.teaser:
            meta["teaser"] = True
        yield Document(id=story_id(story.title, story.text), title=story.title,
                       text=story.text, source=story.source, meta=meta)


def html_article(path: Path) -> Iterator[Document]:
    """The main text and title of an HTML article, extracted by trafilatura."""
    from .html import read_article

    yield read_article(path)


def _reader_table() -> dict[str, Reader]:
    from ..plugins import get_registry

    return {suffix: reg.obj for suffix, reg in get_registry().readers.items()}


def _expand(item: str, table: dict[str, Reader]) -> Iterator[Path]:
    if any(ch in item for ch in "*?["):
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            raise InputError("no file matches this pattern", item)
        for match in matches:
            path = Path(match)
            if path.is_dir():
                yield from _walk(path, table)
            else:
                yield path
        return
    path = Path(item)
    if path.is_dir():
        yield from _walk(path, table)
    elif not path.exists():
        raise InputError("no such file or directory", item)
    else:
        yield path


def _walk(folder: Path, table: dict[str, Reader]) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in table and not path.name.startswith("."):
            yield path


def read_inputs(inputs: Iterable[str | Path], *, stdin: IO[str] | None = None,
                unique: bool = True) -> Iterator[Document]:
    """Documents from files, folders, globs and ``-`` (JSONL on standard input), lazily.

    Each file is read by the reader registered for its suffix. With ``unique`` a story
    seen before (same id) is emitted once.
    """
    table = _reader_table()
    seen: set[str] = set()
    for item in inputs:
        if str(item) == "-":
            docs: Iterable[Document] = jsonl_stream(stdin or sys.stdin, "<stdin>")
            paths: list[Path] = []
        else:
            paths = list(_expand(str(item), table))
            docs = ()
        for doc in docs:
            if not unique or doc.id not in seen:
                seen.add(doc.id)
                yield doc
        for path in paths:
            reader = table.get(path.suffix.lower())
            if reader is None:
                known = ", ".join(sorted(table))
                raise InputError(f"no reader for {path.suffix or 'files without a suffix'!r}"
                                 f" (known: {known})", str(path))
            for doc in reader(path):
                if not unique or doc.id not in seen:
                    seen.add(doc.id)
                    yield doc
