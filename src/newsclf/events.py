"""One event, many stories: grouping a stream of news into the events it reports.

Copies of one story share their words (:mod:`newsclf.dedup` finds them); reports of one
event by different outlets, or on different days, share what happened and who was in
it, in other words. So a story is compared with the *events* open in its window:

- **what it says**: its static embedding (title and body, without the outlet's
  boilerplate and without the *site chrome* learned from the stream: a sentence already
  seen in ``chrome`` stories of the window, such as a site's menu, a review disclaimer
  or a newsletter plug, is left out), less the background all news shares (the mean
  story vector, shipped beside the static model);
- **who and where**: the names it gives (:func:`newsclf.names.story_names`, read from
  the same text), each weighed by how rare it is in the window (``log(N / df)``; names
  in more than ``rare`` of the window's stories not at all): a shared "Typhoon Maysak"
  or "Reserve Bank of India" counts, a shared "US" or "Monday" does not;
- **a gate on its labels**: a story whose countries and topics (from the model's labels)
  are both disjoint from the event's does not join it;
- **copies join at once**: a story that :class:`~newsclf.dedup.Deduplicator` finds to
  be a copy of an earlier one joins that story's event.

A story joins the open event it is closest to on average (the mean cosine to its
stories: the dot product with the mean of their vectors) if that reaches ``related``
and they share names worth ``names`` or more, or if it reaches ``similarity`` alone (a
rewrite of the same report); else it opens a new event. Comparing with the whole event
rather than its nearest member keeps events from chaining (A like B, B like C, … until A
and Z have nothing in common), and a story must also stay within ``anchor`` of the
event's first story, which caps how far an event can drift.

An event's id is the id of its first story, and every decision depends only on the
stories before, so the ids are the same on every run and when the same stream is read
again with more stories appended. Memory is bounded: an event closes when no story has
joined it for ``window`` seconds of ``published`` time (or, for stories without a date,
``window_stories`` stories), or when more than ``max_open`` are open; a closed event is
handed on as an :class:`EventRecord` and forgotten.

Candidates are found with NumPy: one matrix product of a batch of stories with the
centres of the open events (a few thousand, for a day's wire), then exact dot products
for the few candidates; an approximate index would pay only at windows of hundreds of
thousands of open events. The defaults were chosen on ``benchmarks/events.py``.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, NamedTuple
from zlib import crc32

import numpy as np

from .classifiers.text import strip_boilerplate, strip_title
from .dedup import _Sketch, by_group, published_time, short_title
from .errors import ConfigError, ModelError
from .names import story_names
from .outlets import outlet_of
from .streams import batches
from .types import Document, Label, Prediction

__all__ = ["EventGrouper", "EventRecord", "Joined", "format_events", "group_events",
           "with_events"]

_MARGIN = 0.02  # candidates from the batch product are checked exactly from this far below


class Joined(NamedTuple):
    """The event a story joined (the id of its first story; its own id when it opened
    one) and how close it was to the event's centre (1.0 when it opened it)."""

    event: str
    similarity: float


@dataclass
class EventRecord:
    """A closed event: what ``newsclf events --summary`` writes, one line an event."""

    id: str
    first: float | None
    last: float | None
    stories: int
    outlets: dict[str, int]
    topics: dict[str, int]
    countries: dict[str, int]
    title: str
    central: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "first": _iso(self.first), "last": _iso(self.last),
                "stories": self.stories, "outlets": self.outlets, "topics": self.topics,
                "countries": self.countries, "title": self.title, "central": self.central}


