"""Which stories to label next: active learning for users who label by hand.

:func:`suggest` reads a stream of unlabelled stories once, in bounded memory, and picks
the ``n`` worth a person's minute most:

- **uncertain**: the stories whose score for some label is closest to that label's
  threshold (the model cannot tell yet); a streaming top-k keeps ``pool`` of them;
- **balanced** (the default): the same closeness, weighted up for the labels with the
  fewest training examples (``(fewest / count) ** rarity``), then spread out: picks are
  made greedily from the pool, each one's worth discounted by ``diversity`` × its cosine
  similarity (static sentence embeddings, centred on the pool) to the picks already made,
  and near-duplicates of a pick (similarity ≥ ``duplicate``) are never picked: no five
  copies of one wire story in a batch. The defaults (rarity 0.25, diversity 0.1) were
  chosen by the learning curves of ``benchmarks/learning_curve.py`` on the training data:
  stronger rarity or diversity picked odd stories and learned less;
- **diverse**: no model judgement, only spread: a uniform reservoir sample of the stream,
  then farthest-first picks by embedding.

Each suggestion carries the model's current labels and scores, so the person corrects
rather than types.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import ConfigError
from .model import Model
from .streams import batches
from .types import Document, story_id

__all__ = ["STRATEGIES", "Suggestion", "suggest", "uncertainty"]

STRATEGIES = ("balanced", "uncertain", "diverse")


@dataclass(frozen=True)
class Suggestion:
    """A story worth labelling, with the model's current view of it."""

    document: Document
    worth: float
    scores: dict[str, float] = field(default_factory=dict)
    labels: tuple[str, ...] = ()

    def to_record(self, labels_field: str = "labels") -> dict[str, Any]:
        """A JSONL record to edit: the story, its current labels in ``labels_field``, the
        scores and why it was picked (under ``suggest``)."""
        record = self.document.to_dict()
        record[labels_field] = list(self.labels)
        record["suggest"] = {"worth": round(self.worth, 4),
                             "scores": {k: round(v, 4) for k, v in self.scores.items()}}
        return record


def _scorer(model: Any, facet: str) -> Any:
    """The classifier of ``model`` (a Model, or a classifier) that scores ``facet``."""
    if not hasattr(model, "scorer"):  # a classifier given directly
        model = Model([model])
    found = model.scorer(facet)
    if found is not None:
        return found
    raise ConfigError(f"the model has no trained classifier of facet {facet!r} with scores "
                      "to choose stories by (suggest needs a trained model)")


def label_weights(clf: Any, counts: dict[str, int] | None, rarity: float) -> np.ndarray:
    """Weight per label: rarer labels (fewer training examples) count more,
    ``(fewest / count) ** rarity``; all 1 when the counts are unknown."""
    labels = list(clf.labels_)
    if not counts or not rarity:
        return np.ones(len(labels))
    n = np.array([max(int(counts.get(name, 1)), 1) for name in labels], dtype=float)
    out: np.ndarray = (n.min() / n) ** rarity
    return out


def uncertainty(scores: np.ndarray, thresholds: np.ndarray,
                weights: np.ndarray | None = None) -> np.ndarray:
    """How close each story is to some label's threshold, in [0, 1] (1: on it), times
    that label's weight; the maximum over labels."""
    spread = np.maximum(thresholds, 1 - thresholds)
    closeness = 1 - np.abs(scores - thresholds) / spread
    if weights is not None:
        closeness = closeness * weights
    out: np.ndarray = closeness.max(axis=1) if closeness.size else np.zeros(len(scores))
    return out


def _pool_by_worth(clf: Any, documents: Iterable[Document], weights: np.ndarray,
                   size: int, batch_size: int) -> list[tuple[float, int, Document, np.ndarray]]:
    """The ``size`` stories of the stream most worth labelling, exact copies held once (a
    min-heap: memory holds ``size`` stories whatever the stream's length)."""
    heap: list[tuple[float, int, Document, np.ndarray]] = []
    held: set[str] = set()  # the stories in the heap, by content: a copy takes no place
    seq = 0
    thresholds = np.asarray(clf.head_.thresholds_)
    for batch in batches(documents, batch_size):
        scores = clf.predict_scores(batch)
        worth = uncertainty(scores, thresholds, weights)
        for doc, w, row in zip(batch, worth, scores):
            key = story_id(doc.title, doc.text)
            if key in held or (len(heap) >= size and float(w) <= heap[0][0]):
                continue
            item = (float(w), -seq, doc, row)
            seq += 1
            held.add(key)
            if len(heap) < size:
                heapq.heappush(heap, item)
            else:
                dropped = heapq.heapreplace(heap, item)
                held.discard(story_id(dropped[2].title, dropped[2].text))
    return sorted(heap, key=lambda item: (-item[0], -item[1]))


