"""The tfidf classifier: the contract, scikit-learn conventions, thresholds, explain and
the single-story fast path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from newsclf import Document, NotFittedError
from newsclf.classifiers.linear import best_threshold, platt
from newsclf.classifiers.tfidf import TfidfClassifier, fit_vectorizer
from newsclf.testing import check_classifier, toy_corpus


def test_contract(tmp_path: Path) -> None:
    check_classifier(TfidfClassifier, tmp_path)


def test_sklearn_conventions() -> None:
    clf = TfidfClassifier(C=4, ngram_max=1)
    assert clf.get_params()["C"] == 4
    copy = clone(clf)
    assert copy.get_params() == clf.get_params() and not hasattr(copy, "head_")
    with pytest.raises(NotFittedError):
        clf.predict([Document(id="x", text="y")])


def test_learns_and_is_deterministic() -> None:
    docs, labels = toy_corpus()
    a = TfidfClassifier(random_state=3).fit(docs, labels)
    b = TfidfClassifier(random_state=3).fit(docs, labels)
    probe = [Document(id="p", text="The striker scored a late goal in the final"),
             Document(id="q", text="Bond yields rose as the central bank raised rates")]
    names = [[lb.name for lb in labs] for labs in a.predict(probe)]
    assert names == [["sport"], ["markets"]]
    assert np.allclose(a.predict_scores(probe), b.predict_scores(probe))


def test_thresholds_are_tuned_per_label_and_rare_labels_fall_back() -> None:
    docs, labels = toy_corpus()
    rare = Document(id="r", text="A chess grandmaster won the championship")
    clf = TfidfClassifier(min_positives=5).fit([*docs, rare], [*labels, ["chess"]])
    j = clf.labels_.index("chess")
    assert not clf.head_.tuned_[j] and clf.head_.thresholds_[j] == 0.5
    assert clf.head_.tuned_[clf.labels_.index("sport")]
    fixed = TfidfClassifier(threshold=0.3).fit(docs, labels)
    assert set(fixed.head_.thresholds_) == {0.3}


def test_best_threshold_and_platt() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.3, 0.2, 0.1])
    truth = np.array([1, 1, 1, 0, 0, 0], dtype=bool)
    t = best_threshold(scores, truth)
    assert 0.3 < t <= 0.7
    a, _ = platt(np.array([2.0, 1.5, 1.0, -1.0, -1.5, -2.0]), truth)
    assert a > 0


def test_explain_gives_the_terms_behind_a_label() -> None:
    docs, labels = toy_corpus()
    clf = TfidfClassifier().fit(docs, labels)
    labels_ = clf.explain(Document(id="e", text="The striker scored in the cup final"))
    label = labels_[0]
    assert label.name == "sport" and label.score == max(lb.score for lb in labels_)
    terms = [e.text for e in label.evidence]
    assert terms and {"striker", "cup", "final", "scored"} & set(terms)
    assert all(e.weight and e.weight > 0 for e in label.evidence)


def test_min_labels_gives_the_best_label_below_threshold() -> None:
    docs, labels = toy_corpus()
    probe = [Document(id="n", text="The team and the bank")]
    (labs,) = TfidfClassifier(min_labels=1).fit(docs, labels).predict(probe)
    assert len(labs) >= 1
    (unknown,) = TfidfClassifier().fit(docs, labels).predict([Document(id="u", text="zzz")])
    assert unknown == []


@pytest.mark.parametrize("ngram_max", [1, 2, 3])
def test_frozen_vectorizer_matches_sklearn(ngram_max: int) -> None:
    from newsclf.classifiers.vectorizer import WordTfidf

    docs, _ = toy_corpus()
    texts = [d.text for d in docs] + ["Café déjà vu: the U.S. isn't Zürich's e-mail"]
    frozen, X = fit_vectorizer(texts, ngram_max=ngram_max, min_df=1)
    assert isinstance(frozen, WordTfidf)
    assert np.allclose(frozen.transform(texts).toarray(), X.toarray(), atol=1e-6)


def test_a_fitted_model_predicts_without_sklearn(tmp_path: Path) -> None:
    import subprocess
    import sys

    from newsclf import Model, save_model

    docs, labels = toy_corpus()
    save_model(Model([TfidfClassifier().fit(docs, labels)]), tmp_path / "m.joblib")
    code = ("import sys, newsclf; m = newsclf.load_model(sys.argv[1]); "
            "p = m.predict([newsclf.Document(id='x', text='the striker scored a goal')]); "
            "print(p[0].names(), 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "m.joblib")],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['sport'] False"


def test_head_fits_unsorted_sparse_input_in_worker_processes() -> None:
    """Large arrays reach joblib workers memory-mapped read-only; a sparse matrix with
    unsorted indices must not need sorting there (LogisticRegression sorts in place)."""
    from scipy import sparse

    from newsclf.classifiers.linear import LinearHead

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
