"""The ``tfidf`` classifier: TF-IDF features and a linear model per label.

Multi-label, one-vs-rest, with calibrated scores and a threshold per label tuned by
cross-validation on the training data (see :mod:`newsclf.classifiers.linear` for what a
score and a threshold mean). Follows scikit-learn's conventions, so ``clone``,
``get_params`` and ``GridSearchCV`` work. Fitting uses scikit-learn; a fitted classifier
predicts with NumPy alone (the vectorizer is frozen into :class:`WordTfidf`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import TrainingError
from ..types import Document, Evidence, Label
from .linear import HeadClassifier, LinearHead, labels_matrix
from .vectorizer import Row, WordTfidf

__all__ = ["TfidfClassifier", "document_text", "fit_vectorizer", "vectorizer_rows"]

TOKEN_PATTERN = r"(?u)\b\w[\w'’.-]*\w\b|\b\w\b"


def document_text(doc: Document, title_weight: int = 2) -> str:
    """The text a bag-of-words model reads: the title ``title_weight`` times, then the body."""
    return "\n".join([doc.title] * title_weight + [doc.text]) if doc.title else doc.text


def fit_vectorizer(texts: Sequence[str], *, ngram_max: int = 1, char_ngrams: bool = False,
                   min_df: int = 2, max_df: float = 0.9, max_features: int | None = 200_000
                   ) -> tuple[Any, Any]:
    """Fit a TF-IDF vectorizer on texts: returns (vectorizer, training matrix). The
    vectorizer is frozen into a :class:`WordTfidf` when it is word-level."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    n = len(texts)
    min_df = min_df if n > 4 * min_df else 1
    words = TfidfVectorizer(ngram_range=(1, ngram_max), min_df=min_df,
                            max_df=max_df if n > 20 else 1.0, max_features=max_features,
                            sublinear_tf=True, strip_accents="unicode", lowercase=True,
                            dtype=np.float32, token_pattern=TOKEN_PATTERN)
    if not char_ngrams:
        X = words.fit_transform(texts)
        return WordTfidf.from_sklearn(words), X
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=min_df,
                            max_features=max_features, sublinear_tf=True,
                            strip_accents="unicode", dtype=np.float32)
    union = FeatureUnion([("words", words), ("chars", chars)])
    return union, union.fit_transform(texts)


def vectorizer_rows(vectorizer: Any, texts: Sequence[str]) -> list[Row]:
    """Each text's row as (columns, values), whatever the vectorizer."""
    if isinstance(vectorizer, WordTfidf):
        return vectorizer.rows(texts)
    X = vectorizer.transform(texts).tocsr()
    return [(X.indices[X.indptr[i]:X.indptr[i + 1]].astype(np.int64),
             X.data[X.indptr[i]:X.indptr[i + 1]]) for i in range(X.shape[0])]


class TfidfClassifier(HeadClassifier):
    """TF-IDF (word n-grams, optionally character n-grams; sublinear tf; accents
    stripped) and a linear model per label.

    Parameters: ``ngram_max`` (word n-grams 1..n), ``char_ngrams`` (add character
    2..5-grams within word boundaries), ``min_df``, ``max_df``, ``max_features``,
    ``title_weight`` (times the title is repeated), ``model`` (``svm`` or ``logistic``),
    ``C``, ``class_weight``, ``folds`` (CV folds for calibration and thresholds),
    ``min_positives`` (fewer positives: no tuned threshold), ``threshold`` (one fixed
    threshold for every label instead of tuned ones), ``min_labels`` (give at least this
    many labels, the best ones, even below threshold), ``facet``, ``random_state``.
    Defaults were chosen by cross-validation on Reuters-21578's training split and the
    default taxonomy's training data (benchmarks/).
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

    def _texts(self, documents: Sequence[Document]) -> list[str]:
        return [document_text(d, self.title_weight) for d in documents]

    def features(self, documents: Sequence[Document]) -> Any:
        """The TF-IDF matrix (SciPy CSR) of documents (after fitting)."""
        self._check_fitted()
        return self.vectorizer_.transform(self._texts(documents))

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
        self.vectorizer_, X = fit_vectorizer(
            self._texts(documents), ngram_max=self.ngram_max, char_ngrams=self.char_ngrams,
            min_df=self.min_df, max_df=self.max_df, max_features=self.max_features)
        self.head_ = LinearHead(model=self.model, C=self.C, class_weight=self.class_weight,
                                folds=self.folds, min_positives=self.min_positives,
                                threshold=self.threshold,
                                random_state=self.random_state).fit(
                                    X, labels_matrix(labels, classes))
        self.labels_ = classes
        return self

    # -- predicting -------------------------------------------------------------------
    def _rows(self, documents: Sequence[Document]) -> list[Row]:
        return vectorizer_rows(self.vectorizer_, self._texts(documents))

    def _scores_of_rows(self, rows: Sequence[Row]) -> np.ndarray:
        scores = self.head_.calibrate(self.head_.decision_rows(rows) + self.head_.intercept_)
        for i, (cols, _) in enumerate(rows):
            if not len(cols):  # no known word: no evidence for any label
                scores[i] = 0.0
        return scores

    def predict_scores(self, documents: Sequence[Document]) -> np.ndarray:
        """Calibrated scores (n × labels, in the order of ``labels_``)."""
        self._check_fitted()
        return self._scores_of_rows(self._rows(documents))

    def explain(self, document: Document, top: int = 8) -> list[Label]:
        """The labels of one document, each with the terms that weighed most for it
        (weight × TF-IDF value, highest first)."""
        self._check_fitted()
        (row,) = self._rows([document])
        scores = self._scores_of_rows([row])[0]
        names = self.vectorizer_.get_feature_names_out()
        evidence: dict[int, tuple[Evidence, ...]] = {}
        for j in range(len(self.labels_)):
            if scores[j] < self.head_.thresholds_[j] and self.min_labels == 0:
                continue
            evidence[j] = term_evidence(names, row, self.head_.contributions(row, j), top)
        return self._labels_from_scores(scores, evidence)


def term_evidence(names: Any, row: Row, contributions: np.ndarray,
                  top: int) -> tuple[Evidence, ...]:
    """The ``top`` terms of a row with the largest positive contributions."""
    cols, _ = row
    best = [int(i) for i in np.argsort(-contributions)[:top] if contributions[i] > 0]
    return tuple(Evidence(str(names[cols[i]]).split("__", 1)[-1],
                          weight=float(contributions[i])) for i in best)
