"""The linear head: thresholds, Platt scaling, multi-label folds, fitting in workers."""

from __future__ import annotations

import numpy as np

from newsclf.classifiers.head import LinearHead, best_threshold, multilabel_folds, platt


def test_best_threshold_and_platt() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.3, 0.2, 0.1])
    truth = np.array([1, 1, 1, 0, 0, 0], dtype=bool)
    t = best_threshold(scores, truth)
    assert 0.3 < t <= 0.7
    a, _ = platt(np.array([2.0, 1.5, 1.0, -1.0, -1.5, -2.0]), truth)
    assert a > 0


def test_multilabel_folds_cover_every_row_once() -> None:
    Y = (np.random.default_rng(0).random((40, 3)) < 0.3).astype(np.int8)
    folds = multilabel_folds(Y, 5, seed=0)
    assert len(folds) == 5
    tested = np.concatenate([test for _, test in folds])
    assert sorted(tested) == list(range(40))


def test_head_state_round_trip() -> None:
    X = np.random.default_rng(1).random((30, 5))
    Y = np.zeros((30, 2), dtype=np.int8)
    Y[:15, 0] = 1
    Y[10:, 1] = 1
    head = LinearHead(folds=2).fit(X, Y)
    again = LinearHead.from_state(head.to_state())
    assert np.array_equal(again.W_, head.W_) and np.array_equal(again.thresholds_,
                                                                 head.thresholds_)


def test_head_fits_unsorted_sparse_input_in_worker_processes() -> None:
    """Large arrays reach joblib workers memory-mapped read-only; a sparse matrix with
    unsorted indices must not need sorting there (LogisticRegression sorts in place)."""
    from scipy import sparse

    rng = np.random.default_rng(0)
    n, f = 600, 4000
    X = sparse.random(n, f, density=0.06, format="csr", random_state=1, dtype=np.float64)
    X.indices = X.indices.copy()
    for i in range(n):  # reverse each row's column order: valid CSR, unsorted indices
        a, b = X.indptr[i], X.indptr[i + 1]
        X.indices[a:b] = X.indices[a:b][::-1]
        X.data[a:b] = X.data[a:b][::-1]
    X.has_sorted_indices = False
    assert X.data.nbytes > 1_000_000
    Y = (rng.random((n, 4)) < 0.3).astype(np.int8)
    head = LinearHead(model="logistic", folds=2, n_jobs=2).fit(X, Y)
    assert head.W_.shape == (f, 4)
