"""Guarding a stream of stories: what is odd but valid is counted, never fatal.

In a stream of a million scraped records some are empty, some absurdly long, some
broken. :func:`guarded` passes the stream on and keeps a :class:`Tally`: stories with
neither title nor text (kept: they get no labels), stories cut to ``max_chars`` (the
long-document policy: a 50 MB "story" is a scraper's mistake, classified on its first
``max_chars`` characters), and records skipped as unreadable (with ``--skip-errors``).
The CLI prints the tally in one line on stderr at the end.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import InputError
from .types import Document

__all__ = ["MAX_CHARS", "Tally", "guarded"]

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
        if len(self.first_errors) < 5:
            self.first_errors.append(str(error))

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
