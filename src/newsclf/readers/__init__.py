"""Readers: every input becomes a stream of :class:`~newsclf.types.Document`.

:func:`read_inputs` resolves files, folders (recursively, by suffix), globs and ``-``
(JSONL on stdin) and reads each file with the reader its caller's format table gives for
the suffix (``formats``; default :data:`BUILTIN_FORMATS`). The table of everything the
installed plugins register (``newsclf_register_readers``) is the registry's:
:func:`newsclf.plugins.read_inputs` passes it, and so does the CLI. This package does not
know the plugin registry.
"""

from __future__ import annotations

import glob
import inspect
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..types import Document, story_id
from ..typing import Reader
from .decoding import read_text
from .html import read_article
from .pages import split_page
from .records import (
    Fields,
    OnError,
    csv_records,
    gzip_records,
    json_records,
    jsonl_records,
    jsonl_stream,
)

__all__ = [
    "BUILTIN_FORMATS",
    "SeenIds",
    "csv_records",
    "expand_input",
    "gzip_records",
    "html_article",
    "json_records",
    "jsonl_records",
    "read_inputs",
    "text_page",
]

def text_page(path: Path) -> Iterator[Document]:
    """The stories of a scraped text page (see :mod:`newsclf.readers.pages`)."""
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
    yield read_article(path)


BUILTIN_FORMATS: Mapping[str, Reader] = {
    ".txt": text_page, ".html": html_article, ".htm": html_article,
    ".jsonl": jsonl_records, ".ndjson": jsonl_records, ".csv": csv_records,
    ".json": json_records, ".gz": gzip_records}


def expand_input(item: str, table: Mapping[str, Reader],
                 on_note: Callable[[str], None] | None = None) -> Iterator[Path]:
    """The files one input names (a file, a folder walked for the suffixes of ``table``,
    or a glob), in order; raises :class:`InputError` when it names nothing to read.
    ``on_note`` hears of the files a folder holds that are not read."""
    if any(ch in item for ch in "*?["):
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            raise InputError("no file matches this pattern", item)
        for match in matches:
            path = Path(match)
            if path.is_dir():
                yield from _walk(path, table, on_note)
            else:
                yield path
        return
    path = Path(item)
    if path.is_dir():
        notes: list[str] = []  # said only if the folder has something to read
        found = list(_walk(path, table, notes.append))
        if found and on_note is not None:
            for note in notes:
                on_note(note)
        if not found:
            looks_for = sorted(set(table) - NAMED_ONLY)
            raise InputError("no file here that newsclf reads (looks for "
                             f"{', '.join(looks_for)})", item)
        yield from found
    elif not path.exists():
        raise InputError("no such file or directory", item)
    else:
        yield path


# read when named, not when met in a folder: a folder's .json files are as often
# manifests, labels or settings as stories
NAMED_ONLY = frozenset({".json"})


def _walk(folder: Path, table: Mapping[str, Reader],
          on_note: Callable[[str], None] | None = None) -> Iterator[Path]:
    skipped: Counter[str] = Counter()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        suffix = path.suffix.lower()
        if suffix in table and suffix not in NAMED_ONLY:
            yield path
        else:
            skipped[suffix or "no suffix"] += 1
    if skipped and on_note is not None:
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(skipped.items()))
        on_note(f"{folder}: {sum(skipped.values())} file(s) not read ({kinds}: not a "
                "format newsclf reads in a folder; name a .json file to read it)")


def _takes(reader: Reader, option: str) -> bool:
    try:
        return option in inspect.signature(reader).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        return False


def _read_file(path: Path, reader: Reader, on_error: OnError | None,
               fields: Fields | None = None) -> Iterator[Document]:
    """One file's documents; with ``on_error`` a bad record (or a file that cannot be
    read at all) is reported and skipped instead of ending the run. ``fields`` goes to
    the readers of records (a page has no fields)."""
    options: dict[str, Any] = {"fields": fields} if fields and _takes(reader, "fields") \
        else {}
    if on_error is None:
        yield from reader(path, **options)
        return
    try:
        if _takes(reader, "on_error"):
            options["on_error"] = on_error
        yield from reader(path, **options)
    except InputError as exc:
        on_error(exc.at(str(path)))


class SeenIds:
    """The ids a stream has met, in 8 to 32 bytes an id (a million ids: at most 32 MB in
    one array, where a set of the strings takes over 70 MB in small objects): their 64-bit
    hashes in an open-addressing table kept at most half full, grown by doubling. Two
    ids with one hash would count as the same: odds about 1 in 37 million for a million
    ids (n² / 2⁶⁵)."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        import numpy as np

        self._np = np
        self._table = np.zeros(max(16, capacity), dtype=np.int64)  # 0: an empty slot
        self._n = 0

    def add(self, key: str) -> bool:
        """Record ``key``; whether it is new."""
        h = hash(key) or 1
        table = self._table
        mask = len(table) - 1
        i = h & mask
        while True:
            found = table[i]
            if found == 0:
                break
            if found == h:
                return False
            i = (i + 1) & mask
        table[i] = h
        self._n += 1
        if 2 * self._n > len(table):
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._table[self._table != 0]
        self._table = self._np.zeros(2 * len(self._table), dtype=self._np.int64)
        self._n = 0
        table, mask = self._table, len(self._table) - 1
        for h in old.tolist():
            i = h & mask
            while table[i] != 0:
                i = (i + 1) & mask
            table[i] = h
            self._n += 1

    def __len__(self) -> int:
        return self._n


def read_inputs(inputs: Iterable[str | Path], *, formats: Mapping[str, Reader] | None = None,
                stdin: IO[str] | None = None, unique: bool = True,
                on_error: OnError | None = None,
                on_note: Callable[[str], None] | None = None,
                fields: Fields | None = None) -> Iterator[Document]:
    """Documents from files, folders, globs and ``-`` (JSONL on standard input), lazily.

    Each file is read by the reader ``formats`` gives for its suffix (default: the
    built-in formats). With ``unique`` a story seen before (same id) is emitted once.
    A bad record raises :class:`InputError` naming its file and line, unless
    ``on_error`` is given: then it is reported there and skipped (``--skip-errors``).
    A missing input or a folder with nothing to read always raises. ``on_note`` (one
    line each) hears of what is passed over: a folder's files that are not read, a file
    with no story in it, stories skipped as seen before. ``fields`` names the records'
    own fields for a document's (``{"text": "body", "id": "guid"}``; JSONL, JSON, CSV).
    """
    table = BUILTIN_FORMATS if formats is None else formats
    seen = SeenIds()
    repeated = 0
    for item in inputs:
        if str(item) == "-":
            docs: Iterable[Document] = jsonl_stream(stdin or sys.stdin, "<stdin>", on_error,
                                                    fields=fields)
            paths: list[Path] = []
        else:
            paths = list(expand_input(str(item), table, on_note))
            docs = ()
        for doc in docs:
            if not unique or seen.add(doc.id):
                yield doc
            else:
                repeated += 1
        for path in paths:
            reader = table.get(path.suffix.lower())
            if reader is None:
                known = ", ".join(sorted(table))
                raise InputError(f"no reader for {path.suffix or 'files without a suffix'!r}"
                                 f" (known: {known})", str(path))
            stories = 0
            for doc in _read_file(path, reader, on_error, fields):
                stories += 1
                if not unique or seen.add(doc.id):
                    yield doc
                else:
                    repeated += 1
            if not stories and on_note is not None:
                on_note(f"{path}: no story in it")
    if repeated and on_note is not None:
        on_note(f"{repeated} record(s) left out: the same id was read before")
