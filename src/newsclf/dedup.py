"""One story, many copies: grouping syndicated and near-duplicate stories in a stream.

Copies of a wire story differ by site chrome and wire credits, a rewritten or suffixed
title, truncation to its first paragraphs, small copy edits. So the body is compared,
not the title (the title only when there is no body), as word ``k``-shingles:

- **candidates** come from two MinHash-LSH indexes (datasketch): one over each story's
  shingles, one over its *lead* (the first ``lead_words`` words), so that a teaser cut
  from a long story, whose Jaccard resemblance to it is small, still meets it; and
  from the stories that *open* with one of the story's first ``opening`` shingles that
  are not chrome (an exact table: a teaser of two wrapped lines is too small for the
  lead's MinHash to find its story reliably);
- **verification** is exact, on the shingle sets kept for the stories in the window:
  a story joins a candidate's group when their Jaccard resemblance reaches ``jaccard``,
  or when the smaller one is contained in the larger to ``containment`` (a teaser, an
  excerpt, a copy with chrome around it) and reads as prose (a site's menu alone does
  not: it has no sentence end, and its items are capitalised where 40 % or more of the
  words of a teaser cut mid-sentence are not);
- **a group is held together by its longest story**: a story joins a group only if it
  also overlaps the group's longest story (the smaller at least ``containment / 2``
  contained in the other), so two different stories that each contain one short text
  (a site's standard opening paragraph seen alone) do not become one group through it;
- **site chrome is learned from the stream**: a shingle seen in at least ``chrome_min``
  stories of the window, and in at least ``chrome_share`` of them (a menu, a newsletter
  plug, a copyright notice repeated on every page of a site), is boilerplate and left out
  of the comparison (a count-min sketch keeps the counts in fixed memory). The price:
  copies of one story beyond about ``chrome_min`` in the window share so many shingles
  that the later ones read as boilerplate and stand alone; raise ``chrome_min`` for
  streams where one story arrives dozens of times;
- **figures must agree**: when both stories give at least ``min_numbers`` figures
  (numbers as written: ``1.5``, ``6-1/8``), at least ``numbers`` (70 %) of the smaller
  set must be in the other: copies keep their figures, while templated stories (a
  company's results, a dividend notice, a market report of another day) differ in
  little else;
- **bounded memory**: the indexes, sets and line counts hold the last ``window`` stories
  only; with ``max_age`` (seconds) and stories that carry a ``published`` date (ISO 8601
  or RFC 2822), also only those published at most ``max_age`` before the newest story
  seen, and two stories further apart than that never join (a wire story re-run a year
  later is news again). A story's group is the id of the first story of its group (itself
  when alone), and its similarity the resemblance that joined it.

MinHash signatures are computed with NumPy from 64-bit shingle hashes (``num_perm``
universal hash functions), which is several times faster than hashing every shingle
with SHA-1 as datasketch's ``MinHash.update`` does; the LSH index is datasketch's.
The defaults were chosen on ``benchmarks/dedup.py`` (copies made from the stories of
the topic training file, the scraped pages and the Reuters ModApte training split).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from hashlib import blake2b
from typing import Any, NamedTuple, TypeVar

import numpy as np

from .streams import batches, pooled
from .types import Document

__all__ = ["Deduplicator", "TextFeatures", "format_groups", "group_duplicates",
           "published_time", "text_features"]

T = TypeVar("T")
_WORD = re.compile(r"\w+", re.UNICODE)
_PRIME = np.uint64((1 << 61) - 1)


def _words(document: Document) -> list[str]:
    """The words compared: the body's, lower-cased (the title's if there is no body)."""
    words = _WORD.findall(document.text.lower())
    return words or _WORD.findall(document.title.lower())


# a figure as written: 1.5, 6-1/8, 2,300, 1987 (kept whole, not split at its punctuation)
_FIGURE = re.compile(r"\d(?:[\d.,/-]*\d)?")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]?(?:\s|$)")


_LETTERED = re.compile(r"(?<![\w])[^\W\d_]", re.UNICODE)


def _is_prose(text: str, words: int) -> bool:
    """Whether a text reads as running text, as a story or its teaser does and a site's
    menu does not: at least one sentence end per 80 words, or (a teaser cut
    mid-sentence) at least 40 % of its words starting in lower case, where a menu's
    items are capitalised ("Home World Business Markets") and a wire story's opening
    lines, names and all, are not ("Total futures and options turnover on the London
    International Financial Futures Exchange (LIFFE) fell": 7 of 14)."""
    if len(_SENTENCE_END.findall(text)) >= max(1, words // 80):
        return True
    initials = _LETTERED.findall(text)
    return len(initials) >= 8 and sum(c.islower() for c in initials) >= 0.4 * len(initials)


class _Sketch:
    """Approximate counts of shingles (count-min: ``depth`` rows of ``2**bits`` cells,
    kept as one flat array)."""

    def __init__(self, bits: int = 20, depth: int = 4, seed: int = 7) -> None:
        rng = np.random.RandomState(seed)
        self.mult = (rng.randint(1, 1 << 62, size=depth, dtype=np.int64) | 1).astype(np.uint64)
        self.shift = np.uint64(64 - bits)
        self.table = np.zeros(depth << bits, dtype=np.int32)
        self.offsets = (np.arange(depth, dtype=np.int64) << bits)[:, None]

    def _cells(self, keys: np.ndarray) -> np.ndarray:
        cells: np.ndarray = (np.outer(self.mult, keys) >> self.shift).astype(np.int64)
        cells += self.offsets
        return cells

    def count(self, keys: np.ndarray) -> np.ndarray:
        if not len(keys):
            return np.zeros(0, dtype=np.int32)
        return np.asarray(self.table[self._cells(keys)].min(axis=0))

    def add(self, keys: np.ndarray, by: int = 1) -> None:
        """Count one story's distinct shingles (``by=-1``: forget them). Two of them
        that fall in one cell count once there (ten times faster than ``np.add.at``;
        the same on adding and forgetting, so the table never drifts)."""
        if len(keys):
            self.table[self._cells(keys).ravel()] += by


@lru_cache(maxsize=1 << 18)
def _word_hash(word: str) -> int:
    """A word's 64-bit hash, the same in every run (Python's ``hash`` of a string
    changes from process to process, and so would the groups)."""
    return int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


_ROLL = np.uint64(0x9E3779B97F4A7C15)


def _shingles(words: list[str], k: int) -> np.ndarray:
    """The hashes of the text's word ``k``-shingles in text order (one shingle of all
    the words when there are fewer), rolled from the words' hashes with NumPy."""
    h = np.fromiter(map(_word_hash, words or [""]), dtype=np.uint64, count=len(words) or 1)
    k = min(k, len(h))
    n = len(h) - k + 1
    grams = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        grams = grams * _ROLL + h[j:j + n]  # wraps modulo 2**64
    return grams


class TextFeatures(NamedTuple):
    """What a story's text gives the comparison, computed from the story alone (so in
    any process): its shingles in text order and distinct, its figures, whether it
    reads as prose."""

    ordered: np.ndarray
    shingles: np.ndarray
    figures: frozenset[str]
    prose: bool


def text_features(document: Document, k: int = 5) -> TextFeatures:
    """The :class:`TextFeatures` of a story (word ``k``-shingles)."""
    words = _words(document)
    text = document.text or document.title
    ordered = _shingles(words, k)
    return TextFeatures(ordered, np.unique(ordered), frozenset(_FIGURE.findall(text)),
                        _is_prose(text, len(words)))


def _features_of(batch: list[Document], k: int) -> list[TextFeatures]:
    return [text_features(doc, k) for doc in batch]


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
    opening: int = 2
    chrome_min: int = 10
    chrome_share: float = 0.01
    seed: int = 1
    max_age: float | None = None
    numbers: float = 0.7
    min_numbers: int = 1
    _order: deque[str] = field(default_factory=deque, repr=False)
    _time: dict[str, float | None] = field(default_factory=dict, repr=False)
    _newest: float | None = field(default=None, repr=False)
    _sketch: _Sketch = field(default_factory=_Sketch, repr=False)
    _prose: dict[str, bool] = field(default_factory=dict, repr=False)
    _figures: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _sets: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _group: dict[str, str] = field(default_factory=dict, repr=False)
    _longest: dict[str, str] = field(default_factory=dict, repr=False)
    _index: Any = field(default=None, repr=False)
    _lead: Any = field(default=None, repr=False)
    _openings: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _opened: dict[str, list[int]] = field(default_factory=dict, repr=False)
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
        # a LeanMinHash from the values: a MinHash would draw its permutations each time
        from datasketch import LeanMinHash

        assert self._params is not None
        a, b = self._params
        values = (np.outer(a, shingles) + b[:, None]) % _PRIME  # wraps mod 2^64: fine
        return LeanMinHash(seed=self.seed, hashvalues=values.min(axis=1), scheme="affine64")

    def add(self, document: Document, text: TextFeatures | None = None
            ) -> tuple[str, float]:
        """The group of ``document`` (the id of its group's first story) and its
        resemblance to the story it joined (1.0 for a story alone). ``text``: the
        document's :func:`text_features` if already computed (in a worker process)."""
        if document.is_empty:  # nothing to compare: alone, and never joined
            return document.id, 1.0
        if self._index is None:
            self._setup()
        ordered, raw, figures, prose = text or text_features(document, self.k)
        shingles = self._content(raw)
        lead_raw = np.unique(ordered[: max(1, self.lead_words - self.k + 1)])
        lead = self._content(lead_raw)
        opening = self._content(ordered[: self.lead_words])[:self.opening]
        # a story that is all chrome is indexed by its raw shingles (so nothing breaks)
        # but can match nothing: the comparison leaves chrome out on both sides
        body_hash = self._minhash(shingles if len(shingles) else raw)
        lead_hash = self._minhash(lead if len(lead) else lead_raw)
        group, similarity = document.id, 1.0
        best = 0.0
        when = published_time(document.published) if self.max_age is not None else None
        if when is not None:
            self._newest = when if self._newest is None else max(self._newest, when)
            self._forget_older()
        if len(shingles):
            candidates = set(self._index.query(body_hash)) | set(self._lead.query(lead_hash))
            for key in opening.tolist():
                candidates.update(self._openings.get(key, ()))
            for other in candidates:
                if not self._close_in_time(when, self._time.get(other)) \
                        or not self._same_figures(figures, self._figures.get(other)):
                    continue
                score, _ = self._resemblance(shingles, self._content(self._sets[other]),
                                             prose, self._prose[other])
                if score > best and self._fits_group(shingles, other):
                    best, group = score, self._group[other]
        if best:
            similarity = best
        self._remember(document.id, raw, lead_hash, body_hash, group, opening.tolist())
        self._prose.setdefault(document.id, prose)
        self._time.setdefault(document.id, when)
        self._figures.setdefault(document.id, figures)
        return group, similarity

    def _fits_group(self, shingles: np.ndarray, member: str) -> bool:
        """Whether a story that resembles ``member`` also overlaps the longest story of
        its group (the smaller of the two at least half as contained in the other as
        ``containment`` asks). A group is held together by its full story: two
        different stories that each contain one short text (a teaser made of a site's
        standard opening paragraph, say) must not become one group through it."""
        longest = self._longest.get(self._group[member])
        if longest is None or longest == member:
            return True
        other = self._content(self._sets[longest])
        common = len(np.intersect1d(shingles, other, assume_unique=True))
        smaller = min(len(shingles), len(other))
        return bool(smaller) and common / smaller >= self.containment / 2

    def _same_figures(self, a: frozenset[str], b: frozenset[str] | None) -> bool:
        """Copies keep their figures; templated stories (results, dividends, prices) of
        different companies or days share every word but them. Stories that both give at
        least ``min_numbers`` figures join only when at least ``numbers`` of the smaller
        set's figures are in the other (a teaser gives fewer, the same ones)."""
        if b is None or len(a) < self.min_numbers or len(b) < self.min_numbers:
            return True
        return len(a & b) / min(len(a), len(b)) >= self.numbers

    def _close_in_time(self, a: float | None, b: float | None) -> bool:
        return self.max_age is None or a is None or b is None or abs(a - b) <= self.max_age

    def _forget_older(self) -> None:
        """Drop the oldest stories of the window published more than ``max_age`` before
        the newest (from the front: a stream is roughly in time order)."""
        assert self._newest is not None and self.max_age is not None
        while self._order:
            when = self._time.get(self._order[0])
            if when is None or self._newest - when <= self.max_age:
                return
            self._drop(self._order.popleft())

    def _content(self, shingles: np.ndarray) -> np.ndarray:
        """The shingles that are not site chrome (see the module doc)."""
        bar = max(self.chrome_min, self.chrome_share * len(self._order))
        return shingles[self._sketch.count(shingles) < bar]

    def _resemblance(self, a: np.ndarray, b: np.ndarray, a_prose: bool = True,
                     b_prose: bool = True) -> tuple[float, float]:
        """(resemblance, Jaccard): the resemblance is the Jaccard resemblance or the
        containment of the smaller set in the larger, whichever passes its threshold and
        is higher; 0 when neither does. Containment counts only when the smaller one is
        prose (a teaser has sentences; a page's menu does not)."""
        common = len(np.intersect1d(a, b, assume_unique=True))
        if not common:
            return 0.0, 0.0
        jaccard = common / (len(a) + len(b) - common)
        smaller = min(len(a), len(b))
        small_is_prose = a_prose if len(a) <= len(b) else b_prose
        contained = common / smaller if smaller >= self.min_shingles and small_is_prose \
            else 0.0
        if jaccard >= self.jaccard or contained >= self.containment:
            return max(jaccard, contained), jaccard
        return 0.0, jaccard

    def _remember(self, key: str, shingles: np.ndarray, lead: Any, body: Any,
                  group: str, opening: list[int]) -> None:
        if key in self._sets:  # the same id again: keep the first
            return
        self._opened[key] = opening
        for gram in opening:
            self._openings.setdefault(gram, []).append(key)
        self._sets[key], self._group[key] = shingles, group
        longest = self._longest.get(group)
        if longest is None or len(shingles) > len(self._sets[longest]):
            self._longest[group] = key
        self._sketch.add(shingles)
        self._index.insert(key, body)
        self._lead.insert(key, lead)
        self._order.append(key)
        while len(self._order) > self.window:
            self._drop(self._order.popleft())

    def _drop(self, old: str) -> None:
        self._index.remove(old)
        self._lead.remove(old)
        for gram in self._opened.pop(old):
            keys = self._openings[gram]
            keys.remove(old)
            if not keys:
                del self._openings[gram]
        self._sketch.add(self._sets[old], -1)
        if self._longest.get(self._group[old]) == old:
            del self._longest[self._group[old]]
        del self._sets[old], self._group[old]
        self._prose.pop(old, None)
        self._time.pop(old, None)
        self._figures.pop(old, None)


def published_time(value: str | None) -> float | None:
    """Seconds since the epoch of a ``published`` value (ISO 8601, with or without a time
    or zone, or RFC 2822 as in RSS); ``None`` when it is missing or unreadable."""
    if not value:
        return None
    from datetime import datetime, timezone
    from email.utils import parsedate_to_datetime

    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def group_duplicates(documents: Iterable[Document], *, jobs: int = 1, batch_size: int = 256,
                     **params: Any) -> Iterator[tuple[Document, str, float]]:
    """``(document, group, similarity)`` for each document, in order (see the module
    doc; ``params`` are :class:`Deduplicator`'s).

    With ``jobs > 1``, worker processes read the texts (words, shingle hashes, figures:
    :func:`text_features`, batch by batch) while this process compares; the comparison
    itself stays in one process, since what is chrome depends on every story before.
    The groups are the same as with one job."""
    dedup = Deduplicator(**params)
    if jobs <= 1:
        for doc in documents:
            group, similarity = dedup.add(doc)
            yield doc, group, similarity
        return
    work = partial(_features_of, k=dedup.k)
    for batch, features in pooled(work, batches(documents, batch_size), jobs):
        for doc, text in zip(batch, features):
            group, similarity = dedup.add(doc, text)
            yield doc, group, similarity


def short_title(document: Document, width: int) -> str:
    """A story's title (its text's start when it has none) in at most ``width``
    characters, for a line of a table."""
    title = document.title or document.text[:width]
    return title[: width - 1] + "…" if len(title) > width else title


def by_group(items: Iterable[tuple[Document, str, T]]) -> tuple[dict[str, list[T]], int]:
    """``(document, group, value)`` items collected by group in order of first
    appearance, and how many there were."""
    members: dict[str, list[T]] = {}
    total = 0
    for _, group, value in items:
        total += 1
        members.setdefault(group, []).append(value)
    return members, total


def format_groups(grouped: Iterable[tuple[Document, str, float]],
                  width: int = 70) -> Iterator[str]:
    """Lines for people: each group with copies (first story, then its copies with their
    similarity), in order of first appearance, then a one-line summary. Holds one line
    per grouped story: for reading, not for a day's stream."""
    members, total = by_group((doc, group, (doc, similarity))
                              for doc, group, similarity in grouped)
    copies = {g: m for g, m in members.items() if len(m) > 1}
    for group, found in copies.items():
        yield f"group {group} ({len(found)} stories)"
        for doc, similarity in found:
            yield f"  {doc.id:<24} {similarity:5.3f}  {short_title(doc, width)}"
    alone = len(members) - len(copies)
    yield (f"{total} stories: {len(copies)} group(s) with copies "
           f"({sum(len(m) for m in copies.values())} stories), {alone} alone")
