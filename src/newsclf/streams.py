"""Guarding a stream of stories: what is odd but valid is counted, never fatal.

In a stream of a million scraped records some are empty, some absurdly long, some
broken. :func:`guarded` passes the stream on and keeps a :class:`Tally`: stories with
neither title nor text (kept: they get no labels), stories cut to ``max_chars`` (the
long-document policy: a 50 MB "story" is a scraper's mistake, classified on its first
``max_chars`` characters), and records skipped as unreadable (with ``--skip-errors``).
The CLI prints the tally in one line on stderr at the end.

And taking a stream in batches: :func:`batches`, and :func:`pooled` to run work on them
in worker processes, in input order, a bounded number in flight.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from .errors import InputError
from .types import Document

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["MAX_CHARS", "Tally", "batches", "guarded", "pooled"]

FIRST_ERRORS = 5  # skipped records named in the summary

MAX_CHARS = 1_000_000


@dataclass
class Tally:
    """What a run met: empty stories, cut stories, skipped records (the first few)."""

    empty: int = 0
    truncated: int = 0
    skipped: int = 0
    first_errors: list[str] = field(default_factory=list)

    def skip(self, error: InputError) -> None:
        """Count a record skipped for ``error`` (``--skip-errors``)."""
        self.skipped += 1
        if len(self.first_errors) < FIRST_ERRORS:
            self.first_errors.append(str(error))

    def add(self, other: Tally) -> None:
        """Count what another run met too (a worker's partition)."""
        self.empty += other.empty
        self.truncated += other.truncated
        self.skipped += other.skipped
        room = FIRST_ERRORS - len(self.first_errors)
        self.first_errors += other.first_errors[:max(0, room)]

    def summary(self, empty_means: str = "written with no labels") -> str:
        """One line for stderr ("" when there is nothing to say)."""
        parts = []
        if self.empty:
            parts.append(f"{self.empty} record(s) had neither title nor text ({empty_means})")
        if self.truncated:
            parts.append(f"{self.truncated} record(s) longer than the limit were classified "
                         "on their first characters")
        if self.skipped:
            first = "; ".join(self.first_errors)
            parts.append(f"{self.skipped} unreadable record(s) skipped (first: {first})")
        return "; ".join(parts)


def guarded(documents: Iterable[Document], tally: Tally, *,
            max_chars: int = MAX_CHARS) -> Iterator[Document]:
    """The stream with empty stories counted and over-long texts cut to ``max_chars``."""
    for doc in documents:
        if doc.is_empty:
            tally.empty += 1
        elif len(doc.text) > max_chars:
            tally.truncated += 1
            doc = dataclasses.replace(doc, text=doc.text[:max_chars])
        yield doc


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """The items in lists of ``size`` (the last one shorter), read lazily."""
    it = iter(items)
    while batch := list(islice(it, max(1, size))):
        yield batch


def pooled(func: Callable[[list[T]], R], batched: Iterable[list[T]], jobs: int, *,
           initializer: Callable[..., None] | None = None,
           initargs: Sequence[Any] = ()) -> Iterator[tuple[list[T], R]]:
    """``(batch, func(batch))`` for each batch, in input order, ``func`` run in ``jobs``
    worker processes with at most ``2 * jobs`` batches in flight (memory stays flat).
    ``func`` must be picklable (a module-level function or a ``functools.partial``)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs, initializer=initializer, initargs=tuple(initargs)) as pool:
        pending: deque[tuple[list[T], Any]] = deque()
        for batch in batched:
            pending.append((batch, pool.submit(func, batch)))
            if len(pending) >= 2 * jobs:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