def _iso(when: float | None) -> str | None:
    if when is None:
        return None
    return datetime.fromtimestamp(when, tz=timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class _Event:
    id: str
    slot: int
    total: np.ndarray
    first: float | None
    last: float | None
    last_index: int
    count: int = 0
    names: Counter[str] = field(default_factory=Counter)
    topics: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    members: list[tuple[str, str, np.ndarray]] = field(default_factory=list)


_KEEP_MEMBERS = 16  # the stories an event keeps (vectors in float16) to name its centre
_KEEP_NAMES = 300
_MIN_WINDOW = 1_000  # the window size names are weighed against, at the least
_CHROME_K = 6  # words in a run compared for site chrome
_CHROME_WORDS = 400  # the words of a body read (menus open pages; the lead is compared)
_ROLL = np.uint64(0x9E3779B97F4A7C15)


class _WordHashes(dict[str, int]):
    """CRC-32 of each lower-cased word, kept for the words seen (a dict's own lookup
    for the words it has, which is most of them)."""

    def __missing__(self, word: str) -> int:
        found = self[word] = crc32(word.lower().encode("utf-8", "replace"))
        return found


_WORD_HASHES = _WordHashes()


def _runs(words: list[str], k: int) -> np.ndarray:
    """The hashes of a text's ``k``-word runs (lower-cased words' CRC-32, rolled to 64
    bits with NumPy: the same in every process)."""
    if len(_WORD_HASHES) > 1 << 20:
        _WORD_HASHES.clear()
    h = np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint64, count=len(words))
    n = len(h) - k + 1
    grams = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        grams = grams * _ROLL + h[j:j + n]  # wraps modulo 2**64
    return grams


