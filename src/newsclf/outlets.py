"""Which outlet a story comes from, and cross-validation folds that never split one.

Users run newsclf on their own outlets, so a figure that matters is how a model does on
an outlet it never saw. A random K-fold split flatters: the same site's wording, bylines
and section names land on both sides. :func:`grouped_folds` keeps every outlet (or any
other group: a month, a feed) whole on one side, which is what ``newsclf train
--group-by`` and the learned classifiers' ``group_by`` parameter use to choose
thresholds and calibration.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlsplit

import numpy as np

from .types import Document

__all__ = ["OUTLET", "check_groups", "group_of", "grouped_folds", "outlet_of"]

OUTLET = "outlet"
"""The pseudo-field of :func:`group_of` that means "the story's outlet, however told"."""

_NONE = "(none)"


def outlet_of(document: Document) -> str:
    """The story's outlet: its ``outlet`` field if the record has one, else the host of
    its ``url`` (without ``www.``), else its ``source`` up to the first ``:`` or ``#``
    (``reuters:2025/…`` → ``reuters``); ``(none)`` when it has none of these."""
    given = document.meta.get(OUTLET)
    if given not in (None, ""):
        return str(given)
    if document.url:
        host = urlsplit(document.url if "//" in document.url
                        else f"//{document.url}").hostname or ""
        if host:
            return host.removeprefix("www.")
    if document.source:
        head = document.source.split(":", 1)[0].split("#", 1)[0].strip()
        if head:
            return head
    return _NONE


def group_of(document: Document, field: str) -> str:
    """The value of ``field`` for ``document`` (a Document attribute such as ``source``,
    a record field kept in ``meta``, or ``outlet``: :func:`outlet_of`), as a string;
    ``(none)`` when it has none."""
    if field == OUTLET:
        return outlet_of(document)
    value = getattr(document, field, None) if field in ("id", "source", "published", "url") \
        else document.meta.get(field)
    return _NONE if value is None or value == "" else str(value)


def check_groups(groups: Sequence[str], field: str, option: str = "--group-by",
                 error: type[Exception] = ValueError) -> None:
    """Raise ``error`` saying why ``groups`` (each story's value of ``field``) cannot
    group stories: every story has the same value, or nearly every story its own (an
    id, a URL: no group to learn from or score)."""
    values = Counter(groups)
    if len(values) < 2:
        raise error(f"{option} {field}: every record has the same value "
                    f"({next(iter(values), '')!r}); grouped folds need two or more")
    if len(groups) >= 4 and len(values) > len(groups) // 2:
        raise error(f"{option} {field}: {len(values)} values for {len(groups)} records "
                    "(nearly one per record); group by a field that records share, such "
                    "as source or outlet")


def grouped_folds(groups: Sequence[str], folds: int,
                  seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """K-fold splits (train, test indices) in which no group is split: every row of a
    group is in the same test fold. Groups are dealt out in an order shuffled by ``seed``,
    each to the fold with the fewest rows so far, so folds come out about even and each
    seed gives another assignment. With fewer groups than ``folds``, there is one fold
    per group; with fewer than two groups, a :class:`ValueError`."""
    names, inverse, sizes = np.unique(np.asarray(groups, dtype=object).astype(str),
                                      return_inverse=True, return_counts=True)
    k = min(folds, len(names))
    if k < 2:
        raise ValueError(f"{len(names)} group(s): grouped folds need at least two")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(names))
    fold_of = np.empty(len(names), dtype=np.int64)
    load = np.zeros(k, dtype=np.int64)
    for g in order:
        target = int(np.argmin(load))
        fold_of[g] = target
        load[target] += sizes[g]
    row_fold = fold_of[inverse]
    rows = np.arange(len(groups))
    return [(rows[row_fold != f], rows[row_fold == f]) for f in range(k)]