def _reservoir(documents: Iterable[Document], size: int, seed: int) -> list[Document]:
    """A uniform sample of ``size`` stories of the stream (Algorithm R)."""
    rng = random.Random(seed)
    sample: list[Document] = []
    for i, doc in enumerate(documents):
        if i < size:
            sample.append(doc)
        else:
            j = rng.randrange(i + 1)
            if j < size:
                sample[j] = doc
    return sample


def _spread(vectors: np.ndarray, worth: Sequence[float], n: int, duplicate: float,
            diversity: float) -> list[int]:
    """Greedy picks: each time the candidate whose worth, discounted by its similarity to
    the picks so far, is highest; near-duplicates of a pick are out."""
    worth_arr = np.asarray(worth, dtype=float)
    # averaged word vectors of any two news stories are alike; centred on the pool, the
    # cosine says how alike two stories are compared with the rest
    vectors = vectors - vectors.mean(axis=0)
    vectors = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12)
    chosen: list[int] = []
    max_sim = np.zeros(len(worth_arr))
    alive = np.ones(len(worth_arr), dtype=bool)
    while len(chosen) < n and alive.any():
        value = worth_arr * (1 - diversity * np.clip(max_sim, 0, 1))
        value[~alive] = -math.inf
        best = int(np.argmax(value))
        chosen.append(best)
        sims = vectors @ vectors[best]
        max_sim = np.maximum(max_sim, sims)
        alive &= sims < duplicate
        alive[best] = False
    return chosen


def suggest(model: Any, documents: Iterable[Document], n: int = 20, *,
            strategy: str = "balanced", facet: str = "topic", pool: int | None = None,
            duplicate: float = 0.9, diversity: float = 0.1, batch_size: int = 256,
            seed: int = 0, embedder: Any = None, rarity: float = 0.25,
            label_counts: dict[str, int] | None = None) -> list[Suggestion]:
    """The ``n`` stories of ``documents`` most worth labelling next (see the module doc).

    ``model`` is a :class:`~newsclf.model.Model` (or a classifier) with a trained
    classifier of ``facet``; ``pool`` (default ``20 × n``) is how many candidates are
    kept while streaming. One pass over ``documents``; memory is bounded by ``pool``.
    ``label_counts`` (training examples per label) defaults to what the model's metadata
    records.
    """
    if strategy not in STRATEGIES:
        raise ConfigError(f"unknown strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
    if n < 1:
        raise ConfigError("-n must be at least 1")
    size = pool or 20 * n
    if embedder is None:
        from .classifiers.static import StaticEmbedder

        embedder = StaticEmbedder()
    if strategy == "diverse":
        sample = _reservoir(documents, size, seed)
        if not sample:
            return []
        vectors = embedder.documents(sample)
        picks = _spread(vectors, [1.0] * len(sample), n, duplicate, diversity=1.0)
        return [Suggestion(sample[i], 1.0) for i in picks]
    clf = _scorer(model, facet)
    clf._check_fitted()
    counts = label_counts or (getattr(model, "metadata", {}) or {}).get(
        "training", {}).get("label_counts")
    weights = label_weights(clf, counts, rarity) if strategy == "balanced" else None
    candidates = _pool_by_worth(clf, documents, weights if weights is not None
                                else np.ones(len(clf.labels_)), size, batch_size)
    if not candidates:
        return []
    if strategy == "uncertain":
        picks = list(range(min(n, len(candidates))))
    else:
        vectors = embedder.documents([c[2] for c in candidates])
        picks = _spread(vectors, [c[0] for c in candidates], n, duplicate, diversity)
    thresholds = clf.head_.thresholds_
    out = []
    for i in picks:
        worth, _, doc, row = candidates[i]
        scores = {name: float(s) for name, s in zip(clf.labels_, row)}
        labels = tuple(name for name, s, t in zip(clf.labels_, row, thresholds) if s >= t)
        out.append(Suggestion(doc, worth, scores, labels))
    return out