@dataclass
class EventGrouper:
    """Groups a stream into events (see the module doc): :meth:`add_batch` stories (with
    their labels, for the gate) in stream order; closed events go to ``on_close``;
    :meth:`close` closes the rest at the end."""

    similarity: float = 0.9
    related: float = 0.7
    names: int = 4
    name_share: float = 0.4
    rare: float = 0.03
    anchor: float = 0.35
    gate: bool = True
    chrome: int = 2
    chrome_window: int = 2_000
    lead: int = 1500
    window: float | None = 3 * 86400.0
    window_stories: int = 10_000
    max_open: int = 20_000
    copies: bool = False
    embedder: Any = None
    background: np.ndarray | None = None
    on_close: Callable[[EventRecord], None] | None = None
    _events: OrderedDict[str, _Event] = field(default_factory=OrderedDict, repr=False)
    _centres: np.ndarray | None = field(default=None, repr=False)
    _seeds: np.ndarray | None = field(default=None, repr=False)
    _slots: list[_Event | None] = field(default_factory=list, repr=False)
    _free: list[int] = field(default_factory=list, repr=False)
    _df: Counter[str] = field(default_factory=Counter, repr=False)
    _recent: deque[frozenset[str]] = field(default_factory=deque, repr=False)
    _sketch: Any = field(default=None, repr=False)
    _chrome_order: deque[np.ndarray] = field(default_factory=deque, repr=False)
    _story_event: OrderedDict[str, str] = field(default_factory=OrderedDict, repr=False)
    _dedup: Any = field(default=None, repr=False)
    _index: int = field(default=0, repr=False)
    _newest: float | None = field(default=None, repr=False)

    def add_batch(self, documents: Sequence[Document],
                  labels: Sequence[Sequence[Label]] | None = None) -> list[Joined]:
        """The event each story joins, in order (``labels``: each story's labels, for
        the gate; without them the gate is open)."""
        texts = [self._without_chrome(doc) for doc in documents]
        vectors = self._vectors([text for text, _ in texts])
        n = len(self._slots)
        scores = self._centres[:n] @ vectors.T if n and self._centres is not None else None
        touched: set[int] = set()
        out = []
        for j, doc in enumerate(documents):
            column = scores[:, j] if scores is not None else None
            out.append(self._add(doc, vectors[j], texts[j][1], labels[j] if labels else (),
                                 column, touched))
        return out

    def _without_chrome(self, doc: Document) -> tuple[str, frozenset[str]]:
        """The text a story is compared by (title and body less boilerplate and less
        the words of any ``k``-word run already seen in ``chrome`` of the last
        ``chrome_window`` stories), and the names in it."""
        if self._sketch is None:
            self._sketch = _Sketch()
        words = strip_boilerplate(doc.text[: 8 * _CHROME_WORDS]).split()[:_CHROME_WORDS]
        if len(words) > _CHROME_K:
            grams = _runs(words, _CHROME_K)
            chrome = self._sketch.count(grams) >= self.chrome
            covered = np.zeros(len(words) + 1, dtype=np.int32)  # runs covering each word
            np.add.at(covered, np.flatnonzero(chrome), 1)
            np.add.at(covered, np.flatnonzero(chrome) + _CHROME_K, -1)
            keep = np.cumsum(covered)[: len(words)] == 0
            words = [w for w, k in zip(words, keep.tolist()) if k]
            seen = np.unique(grams)
            self._sketch.add(seen)
            self._chrome_order.append(seen)
            while len(self._chrome_order) > self.chrome_window:
                self._sketch.add(self._chrome_order.popleft(), -1)
        body = " ".join(words)
        title = strip_title(doc.title)
        names = story_names(Document(id=doc.id, title=title, text=body))
        body = body[: self.lead]
        return (f"{title}. {body}" if title else body), names

    def _vectors(self, texts: list[str]) -> np.ndarray:
        if self.embedder is None:
            from .classifiers.static import StaticEmbedder

            self.embedder = StaticEmbedder()
        vectors = np.asarray(self.embedder.encode(texts, batch_independent=True),
                             dtype=np.float32)
        if self.background is None:
            self.background = _background()
        out = vectors - self.background
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        centred: np.ndarray = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
        return centred

    def close(self) -> None:
        """Close every open event (at the end of the stream)."""
        while self._events:
            self._close(next(iter(self._events)))

    # -- one story -------------------------------------------------------------------

    def _add(self, doc: Document, vector: np.ndarray, names: frozenset[str],
             labels: Sequence[Label], column: np.ndarray | None, touched: set[int]) -> Joined:
        self._index += 1
        when = published_time(doc.published)
        if when is not None:
            self._newest = when if self._newest is None else max(self._newest, when)
        self._expire()
        if doc.is_empty or not np.any(vector):
            return Joined(doc.id, 1.0)
        topics = {lb.name for lb in labels if lb.facet == "topic"}
        countries = {lb.name for lb in labels if lb.facet == "country"}
        event, similarity = self._copy_of(doc), 1.0
        if event is None:
            event, similarity = self._best(vector, names, topics, countries, column,
                                           touched, when)
        if event is None:
            event, similarity = self._open(doc.id, vector, when), 1.0
        self._join(event, doc, vector, when, names, topics, countries)
        touched.add(event.slot)
        self._count_names(names)
        return Joined(event.id, similarity)

    def _copy_of(self, doc: Document) -> _Event | None:
        if not self.copies:
            return None
        if self._dedup is None:
            try:
                import datasketch  # noqa: F401
            except ImportError:
                raise ConfigError("events with copies=True need the dedup extra: "
                                  "pip install 'newsclf[dedup]'") from None
            from .dedup import Deduplicator

            self._dedup = Deduplicator(window=self.window_stories, max_age=self.window)
        group, _ = self._dedup.add(doc)
        event = self._story_event.get(group) if group != doc.id else None
        return self._events.get(event) if event is not None else None

    def _best(self, vector: np.ndarray, names: frozenset[str], topics: set[str],
              countries: set[str], column: np.ndarray | None, touched: set[int],
              when: float | None) -> tuple[_Event | None, float]:
        low = min(self.similarity, self.related)
        slots = set(touched)
        if column is not None:
            slots.update(np.flatnonzero(column >= low - _MARGIN).tolist())
        live = np.asarray([slot for slot in slots if self._slots[slot] is not None],
                          dtype=np.int64)
        if not len(live):
            return None, 0.0
        assert self._centres is not None and self._seeds is not None
        v = vector.astype(np.float64)
        exact = self._centres[live].astype(np.float64) @ v
        keep = (exact >= low) & (self._seeds[live].astype(np.float64) @ v >= self.anchor)
        found = [(score, event.id, event) for slot, score in
                 zip(live[keep].tolist(), exact[keep].tolist())
                 if (event := self._slots[slot]) is not None]
        rare: set[str] | None = None
        for score, _, event in sorted(found, key=lambda f: (-f[0], f[1])):
            if self.gate and topics and countries and event.topics and event.countries \
                    and not topics & event.topics.keys() \
                    and not countries & event.countries.keys():
                continue
            if score >= self.similarity:
                return event, score
            if rare is None:
                rare = self._rare(names)
                needed = min(self.names, max(2, math.ceil(self.name_share * len(rare))))
            if len(rare & event.names.keys()) >= needed:
                return event, score
        return None, 0.0

    def _rare(self, names: frozenset[str]) -> set[str]:
        """The names in at most ``rare`` of the window's stories (of at least a
        thousand: in a short stream every name is rare)."""
        common = self.rare * max(len(self._recent) + 1, _MIN_WINDOW)
        return {name for name in names if self._df[name] <= common}

    # -- the open events ---------------------------------------------------------------

    def _open(self, key: str, vector: np.ndarray, when: float | None) -> _Event:
        if self._centres is None or self._seeds is None:
            self._centres = np.zeros((64, len(vector)), dtype=np.float32)
            self._seeds = np.zeros((64, len(vector)), dtype=np.float32)
        if self._free:
            slot = self._free.pop()
        else:
            slot = len(self._slots)
            self._slots.append(None)
            if slot >= len(self._centres):
                self._centres, self._seeds = _grown(self._centres), _grown(self._seeds)
        self._seeds[slot] = vector
        event = _Event(key, slot, np.zeros(len(vector), dtype=np.float64), when, when,
                       self._index)
        self._slots[slot] = event
        self._events[key] = event
        while len(self._events) > self.max_open:
            self._close(next(iter(self._events)))
        return event

    def _join(self, event: _Event, doc: Document, vector: np.ndarray, when: float | None,
              names: frozenset[str], topics: set[str], countries: set[str]) -> None:
        event.total += vector
        event.count += 1
        assert self._centres is not None
        self._centres[event.slot] = (event.total / event.count).astype(np.float32)
        if when is not None:
            event.first = when if event.first is None else min(event.first, when)
            event.last = when if event.last is None else max(event.last, when)
        event.last_index = self._index
        event.names.update(names)
        if len(event.names) > 2 * _KEEP_NAMES:
            event.names = Counter(dict(event.names.most_common(_KEEP_NAMES)))
        event.topics.update(topics)
        event.countries.update(countries)
        event.outlets[outlet_of(doc)] += 1
        if len(event.members) < _KEEP_MEMBERS:
            event.members.append((doc.id, doc.title, vector.astype(np.float16)))
        self._events.move_to_end(event.id)
        if self.copies:  # what a later copy of this story joins
            self._story_event[doc.id] = event.id
            while len(self._story_event) > self.window_stories:
                self._story_event.popitem(last=False)

    def _count_names(self, names: frozenset[str]) -> None:
        self._recent.append(names)
        self._df.update(names)
        while len(self._recent) > self.window_stories:
            old = self._recent.popleft()
            self._df.subtract(old)
            for name in old:
                if self._df[name] <= 0:
                    del self._df[name]

    def _expire(self) -> None:
        """Close the events no story has joined for ``window`` (the least recently
        joined first: the open events are kept in the order they were last joined)."""
        while self._events:
            event = next(iter(self._events.values()))
            if event.last is not None and self._newest is not None \
                    and self.window is not None:
                if self._newest - event.last <= self.window:
                    return
            elif self._index - event.last_index <= self.window_stories:
                return
            self._close(event.id)

    def _close(self, key: str) -> None:
        event = self._events.pop(key)
        self._slots[event.slot] = None
        self._free.append(event.slot)
        if self.on_close is not None:
            self.on_close(_record(event))


