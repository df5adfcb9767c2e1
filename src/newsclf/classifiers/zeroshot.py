"""The ``zeroshot`` classifier: labels from their descriptions alone, no training data."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConfigError
from ..estimator import EstimatorMixin
from ..types import Document, Label
from .keywords import load_rules
from .static import StaticEmbedder

__all__ = ["ZeroShotClassifier"]


class ZeroShotClassifier(EstimatorMixin):
    """Labels from their descriptions, with no training data: a story gets a label when
    its embedding's cosine with the label's description reaches ``min_similarity`` and
    is within ``margin`` of the best label's. Descriptions come from a rules file
    (``description`` of each ``[labels.NAME]``; default: the default taxonomy's)."""

    name = "zeroshot"
    facet = "topic"
    trainable = False

    def __init__(self, *, rules: str | None = None, static_model: str | None = None,
                 min_similarity: float = 0.25, margin: float = 0.08,
                 facet: str = "topic") -> None:
        self.rules = rules
        self.static_model = static_model
        self.min_similarity = min_similarity
        self.margin = margin
        self.facet = facet

    def fit(self, documents: Sequence[Document] = (),
            labels: Sequence[Sequence[str]] = ()) -> ZeroShotClassifier:
        """Nothing to learn. Returns ``self``."""
        return self

    def _embedder(self) -> StaticEmbedder:
        return self._cached("embedder", lambda: StaticEmbedder(self.static_model))

    def _label_vectors(self) -> tuple[list[str], np.ndarray]:
        rules = load_rules(self.rules).rules
        names = [n for n, r in rules.items() if r.description]
        if not names:
            raise ConfigError("zero-shot scoring needs a description for each label")
        vecs = self._embedder().encode([rules[n].description for n in names])
        return names, vecs

    def similarities(self, documents: Sequence[Document]) -> tuple[list[str], np.ndarray]:
        """The label names and each document's cosine with each label's description."""
        names, label_vecs = self._label_vectors()
        docs = self._embedder().documents(documents)
        return names, docs @ label_vecs.T

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]:
        """Labels close enough to the document, best first."""
        names, sims = self.similarities(documents)
        out = []
        for row in sims:
            best = float(row.max()) if len(row) else 0.0
            out.append([Label(names[j], self.facet, float(np.clip((row[j] + 1) / 2, 0, 1)),
                              self.name) for j in np.argsort(-row)
                        if row[j] >= self.min_similarity and row[j] >= best - self.margin])
        return out
