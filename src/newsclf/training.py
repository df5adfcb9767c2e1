"""Training: labelled records in, a fitted and cross-validated :class:`Model` out."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .errors import ConfigError, TrainingError
from .model import Model
from .types import Document

__all__ = ["cross_validate", "fingerprint", "gold_labels", "train"]


def gold_labels(document: Document, field: str) -> list[str] | None:
    """The gold labels a record holds in ``field``: a list, or a string (split on ``;``
    and ``|``; a JSON list in a CSV cell is read as a list). ``None`` when the record has
    no such field."""
    if field not in document.meta:
        return None
    value = document.meta[field]
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                pass
        if isinstance(value, str):
            parts = text.replace("|", ";").split(";")
            return [p.strip() for p in parts if p.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def fingerprint(documents: Sequence[Document]) -> str:
    """SHA-256 of the records read (canonical JSON, in order)."""
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(json.dumps(doc.to_dict(), sort_keys=True, ensure_ascii=False,
                                 default=str).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _build(classifier: str | Any, params: dict[str, Any], seed: int) -> Any:
    if not isinstance(classifier, str):
        return classifier
    from .plugins import create_classifier

    clf = create_classifier(classifier, **params)
    if hasattr(clf, "get_params") and "random_state" in clf.get_params() \
            and "random_state" not in params:
        clf.set_params(random_state=seed)
    if not getattr(clf, "trainable", False):
        raise ConfigError(f"classifier {classifier!r} has nothing to train "
                          "(use it with `newsclf predict --classifier`)")
    return clf


def cross_validate(classifier: Any, documents: Sequence[Document],
                   labels: Sequence[Sequence[str]], folds: int = 5, seed: int = 0,
                   log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """K-fold cross-validation (stratified for multi-label): per-label and micro/macro
    precision, recall and F1 of out-of-fold predictions."""
    import numpy as np
    from sklearn.base import clone

    from .classifiers.linear import labels_matrix
    from .evaluation import score_labels

    classes = sorted({name for names in labels for name in names})
    Y = labels_matrix(labels, classes)
    try:
        from iterstrat.ml_stratifiers import MultilabelStratifiedKFold

        splits = MultilabelStratifiedKFold(n_splits=folds, shuffle=True,
                                           random_state=seed).split(np.zeros(len(Y)), Y)
    except ImportError:  # pragma: no cover
        from sklearn.model_selection import KFold

        splits = KFold(folds, shuffle=True, random_state=seed).split(Y)
    predicted: list[list[str]] = [[] for _ in documents]
    for k, (train_idx, test_idx) in enumerate(splits, start=1):
        if log:
            log(f"cross-validation fold {k}/{folds}")
        clf = clone(classifier).fit([documents[i] for i in train_idx],
                                    [labels[i] for i in train_idx])
        for i, labs in zip(test_idx, clf.predict([documents[i] for i in test_idx])):
            predicted[i] = [lb.name for lb in labs]
    return score_labels(labels, predicted).to_dict()


def train(documents: Iterable[Document], *, classifier: str | Any = "tfidf",
          labels_field: str = "labels", params: dict[str, Any] | None = None,
          folds: int = 5, seed: int = 0,
          log: Callable[[str], None] | None = None) -> Model:
    """Fit ``classifier`` on the records' gold labels (in ``labels_field``), measure it by
    ``folds``-fold cross-validation (0: skip) and return a :class:`Model` whose metadata
    holds the training-data fingerprint, the label counts and the CV metrics."""
    docs = list(documents)
    if not docs:
        raise TrainingError("no records to train on")
    gold = [gold_labels(d, labels_field) for d in docs]
    if all(g is None for g in gold):
        raise TrainingError(f"no record has the label field {labels_field!r}")
    labelled = [(d, g) for d, g in zip(docs, gold) if g is not None]
    docs = [d for d, _ in labelled]
    labels = [g for _, g in labelled]
    counts = Counter(name for names in labels for name in names)
    unlabelled = sum(1 for names in labels if not names)
    if len(counts) < 2 and not (counts and unlabelled):
        raise TrainingError(f"the field {labels_field!r} holds a single class "
                            f"({', '.join(counts) or 'none'}); need at least two")
    clf = _build(classifier, dict(params or {}), seed)
    metadata: dict[str, Any] = {
        "training": {
            "records": len(docs),
            "labels_field": labels_field,
            "fingerprint": fingerprint(docs),
            "label_counts": dict(sorted(counts.items())),
            "seed": seed,
        },
    }
    if folds and folds >= 2:
        if len(docs) < folds:
            raise TrainingError(f"{len(docs)} records are too few for {folds}-fold "
                                "cross-validation (use --folds 0)")
        metadata["cv_metrics"] = cross_validate(clf, docs, labels, folds, seed, log)
        metadata["cv_folds"] = folds
    if log:
        log(f"fitting on {len(docs)} records, {len(counts)} labels")
    clf.fit(docs, labels)
    return Model([clf], metadata)
