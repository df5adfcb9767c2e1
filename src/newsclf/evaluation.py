"""Evaluation: a model's labels of one facet scored against the gold labels of records."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import ConfigError, InputError
from .metrics import Metrics, score_labels
from .model import Model
from .types import Document, gold_labels

__all__ = ["evaluate"]


def evaluate(model: Model, documents: Iterable[Document], *, labels_field: str = "labels",
             facet: str = "topic", batch_size: int = 256) -> Metrics:
    """Score ``model``'s labels of ``facet`` against the gold labels in ``labels_field``.
    Records without that field are an error naming them."""
    gold: list[list[str]] = []
    predicted: list[list[str]] = []
    batch: list[Document] = []

    def flush() -> None:
        for pred in model.predict(batch):
            predicted.append(pred.names(facet))
        batch.clear()

    for doc in documents:
        labels = gold_labels(doc, labels_field)
        if labels is None:
            raise InputError(f"record has no label field {labels_field!r}", doc.id)
        gold.append(labels)
        batch.append(doc)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    if not gold:
        raise InputError("no records to evaluate on")
    facets = {f for c in getattr(model, "classifiers", [])
              for f in getattr(c, "facets", (getattr(c, "facet", None),)) if f}
    if not any(predicted) and facet not in facets:
        known = ", ".join(sorted(facets))
        raise ConfigError(f"the model gives no labels of facet {facet!r} (it gives: {known})")
    return score_labels(gold, predicted)
