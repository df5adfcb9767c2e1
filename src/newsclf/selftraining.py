"""Self-training: confident pseudo-labels from the user's own unlabelled stories.

1. Out-of-fold scores on the labelled stories say, per label, from which score the model
   is right ``precision`` of the time (``accept``) and below which it misses a true
   label at most ``1 - precision`` of the time (``reject``).
2. The model fitted on the labelled stories scores the unlabelled ones; a story becomes a
   pseudo-labelled example only if every label is decided (its score ≥ accept or ≤
   reject; a story with no known feature is not), with the accepted labels as its gold;
   at most ``max_ratio`` × the labelled
   stories are added, the most confident first.
3. The model is fitted again on both.

Whether it helps is measured, not assumed: :func:`self_train` runs the same K-fold
cross-validation with and without the pseudo-labels (made, in each fold, by the model of
that fold's training part) and keeps them only if macro-F1 is higher.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .classifiers.head import labels_matrix, multilabel_folds
from .metrics import score_labels
from .types import Document

__all__ = ["Cuts", "confidence_cuts", "pseudo_label", "self_train"]


@dataclass(frozen=True)
class Cuts:
    """Per label: accept at or above ``accept``, reject at or below ``reject``."""

    labels: list[str]
    accept: np.ndarray
    reject: np.ndarray


def _scores_for(clf: Any, documents: Sequence[Document], labels: Sequence[str]) -> np.ndarray:
    """``clf``'s scores in the column order of ``labels`` (0 for labels it never saw)."""
    out = np.zeros((len(documents), len(labels)))
    if not documents:
        return out
    scores = clf.predict_scores(list(documents))
    index = {name: j for j, name in enumerate(clf.labels_)}
    for k, name in enumerate(labels):
        if name in index:
            out[:, k] = scores[:, index[name]]
    return out


def confidence_cuts(scores: np.ndarray, Y: np.ndarray, labels: Sequence[str],
                    precision: float = 0.95, min_support: int = 5) -> Cuts:
    """The score cuts at which out-of-fold ``scores`` are right ``precision`` of the time:
    the lowest ``accept`` with that precision above it, the highest ``reject`` with at
    most ``1 - precision`` true labels below it (labels with too few examples: never
    accepted, never rejected)."""
    n_labels = Y.shape[1]
    accept, reject = np.full(n_labels, np.inf), np.full(n_labels, -np.inf)
    for j in range(n_labels):
        s, y = scores[:, j], Y[:, j].astype(bool)
        if y.sum() < min_support:
            continue
        order = np.argsort(-s)
        hits = np.cumsum(y[order]) / np.arange(1, len(s) + 1)
        ok = np.flatnonzero((hits >= precision) & (np.arange(1, len(s) + 1) >= min_support))
        if len(ok):
            accept[j] = s[order][ok.max()]
        asc = np.argsort(s)
        misses = np.cumsum(y[asc]) / np.arange(1, len(s) + 1)
        ok = np.flatnonzero(misses <= 1 - precision)
        if len(ok):
            reject[j] = s[asc][ok.max()]
    return Cuts(list(labels), accept, reject)


def pseudo_label(clf: Any, documents: Sequence[Document], cuts: Cuts,
                 limit: int) -> tuple[list[Document], list[list[str]]]:
    """The unlabelled stories whose every label is decided, with the accepted labels, at
    most ``limit`` of them, the most confident first."""
    scores = _scores_for(clf, documents, cuts.labels)
    decided = (scores >= cuts.accept) | (scores <= cuts.reject)
    # a story with no features at all (every score 0) teaches nothing
    keep = np.flatnonzero(decided.all(axis=1) & (scores > 0).any(axis=1))
    margin = np.minimum(np.abs(scores - cuts.accept), np.abs(scores - cuts.reject)).min(axis=1)
    keep = keep[np.argsort(-margin[keep], kind="stable")][:limit]
    docs = [documents[int(i)] for i in keep]
    gold = [[name for name, s, a in zip(cuts.labels, scores[i], cuts.accept) if s >= a]
            for i in keep]
    return docs, gold


def _fit_with_pseudo(make: Callable[[], Any], docs: list[Document], gold: list[list[str]],
                     unlabelled: Sequence[Document], cuts: Cuts,
                     max_ratio: float) -> tuple[Any, int]:
    base = make().fit(docs, gold)
    extra_docs, extra_gold = pseudo_label(base, unlabelled, cuts, int(max_ratio * len(docs)))
    if not extra_docs:
        return base, 0
    return make().fit([*docs, *extra_docs], [*gold, *extra_gold]), len(extra_docs)


def self_train(make: Callable[[], Any], documents: Sequence[Document],
               labels: Sequence[Sequence[str]], unlabelled: Sequence[Document], *,
               folds: int = 5, seed: int = 0, precision: float = 0.95,
               max_ratio: float = 1.0,
               log: Callable[[str], None] | None = None) -> tuple[Any, dict[str, Any]]:
    """Self-train the classifier ``make()`` builds (see the module doc). Returns the
    fitted classifier (with pseudo-labels only if they helped by cross-validation) and a
    report: macro-F1 with and without, pseudo-labelled stories, whether they were kept."""
    docs, gold = list(documents), [list(g) for g in labels]
    classes = sorted({name for names in gold for name in names})
    Y = labels_matrix(gold, classes)
    splits = multilabel_folds(Y, folds, seed)
    oof = np.zeros(Y.shape)
    plain: list[list[str]] = [[] for _ in docs]
    boosted: list[list[str]] = [[] for _ in docs]
    fold_models = []
    for k, (train_idx, test_idx) in enumerate(splits, start=1):
        if log:
            log(f"self-training: fold {k}/{folds}")
        tr_docs = [docs[i] for i in train_idx]
        model = make().fit(tr_docs, [gold[i] for i in train_idx])
        test_docs = [docs[i] for i in test_idx]
        oof[test_idx] = _scores_for(model, test_docs, classes)
        fold_models.append((train_idx, test_idx, model))
    cuts = confidence_cuts(oof, Y, classes, precision)
    added = []
    for train_idx, test_idx, model in fold_models:
        test_docs = [docs[i] for i in test_idx]
        for i, labs in zip(test_idx, model.predict(test_docs)):
            plain[i] = [lb.name for lb in labs]
        with_pseudo, n = _fit_with_pseudo(make, [docs[i] for i in train_idx],
                                          [gold[i] for i in train_idx], unlabelled, cuts,
                                          max_ratio)
        added.append(n)
        for i, labs in zip(test_idx, with_pseudo.predict(test_docs)):
            boosted[i] = [lb.name for lb in labs]
    without = score_labels(gold, plain).macro["f1"]
    with_ = score_labels(gold, boosted).macro["f1"]
    keep = with_ > without
    if keep:
        final, n_final = _fit_with_pseudo(make, docs, gold, unlabelled, cuts, max_ratio)
    else:
        final, n_final = make().fit(docs, gold), 0
    report = {"unlabelled": len(unlabelled), "precision": precision,
              "cv_macro_f1_without": round(without, 4), "cv_macro_f1_with": round(with_, 4),
              "pseudo_labelled_per_fold": added, "pseudo_labelled": n_final, "kept": keep}
    return final, report
