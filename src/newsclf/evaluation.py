"""Evaluation: a model's labels of one facet scored against the gold labels of records,
with the calibration of its scores and, on request, the figures per group of records
(``by``: a field such as ``source``), so a drifting outlet or month shows."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import ConfigError, InputError
from .metrics import Metrics, calibration, score_labels
from .model import Model
from .outlets import check_groups, group_of
from .types import Document, gold_labels

__all__ = ["evaluate", "group_of"]  # group_of: re-exported from .outlets


def evaluate(model: Model, documents: Iterable[Document], *, labels_field: str = "labels",
             facet: str = "topic", batch_size: int = 256, by: str | None = None) -> Metrics:
    """Score ``model``'s labels of ``facet`` against the gold labels in ``labels_field``,
    with the calibration of the scores of its scoring classifier (when it has one) and,
    with ``by``, the same figures per value of that field. Records without the label
    field are an error naming them."""
    gold: list[list[str]] = []
    predicted: list[list[str]] = []
    groups: list[str] = []
    scored: list[tuple[str, float, bool]] = []
    scorer = model.scorer(facet)
    batch: list[Document] = []

    def flush() -> None:
        for pred in model.predict(batch):
            predicted.append(pred.names(facet))
        if scorer is not None:
            offset = len(gold) - len(batch)
            for i, row in enumerate(scorer.predict_scores(batch)):
                truth = set(gold[offset + i])
                scored.extend((name, float(s), name in truth)
                              for name, s in zip(scorer.labels_, row))
        batch.clear()

    for doc in documents:
        labels = gold_labels(doc, labels_field)
        if labels is None:
            raise InputError(f"record has no label field {labels_field!r}", doc.id)
        gold.append(labels)
        groups.append(group_of(doc, by) if by else "")
        batch.append(doc)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    if not gold:
        raise InputError("no records to evaluate on")
    facets = model.facets
    if not any(predicted) and facet not in facets:
        known = ", ".join(sorted(facets))
        raise ConfigError(f"the model gives no labels of facet {facet!r} (it gives: {known})")
    metrics = score_labels(gold, predicted)
    if scored:
        metrics.calibration = {"_all": calibration([s for _, s, _ in scored],
                                                   [t for _, _, t in scored])}
        for name in sorted({n for n, _, _ in scored}):
            rows = [(s, t) for n, s, t in scored if n == name]
            metrics.calibration[name] = calibration([s for s, _ in rows], [t for _, t in rows])
    if by:
        check_groups(groups, by, "--by", ConfigError)
        for value in sorted(set(groups)):
            idx = [i for i, g in enumerate(groups) if g == value]
            metrics.groups[value] = score_labels([gold[i] for i in idx],
                                                 [predicted[i] for i in idx])
    return metrics
