"""Progress on stderr for long runs: stories done, stories per second, and the time left
when the input's size is known. Drawn by tqdm, only when stderr is a terminal (never into
a log file or a pipe), and not at all with ``--quiet``."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

__all__ = ["count_records", "progress"]

T = TypeVar("T")

# counting the lines of inputs bigger than this would delay the first label noticeably
_COUNT_LIMIT = 2_000_000_000


def progress(items: Iterable[T], label: str, *, total: int | None = None,
             inputs: Iterable[str] | None = None, quiet: bool = False) -> Iterator[T]:
    """``items``, unchanged, with a progress bar on stderr when it is a terminal. The
    bar's total is ``total``, or the stories counted in ``inputs``
    (:func:`count_records`) — counted only when a bar is drawn."""
    if quiet or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    if total is None and inputs is not None:
        total = count_records(inputs)
    with tqdm(items, desc=label, total=total, unit=" stories", file=sys.stderr,
              dynamic_ncols=True, mininterval=0.5, smoothing=0.1) as bar:
        yield from bar


def count_records(inputs: Iterable[str]) -> int | None:
    """The number of stories in ``inputs`` when it is cheap to know: the lines of JSONL
    files (a binary scan, up to 2 GB in all) and the number of other files; ``None`` for
    standard input, globs and folders, or larger inputs (no ETA then, the rate still)."""
    total, size = 0, 0
    for item in inputs:
        path = Path(item)
        if item == "-" or not path.is_file():
            return None
        size += path.stat().st_size
        if size > _COUNT_LIMIT:
            return None
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            with open(path, "rb") as handle:
                chunks = iter(lambda: handle.read(1 << 20), b"")
                total += sum(chunk.count(b"\n") for chunk in chunks)
        elif path.suffix.lower() == ".csv":
            return None
        else:
            total += 1
    return total
