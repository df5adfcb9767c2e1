"""One story, many copies: grouping syndicated and near-duplicate stories in a stream.

Copies of a wire story differ by site chrome and wire credits, a rewritten or suffixed
title, truncation to its first paragraphs, small copy edits. So the body is compared,
not the title (the title only when there is no body), as word ``k``-shingles:

- **candidates** come from two MinHash-LSH indexes (datasketch): one over each story's
  shingles, one over its *lead* (the first ``lead_words`` words), so that a teaser cut
  from a long story, whose Jaccard resemblance to it is small, still meets it;
- **verification** is exact, on the shingle sets kept for the stories in the window:
  a story joins a candidate's group when their Jaccard resemblance reaches ``jaccard``,
  or when the smaller one is contained in the larger to ``containment`` (a teaser, an
  excerpt, a copy with chrome around it);
- **bounded memory**: the indexes and sets hold the last ``window`` stories only; a
  story's group is the id of the first story of its group (itself when alone), and its
  similarity the resemblance that joined it.

MinHash signatures are computed with NumPy from 64-bit shingle hashes (``num_perm``
universal hash functions), which is several times faster than hashing every shingle
with SHA-1 as datasketch's ``MinHash.update`` does; the LSH index is datasketch's.
The defaults were chosen on ``benchmarks/dedup.py`` (stories of the topic training
file and copies made from them).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .types import Document

__all__ = ["Deduplicator", "group_duplicates"]

_WORD = re.compile(r"\w+", re.UNICODE)
_PRIME = np.uint64((1 << 61) - 1)


def _words(document: Document) -> list[str]:
    """The words compared: the body's, lower-cased (the title's if there is no body)."""
    words = _WORD.findall(document.text.lower())
    return words or _WORD.findall(document.title.lower())


def _shingles(words: list[str], k: int) -> np.ndarray:
    if len(words) < k:
        return np.array([hash(" ".join(words))], dtype=np.int64).view(np.uint64)
    grams = {hash(" ".join(words[i:i + k])) for i in range(len(words) - k + 1)}
    return np.fromiter(grams, dtype=np.int64, count=len(grams)).view(np.uint64)


@dataclass
class Deduplicator:
    """Groups near-duplicates in a stream (see the module doc); :meth:`add` one story at
    a time, or :func:`group_duplicates` over an iterable."""

    window: int = 20_000
    k: int = 5
    num_perm: int = 64
    lsh_threshold: float = 0.3
    jaccard: float = 0.4
    containment: float = 0.7
    lead_words: int = 25
    min_shingles: int = 8
    seed: int = 1
    _order: deque[str] = field(default_factory=deque, repr=False)
    _sets: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _group: dict[str, str] = field(default_factory=dict, repr=False)
    _index: Any = field(default=None, repr=False)
    _lead: Any = field(default=None, repr=False)
    _params: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def _setup(self) -> None:
        from datasketch import MinHashLSH

        rng = np.random.RandomState(self.seed)
        a = rng.randint(1, 1 << 61, size=self.num_perm, dtype=np.int64).astype(np.uint64)
        b = rng.randint(0, 1 << 61, size=self.num_perm, dtype=np.int64).astype(np.uint64)
        self._params = (a, b)
        self._index = MinHashLSH(threshold=self.lsh_threshold, num_perm=self.num_perm)
        self._lead = MinHashLSH(threshold=self.lsh_threshold, num_perm=self.num_perm)

    def _minhash(self, shingles: np.ndarray) -> Any:
        from datasketch import MinHash

        assert self._params is not None
        a, b = self._params
        values = (np.outer(a, shingles) + b[:, None]) % _PRIME  # wraps mod 2^64: fine
        return MinHash(num_perm=self.num_perm, hashvalues=values.min(axis=1), scheme="affine64")

    def add(self, document: Document) -> tuple[str, float]:
        """The group of ``document`` (the id of its group's first story) and its
        resemblance to the story it joined (1.0 for a story alone)."""
        if self._index is None:
            self._setup()
        words = _words(document)
        shingles = np.unique(_shingles(words, self.k))
        lead = np.unique(_shingles(words[: self.lead_words], self.k))
        body_hash, lead_hash = self._minhash(shingles), self._minhash(lead)
        group, similarity = document.id, 1.0
        best = 0.0
        for other in set(self._index.query(body_hash)) | set(self._lead.query(lead_hash)):
            score = self._resemblance(shingles, self._sets[other])
            if score > best:
                best, group = score, self._group[other]
        if best:
            similarity = best
        self._remember(document.id, shingles, lead_hash, body_hash, group)
        return group, similarity

    def _resemblance(self, a: np.ndarray, b: np.ndarray) -> float:
        """Jaccard resemblance, or containment of the smaller set in the larger, when it
        passes its threshold; 0 when neither does."""
        common = len(np.intersect1d(a, b, assume_unique=True))
        if not common:
            return 0.0
        jaccard = common / (len(a) + len(b) - common)
        smaller = min(len(a), len(b))
        contained = common / smaller if smaller >= self.min_shingles else 0.0
        if jaccard >= self.jaccard or contained >= self.containment:
            return max(jaccard, contained)
        return 0.0

    def _remember(self, key: str, shingles: np.ndarray, lead: Any, body: Any,
                  group: str) -> None:
        if key in self._sets:  # the same id again: keep the first
            return
        self._sets[key], self._group[key] = shingles, group
        self._index.insert(key, body)
        self._lead.insert(key, lead)
        self._order.append(key)
        while len(self._order) > self.window:
            old = self._order.popleft()
            self._index.remove(old)
            self._lead.remove(old)
            del self._sets[old], self._group[old]


def group_duplicates(documents: Iterable[Document], **params: Any
                     ) -> Iterator[tuple[Document, str, float]]:
    """``(document, group, similarity)`` for each document, in order (see the module
    doc; ``params`` are :class:`Deduplicator`'s)."""
    dedup = Deduplicator(**params)
    for doc in documents:
        group, similarity = dedup.add(doc)
        yield doc, group, similarity
