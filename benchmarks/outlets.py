"""The outlet of each story of the project's shared training data, by the rule its
README gives (``../shared/data/topics/README.md``, "Outlets, for folds that never split
one"): the dataset before the ``:`` of ``source``, the two BBC datasets as one outlet,
the three news-API sample files as one, the feed-site dataset split by the wire in its
path. Used by the benchmarks and the default model's build to set each record's
``outlet`` field, which :func:`newsclf.outlets.outlet_of` then reads.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from newsclf.types import Document

_SAME = {
    "dejanbatanjac/bbc-article-classify-bert": "bbc",
    "moodHappy/bbc-news-archive": "bbc",
    "moodHappy/nyt-news-archive": "nyt",
    "loki86/ksr_zadanie1V2": "reuters-1987",
    "lostflux/functional-scraper": "scraped-2022-23",
}
_WIRE = re.compile(r"/news/([^/]+)/")


def shared_outlet(source: str | None) -> str:
    """The outlet of a story of the shared data, from its ``source``."""
    dataset = (source or "").split(":", 1)[0]
    if dataset in _SAME:
        return _SAME[dataset]
    if dataset.startswith("newsdatahub/"):
        return "newsdatahub"
    if dataset == "zhigehe/bulwark":
        wire = _WIRE.search(source or "")
        return wire.group(1) if wire else dataset
    return dataset or "(none)"


def with_outlets(documents: Iterable[Document]) -> Iterator[Document]:
    """The documents with ``outlet`` set in their record (``meta``)."""
    for doc in documents:
        yield dataclasses.replace(doc, meta={**doc.meta, "outlet": shared_outlet(doc.source)})
