"""The ``tfidf`` classifier: TF-IDF features and a linear model per label.

Multi-label, one-vs-rest, with calibrated scores and a threshold per label tuned by
cross-validation on the training data (see :mod:`newsclf.classifiers.linear` for what a
score and a threshold mean). Follows scikit-learn's conventions, so ``clone``,
``get_params`` and ``GridSearchCV`` work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from ..errors import NotFittedError, TrainingError
from ..types import Document, Evidence, Label
from .linear import LinearHead, labels_matrix

__all__ = ["TfidfClassifier", "document_text", "tfidf_transform"]

_SMALL_BATCH = 16


def tfidf_transform(vectorizer: Any, texts: Sequence[str]) -> Any:
    """``vectorizer.transform(texts)``, with a fast path for a few texts.

    scikit-learn's transform spends most of its time validating input when it gets one
    story at a time; for a fitted word-level ``TfidfVectorizer`` (sublinear tf, l2 norm)
    this computes the same rows directly from the analyzer, vocabulary and idf.
    """
    from collections import Counter

    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    if (len(texts) > _SMALL_BATCH or not isinstance(vectorizer, TfidfVectorizer)
            or not vectorizer.sublinear_tf or vectorizer.norm != "l2"
            or vectorizer.binary):
        return vectorizer.transform(texts)
    cache = vectorizer.__dict__
    analyzer = cache.get("_newsclf_analyzer")
    if analyzer is None:
        analyzer = cache["_newsclf_analyzer"] = vectorizer.build_analyzer()
    vocab = vectorizer.vocabulary_
    idf = vectorizer.idf_
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        counts = Counter(j for j in map(vocab.get, analyzer(text)) if j is not None)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64,
                                         count=len(counts)))) * idf[cols]
        norm = np.sqrt(np.dot(vals, vals))
        if norm > 0:
            vals /= norm
        order = np.argsort(cols)
        indices.extend(cols[order].tolist())
        data.extend(vals[order].tolist())
        indptr.append(len(indices))
    return sparse.csr_matrix((np.asarray(data, dtype=vectorizer.dtype), indices, indptr),
                             shape=(len(texts), len(idf)))


def document_text(doc: Document, title_weight: int = 2) -> str:
    """The text a bag-of-words model reads: the title ``title_weight`` times, then the body."""
    return "\n".join([doc.title] * title_weight + [doc.text]) if doc.title else doc.text


class TfidfClassifier(BaseEstimator):  # type: ignore[misc]
    """TF-IDF (word n-grams, optionally character n-grams; sublinear tf; accents
    stripped) and a linear model per label.

    Parameters: ``ngram_max`` (word n-grams 1..n), ``char_ngrams`` (add character
    2..5-grams within word boundaries), ``min_df``, ``max_df``, ``max_features``,
    ``title_weight`` (times the title is repeated), ``model`` (``svm`` or ``logistic``),
    ``C``, ``class_weight``, ``folds`` (CV folds for calibration and thresholds),
    ``min_positives`` (fewer positives: no tuned threshold), ``threshold`` (one fixed
    threshold for every label instead of tuned ones), ``min_labels`` (give at least this
    many labels, the best ones, even below threshold), ``facet``, ``random_state``.
    """

    name = "tfidf"
    trainable = True

    def __init__(self, *, ngram_max: int = 1, char_ngrams: bool = False, min_df: int = 2,
                 max_df: float = 0.9, max_features: int | None = 200_000,
                 title_weight: int = 2, model: str = "svm", C: float = 0.5,
                 class_weight: str | None = "balanced", folds: int = 3,
                 min_positives: int = 5, threshold: float | None = None, min_labels: int = 0,
                 facet: str = "topic", random_state: int = 0) -> None:
        self.ngram_max = ngram_max
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.title_weight = title_weight
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.folds = folds
        self.min_positives = min_positives
        self.threshold = threshold
        self.min_labels = min_labels
        self.facet = facet
        self.random_state = random_state

    # -- features ---------------------------------------------------------------------
    def _vectorizer(self, n_docs: int) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion

        min_df = self.min_df if n_docs > 4 * self.min_df else 1
        words = TfidfVectorizer(ngram_range=(1, self.ngram_max), min_df=min_df,
                                max_df=self.max_df if n_docs > 20 else 1.0,
                                max_features=self.max_features, sublinear_tf=True,
                                strip_accents="unicode", lowercase=True, dtype=np.float32,
                                token_pattern=r"(?u)\b\w[\w'’.-]*\w\b|\b\w\b")
        if not self.char_ngrams:
            return words
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=min_df,
                                max_features=self.max_features, sublinear_tf=True,
                                strip_accents="unicode", dtype=np.float32)
        return FeatureUnion([("words", words), ("chars", chars)])

    def _texts(self, documents: Sequence[Document]) -> list[str]:
        return [document_text(d, self.title_weight) for d in documents]

    def features(self, documents: Sequence[Document]) -> Any:
        """The TF-IDF matrix of documents (after fitting)."""
        self._check_fitted()
        return tfidf_transform(self.vectorizer_, self._texts(documents))

    # -- fitting ----------------------------------------------------------------------
    def fit(self, documents: Sequence[Document],
            labels: Sequence[Sequence[str]]) -> TfidfClassifier:
        """Learn features, weights, calibration and thresholds; returns ``self``."""
        documents = list(documents)
        if len(documents) != len(labels):
            raise TrainingError(f"{len(documents)} documents but {len(labels)} label lists")
        classes = sorted({name for names in labels for name in names})
        if not documents or not classes:
            raise TrainingError("no labelled documents to train on")
        self.vectorizer_ = self._vectorizer(len(documents))
        X = self.vectorizer_.fit_transform(self._texts(documents))
        Y = labels_matrix(labels, classes)
        self.head_ = LinearHead(model=self.model, C=self.C, class_weight=self.class_weight,
                                folds=self.folds, min_positives=self.min_positives,
                                threshold=self.threshold,
                                random_state=self.random_state).fit(X, Y)
        self.labels_ = classes
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        vectorizer = state.get("vectorizer_")
        if vectorizer is not None and "_newsclf_analyzer" in vectorizer.__dict__:
            del vectorizer.__dict__["_newsclf_analyzer"]  # a closure: rebuilt on demand
        return state

    def _check_fitted(self) -> None:
        if not hasattr(self, "head_"):
            raise NotFittedError(f"this {self.name} classifier is not fitted yet: "
                                 "train it first")

    # -- predicting -------------------------------------------------------------------
    def predict_scores(self, documents: Sequence[Document]) -> np.ndarray:
        """Calibrated scores (n × labels, in the order of ``labels_``)."""
        self._check_fitted()
        X = self.features(documents)
        scores = self.head_.scores(X)
        scores[np.diff(X.indptr) == 0] = 0.0  # no known word: no evidence for any label
        return scores

    def _labels_from_scores(self, row: np.ndarray,
                            evidence: dict[int, tuple[Evidence, ...]] | None = None
                            ) -> list[Label]:
        chosen = [j for j in np.argsort(-row) if row[j] >= self.head_.thresholds_[j]]
        if len(chosen) < self.min_labels:
            chosen = list(np.argsort(-row)[: self.min_labels])
        return [Label(self.labels_[j], self.facet, float(row[j]), self.name,
                      (evidence or {}).get(int(j), ())) for j in chosen]

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]:
        """The labels of each document: those whose score reaches their threshold."""
        scores = self.predict_scores(documents)
        return [self._labels_from_scores(row) for row in scores]

    def explain(self, document: Document, top: int = 8) -> list[Label]:
        """The labels of one document, each with the terms that weighed most for it
        (weight × TF-IDF value, highest first)."""
        x = self.features([document])
        row = self.head_.scores(x)[0] if x.nnz else np.zeros(len(self.labels_))
        names = self.vectorizer_.get_feature_names_out()
        evidence: dict[int, tuple[Evidence, ...]] = {}
        for j in range(len(self.labels_)):
            if row[j] < self.head_.thresholds_[j] and self.min_labels == 0:
                continue
            contrib = self.head_.contributions(x, j)
            best = [int(i) for i in np.argsort(-contrib)[:top] if contrib[i] > 0]
            evidence[j] = tuple(Evidence(str(names[i]).split("__", 1)[-1], weight=float(contrib[i]))
                                for i in best)
        return self._labels_from_scores(row, evidence)
