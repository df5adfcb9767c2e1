"""A multi-label linear head with calibrated scores and per-label thresholds.

The head of :class:`newsclf.classifiers.linear.LinearClassifier` (and so of ``tfidf``,
``embeddings`` and ``hybrid``): one thresholding mechanism for every learned classifier.

How a label's score and threshold come about:

1. A linear model per label (one-vs-rest; ``LinearSVC`` or ``LogisticRegression``, class
   weights balanced by default) gives a decision value ``d``.
2. The decision values the label gets *out of fold* (K-fold cross-validation on the
   training data) are mapped to probabilities by Platt scaling: ``score = 1 / (1 +
   exp(-(a·d + b)))``. A score is therefore an estimate of the probability that the label
   is right for the story, learned on stories the model had not seen.
3. The threshold is the score that maximised F1 on those out-of-fold scores (smoothed: the
   middle of the best plateau). A label with fewer than ``min_positives`` training stories
   gets no tuned threshold: its scores use a fixed slope (``a = 2``, ``b = 0``) and its
   threshold is 0.5, i.e. the linear model's own boundary ``d = 0``.
4. With ``repeats`` above 1, steps 2 and 3 run on that many fold assignments and the
   Platt parameters and thresholds are averaged: one assignment can move a threshold
   enough to change held-out figures by ±0.01.

Final weights are stacked into one matrix, so predicting one story is one sparse-dense
product, not a Python loop over labels.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..outlets import grouped_folds

__all__ = ["LinearHead", "best_threshold", "labels_matrix", "multilabel_folds", "platt"]

_FALLBACK_SLOPE = 2.0


def platt(decisions: np.ndarray, positives: np.ndarray) -> tuple[float, float]:
    """Platt scaling parameters ``(a, b)`` fitted on decision values and 0/1 targets
    (with Platt's target smoothing, so a few examples do not give a vertical sigmoid)."""
    from sklearn.linear_model import LogisticRegression

    n_pos = float(positives.sum())
    n_neg = float(len(positives) - n_pos)
    # Platt's smoothed targets, expressed as sample weights on duplicated rows.
    hi, lo = (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2)
    x = np.concatenate([decisions, decisions]).reshape(-1, 1)
    y = np.concatenate([np.ones_like(decisions), np.zeros_like(decisions)])
    w = np.concatenate([np.where(positives, hi, lo), np.where(positives, 1 - hi, 1 - lo)])
    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit(x, y, sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def best_threshold(scores: np.ndarray, positives: np.ndarray, floor: float = 0.05) -> float:
    """The score threshold that maximises F1 on ``scores`` (the middle of the best run of
    equally good cut points, which is steadier than its edge)."""
    order = np.argsort(-scores, kind="stable")
    s, p = scores[order], positives[order].astype(float)
    tp = np.cumsum(p)
    k = np.arange(1, len(s) + 1)
    total = p.sum()
    f1 = 2 * tp / (k + total)
    # only cut between distinct scores
    distinct = np.r_[s[1:] != s[:-1], True]
    f1 = np.where(distinct, f1, -1)
    best = f1.max()
    if best <= 0:
        return 0.5
    idx = np.flatnonzero(f1 >= best - 1e-9)
    i = int(idx[len(idx) // 2])
    below = s[i + 1] if i + 1 < len(s) else s[i] - 0.1
    return float(max(floor, min(0.95, (s[i] + below) / 2)))


class LinearHead:
    """One-vs-rest linear models over a feature matrix, with CV-calibrated scores and
    per-label thresholds. Not an estimator on its own: classifiers own one."""

    def __init__(self, *, model: str = "svm", C: float = 1.0, class_weight: str | None = "balanced",
                 folds: int = 5, min_positives: int = 5, threshold: float | None = None,
                 n_jobs: int | None = -1, random_state: int = 0, repeats: int = 1) -> None:
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.folds = folds
        self.min_positives = min_positives
        self.threshold = threshold
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.repeats = repeats

    def _estimator(self) -> Any:
        if self.model == "svm":
            from sklearn.svm import LinearSVC

            return LinearSVC(C=self.C, class_weight=self.class_weight,
                             random_state=self.random_state, max_iter=1000)
        if self.model == "logistic":
            from sklearn.linear_model import LogisticRegression

            return LogisticRegression(C=self.C, class_weight=self.class_weight,
                                      solver="liblinear", random_state=self.random_state,
                                      max_iter=1000)
        raise ConfigError(f"unknown linear model {self.model!r} (known: svm, logistic)")

    def _fit_one(self, X: Any, y: np.ndarray,
                 w: np.ndarray | None) -> tuple[np.ndarray | None, float]:
        if y.min() == y.max():  # no positives (or no negatives) here
            return None, 10.0 if y[0] else -10.0
        from sklearn.exceptions import ConvergenceWarning

        with warnings.catch_warnings():
            # liblinear reaching max_iter on a rare label still gives a usable model
            warnings.simplefilter("ignore", ConvergenceWarning)
            est = self._estimator().fit(X, y, sample_weight=w)
        return est.coef_.ravel(), float(np.ravel(est.intercept_)[0])

    def _fit_columns(self, X: Any, Y: np.ndarray, cols: Sequence[int],
                     w: np.ndarray | None) -> list[tuple[np.ndarray | None, float]]:
        return [self._fit_one(X, Y[:, j], w) for j in cols]

    def _fit_weights(self, X: Any, Y: np.ndarray, columns: Sequence[int] | None = None,
                     w: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Weights for each label (only ``columns`` if given; the others stay zero).

        Labels are fitted in ``n_jobs`` worker processes, a chunk of labels each
        (processes, not threads: liblinear's random state is global to a process, so
        threads would make results depend on timing).
        """
        from joblib import Parallel, delayed, effective_n_jobs

        n_features, n_labels = X.shape[1], Y.shape[1]
        cols = list(range(n_labels)) if columns is None else list(columns)
        W = np.zeros((n_features, n_labels), dtype=np.float64)
        b = np.full(n_labels, -10.0)
        jobs = min(effective_n_jobs(self.n_jobs), len(cols))
        if jobs <= 1 or len(cols) < 4:
            fitted = self._fit_columns(X, Y, cols, w)
        else:
            chunks = [cols[k::jobs] for k in range(jobs)]
            parts = Parallel(n_jobs=jobs)(
                delayed(self._fit_columns)(X, Y, chunk, w) for chunk in chunks)
            by_col = {j: r for chunk, part in zip(chunks, parts) for j, r in zip(chunk, part)}
            fitted = [by_col[j] for j in cols]
        for j, (coef, intercept) in zip(cols, fitted):
            if coef is not None:
                W[:, j] = coef
            b[j] = intercept
        return W, b

    def fit(self, X: Any, Y: np.ndarray, groups: Sequence[str] | None = None,
            weights: np.ndarray | None = None) -> LinearHead:
        """Fit on features ``X`` (n × f, sparse or dense) and 0/1 targets ``Y`` (n × L).
        With ``groups`` (one per row: the outlet, say), calibration and thresholds come
        from folds that never split a group (:func:`newsclf.outlets.grouped_folds`);
        ``weights`` are per-row sample weights of the linear models."""
        X, Y = _canonical(X), np.asarray(Y, dtype=np.int8)
        n_labels = Y.shape[1]
        self.a_ = np.full(n_labels, _FALLBACK_SLOPE)
        self.b_ = np.zeros(n_labels)
        self.thresholds_ = np.full(n_labels, 0.5 if self.threshold is None else self.threshold)
        self.tuned_ = np.zeros(n_labels, dtype=bool)
        self._calibrate(X, Y, list(range(n_labels)), groups, weights)
        W, self.intercept_ = self._fit_weights(X, Y, w=weights)
        self.W_ = W.astype(np.float32)
        return self

    def refit(self, X: Any, Y: np.ndarray, columns: Sequence[int],
              groups: Sequence[str] | None = None,
              weights: np.ndarray | None = None) -> LinearHead:
        """Fit again only the labels ``columns`` of a fitted head (weights, calibration,
        threshold), on features of the same width; ``Y`` may have new labels appended
        after the fitted ones. The other labels keep what they had: per-label fits are
        independent."""
        X, Y = _canonical(X), np.asarray(Y, dtype=np.int8)
        old, n_labels = self.W_.shape[1], Y.shape[1]
        if n_labels > old:
            extra = n_labels - old
            self.W_ = np.hstack([self.W_, np.zeros((self.W_.shape[0], extra), np.float32)])
            self.intercept_ = np.r_[self.intercept_, np.full(extra, -10.0)]
            self.a_ = np.r_[self.a_, np.full(extra, _FALLBACK_SLOPE)]
            self.b_ = np.r_[self.b_, np.zeros(extra)]
            self.thresholds_ = np.r_[self.thresholds_, np.full(extra, 0.5)]
            self.tuned_ = np.r_[self.tuned_, np.zeros(extra, dtype=bool)]
        cols = list(columns)
        for j in cols:
            self.a_[j], self.b_[j], self.tuned_[j] = _FALLBACK_SLOPE, 0.0, False
            self.thresholds_[j] = 0.5 if self.threshold is None else self.threshold
        self._calibrate(X, Y, cols, groups, weights)
        W, b = self._fit_weights(X, Y, cols, weights)
        self.W_[:, cols] = W[:, cols].astype(np.float32)
        self.intercept_[cols] = b[cols]
        return self

    def _calibrate(self, X: Any, Y: np.ndarray, columns: list[int],
                   groups: Sequence[str] | None, weights: np.ndarray | None) -> None:
        """Platt parameters and thresholds of ``columns`` from out-of-fold decisions,
        averaged over ``repeats`` fold assignments (steadier than one)."""
        positives = Y.sum(axis=0)
        tunable = [j for j in columns if self.min_positives <= positives[j] < Y.shape[0]]
        if self.folds < 2 or Y.shape[0] < 2 * self.folds or not tunable:
            return
        fits: dict[int, list[tuple[float, float, float]]] = {j: [] for j in tunable}
        for r in range(max(1, self.repeats)):
            oof = np.zeros(Y.shape, dtype=np.float64)
            for train_idx, test_idx in _folds(Y, groups, self.folds, self.random_state + r):
                W, b = self._fit_weights(X[train_idx], Y[train_idx], tunable,
                                         None if weights is None else weights[train_idx])
                oof[test_idx] = _decision(X[test_idx], W, b)
            for j in tunable:
                a, c = platt(oof[:, j], Y[:, j] == 1)
                if a <= 0:  # the model ranks no better than chance out of fold
                    continue
                t = best_threshold(_sigmoid(a * oof[:, j] + c), Y[:, j] == 1)
                fits[j].append((a, c, t))
        for j, found in fits.items():
            if len(found) * 2 <= max(1, self.repeats):  # chance in most fold assignments
                continue
            self.a_[j] = float(np.mean([f[0] for f in found]))
            self.b_[j] = float(np.mean([f[1] for f in found]))
            if self.threshold is None:
                self.thresholds_[j] = float(np.mean([f[2] for f in found]))
            self.tuned_[j] = True

    def decision_rows(self, rows: Sequence[tuple[np.ndarray, np.ndarray]],
                      offset: int = 0) -> np.ndarray:
        """The part of the decision values (n × L, no intercept) that sparse rows given as
        (columns, values) contribute, their columns starting at feature ``offset``.
        NumPy only: this is how a saved model predicts without SciPy or scikit-learn."""
        out = np.zeros((len(rows), self.W_.shape[1]), dtype=np.float64)
        for i, (cols, vals) in enumerate(rows):
            if len(cols):
                out[i] = vals.astype(np.float64) @ self.W_[cols + offset]
        return out

    def decision_dense(self, D: np.ndarray, offset: int = 0) -> np.ndarray:
        """The part of the decision values (no intercept) of a dense block of features
        starting at feature ``offset``."""
        W = self.W_[offset:offset + D.shape[1]]
        return np.asarray(D, dtype=np.float64) @ W.astype(np.float64)

    def calibrate(self, decision: np.ndarray) -> np.ndarray:
        """Calibrated scores in [0, 1] from full decision values."""
        return _sigmoid(decision * self.a_ + self.b_)

    STATE = ("a_", "b_", "thresholds_", "tuned_", "W_", "intercept_")

    def to_state(self) -> dict[str, Any]:
        """Parameters and learned arrays as plain data (what a model file stores)."""
        return {"params": {k: getattr(self, k) for k in (
            "model", "C", "class_weight", "folds", "min_positives", "threshold", "n_jobs",
            "random_state", "repeats")}, **{k: getattr(self, k) for k in self.STATE}}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> LinearHead:
        head = cls(**state["params"])
        for key in cls.STATE:
            setattr(head, key, state[key])
        return head

    def contributions(self, row: tuple[np.ndarray, np.ndarray], label: int,
                      offset: int = 0) -> np.ndarray:
        """Each feature's contribution (weight × value, calibrated slope) to ``label`` in
        one sparse row (columns, values): an array aligned with the row's columns."""
        cols, vals = row
        return np.asarray(vals * self.W_[cols + offset, label] * self.a_[label])


def _canonical(X: Any) -> Any:
    """Workers get large arrays memory-mapped read-only; a solver that sorts a sparse
    matrix's indices in place (LogisticRegression) would fail there: sort them first."""
    if hasattr(X, "sort_indices"):
        X = X.tocsr()
        X.sum_duplicates()
        X.sort_indices()
    return X


def _decision(X: Any, W: Any, b: np.ndarray) -> np.ndarray:
    out = X @ W
    if hasattr(out, "toarray"):  # a SciPy sparse result
        out = out.toarray()
    return np.asarray(np.asarray(out, dtype=np.float64) + b)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -35, 35))))


def _folds(Y: np.ndarray, groups: Sequence[str] | None, folds: int,
           seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds that never split a group when there are groups (two or more), multi-label
    stratified ones otherwise."""
    if groups is not None and len(set(groups)) >= 2:
        return grouped_folds(groups, folds, seed)
    return multilabel_folds(Y, folds, seed)


def multilabel_folds(Y: np.ndarray, folds: int,
                     seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """K-fold splits (train, test indices) stratified for multi-label targets ``Y``
    (iterative stratification; one column: plain stratified folds), ``folds`` at most
    the number of rows."""
    n = Y.shape[0]
    if Y.ndim == 1 or Y.shape[1] == 1:
        from sklearn.model_selection import StratifiedKFold

        y = Y.reshape(n)
        k = max(2, min(folds, n, int(np.bincount(y).min())))
        return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
                    .split(np.zeros(n), y))
    from iterstrat.ml_stratifiers import MultilabelStratifiedKFold

    splitter = MultilabelStratifiedKFold(n_splits=min(folds, n), shuffle=True,
                                         random_state=seed)
    return list(splitter.split(np.zeros(n), Y))


def labels_matrix(labels: Sequence[Sequence[str]], classes: Sequence[str]) -> np.ndarray:
    """0/1 matrix (n × L) of gold labels for the given class order."""
    index = {c: j for j, c in enumerate(classes)}
    Y = np.zeros((len(labels), len(classes)), dtype=np.int8)
    for i, names in enumerate(labels):
        for name in names:
            if name in index:
                Y[i, index[name]] = 1
    return Y