def _grown(rows: np.ndarray) -> np.ndarray:
    grown = np.zeros((2 * len(rows), rows.shape[1]), dtype=rows.dtype)
    grown[: len(rows)] = rows
    return grown


def _record(event: _Event) -> EventRecord:
    centre = event.total / (np.linalg.norm(event.total) or 1.0)
    central = max(event.members, key=lambda m: float(np.dot(m[2].astype(np.float64), centre)))
    return EventRecord(event.id, event.first, event.last, event.count,
                       dict(event.outlets.most_common()), dict(event.topics.most_common()),
                       dict(event.countries.most_common()), central[1], central[0])


def _background() -> np.ndarray:
    """The mean story vector of the shipped static model (``background.npy`` beside
    it): the direction all news shares, taken out before stories are compared."""
    from .classifiers.static import static_model_path

    path = static_model_path() / "background.npy"
    try:
        return np.asarray(np.load(path), dtype=np.float32)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: the events' background vector cannot be read ({exc}); "
                         "build it with scripts/build_background.py") from None


def group_events(documents: Iterable[Document], *,
                 labels: Callable[[list[Document]], Sequence[Sequence[Label]]] | None = None,
                 batch_size: int = 256, on_close: Callable[[EventRecord], None] | None = None,
                 **params: Any) -> Iterator[tuple[Document, Joined]]:
    """``(document, joined)`` for each document of a stream, in order: the event it
    joined (see the module doc; ``params`` are :class:`EventGrouper`'s). ``labels``
    gives a batch's labels for the gate (e.g. from a model's predictions); without it
    stories are grouped on their text alone. ``on_close`` receives each event's record
    when it closes, the last ones when the stream ends."""
    grouper = EventGrouper(on_close=on_close, **params)
    for batch in batches(documents, batch_size):
        given = labels(batch) if labels is not None else None
        yield from zip(batch, grouper.add_batch(batch, given))
    grouper.close()


def with_events(pairs: Iterable[tuple[Document, Prediction]], *, batch_size: int = 256,
                on_close: Callable[[EventRecord], None] | None = None, **params: Any
                ) -> Iterator[tuple[Document, Prediction]]:
    """Each ``(document, prediction)`` of a stream with the story's event in the
    prediction (``prediction.event``; see :func:`group_events`), the prediction's labels
    serving as the gate."""
    grouper = EventGrouper(on_close=on_close, **params)
    for batch in batches(pairs, batch_size):
        joined = grouper.add_batch([doc for doc, _ in batch], [p.labels for _, p in batch])
        for (doc, prediction), found in zip(batch, joined):
            yield doc, dataclasses.replace(prediction, event=found.event)
    grouper.close()


def format_events(joined: Iterable[tuple[Document, Joined]], width: int = 64
                  ) -> Iterator[str]:
    """Lines for people: each event of two or more stories with its timeline (date,
    outlet, title), in order of its first story, then a one-line summary. Holds a line
    per story: for reading, not for a day's stream."""
    members, total = by_group((doc, found.event, doc) for doc, found in joined)
    events = {k: m for k, m in members.items() if len(m) > 1}
    for key, docs in events.items():
        outlets = {outlet_of(d) for d in docs}
        yield f"event {key} ({len(docs)} stories, {len(outlets)} outlet(s))"
        for doc in sorted(docs, key=lambda d: published_time(d.published) or 0.0):
            when = (_iso(published_time(doc.published)) or "")[:10]
            yield f"  {when:<10} {outlet_of(doc)[:18]:<18} {short_title(doc, width)}"
    alone = len(members) - len(events)
    yield (f"{total} stories: {len(events)} event(s) of two or more "
           f"({sum(len(m) for m in events.values())} stories), {alone} alone")
