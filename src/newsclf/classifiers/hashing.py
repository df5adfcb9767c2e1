"""A linear classifier that learns from more stories than fit in memory.

``hashing`` reads words through scikit-learn's ``HashingVectorizer`` (no vocabulary to
hold: a word's column is its hash) and learns one ``SGDClassifier`` per label with
``partial_fit``, chunk by chunk, so training memory is bounded by the chunk size and the
width of the hash space, not by the number of stories. Per-label thresholds are still
tuned out of fold: every ``holdout_every``-th story (at most ``max_holdout``) is held
back, the calibration (Platt scaling) and the F1-best threshold of each label are fitted
on the held-back stories' scores, and only then are the held-back stories learned too.

Use it with ``newsclf train DATA --classifier hashing``: the trainer streams the input
through :meth:`HashingClassifier.fit_stream` instead of reading it into a list, and
reports the held-back figures instead of cross-validation. For data that fits in memory,
``tfidf`` is more accurate (its vocabulary has idf weights and its SVM sees every story
at once); the benchmark in the issue's note gives both on Reuters.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from ..estimator import EstimatorMixin
from ..streams import batches
from ..types import Document, Label
from .head import _sigmoid, best_threshold, platt
from .text import bag_of_words_text

__all__ = ["HashingClassifier"]

Example = tuple[Document, Sequence[str]]


class HashingClassifier(EstimatorMixin):
    """Hashed word n-grams, one SGD linear model per label learned chunk by chunk,
    per-label thresholds tuned on held-back stories.

    Parameters: ``n_features`` (width of the hash space: memory and model size grow with
    it), ``ngram_max``, ``title_weight``, ``loss`` and ``alpha`` (of ``SGDClassifier``),
    ``epochs`` (passes over the data; more than one needs input that can be read again),
    ``chunk_size`` (stories learned at a time), ``holdout_every`` / ``max_holdout`` (the
    stories held back for thresholds), ``min_positives`` (fewer held-back positives: the
    model's own boundary, score 0.5), ``threshold`` (one fixed threshold instead),
    ``facet``, ``random_state``.
    """

    name = "hashing"
    facet = "topic"
    trainable = True
    trusted_types = ("scipy.sparse.",)

    def __init__(self, *, n_features: int = 2**18, ngram_max: int = 2, title_weight: int = 2,
                 loss: str = "hinge", alpha: float = 1e-4, epochs: int = 5,
                 chunk_size: int = 2_000, holdout_every: int = 10, max_holdout: int = 20_000,
                 min_positives: int = 3, threshold: float | None = None,
                 facet: str = "topic", random_state: int = 0) -> None:
        self.n_features = n_features
        self.ngram_max = ngram_max
        self.title_weight = title_weight
        self.loss = loss
        self.alpha = alpha
        self.epochs = epochs
        self.chunk_size = chunk_size
        self.holdout_every = holdout_every
        self.max_holdout = max_holdout
        self.min_positives = min_positives
        self.threshold = threshold
        self.facet = facet
        self.random_state = random_state

    # -- features ---------------------------------------------------------------------
    def _vectorizer(self) -> Any:
        def make() -> Any:
            from sklearn.feature_extraction.text import HashingVectorizer

            return HashingVectorizer(n_features=self.n_features,
                                     ngram_range=(1, self.ngram_max), alternate_sign=False,
                                     norm="l2", dtype=np.float32)

        return self._cached("vectorizer", make)

    def _features(self, documents: Sequence[Document]) -> Any:
        return self._vectorizer().transform(
            [bag_of_words_text(d, self.title_weight) for d in documents])

    # -- fitting ----------------------------------------------------------------------
    def fit(self, documents: Sequence[Document],
            labels: Sequence[Sequence[str]]) -> HashingClassifier:
        """Learn from stories in memory (the same procedure as :meth:`fit_stream`)."""
        docs, gold = self._validate_fit(documents, labels)
        return self.fit_stream(lambda: zip(docs, gold))

    def fit_stream(self, examples: Callable[[], Iterable[Example]]) -> HashingClassifier:
        """Learn from ``examples()``, an iterable of ``(document, label names)`` read
        chunk by chunk (called once per epoch). Returns ``self``."""
        from sklearn.linear_model import SGDClassifier

        models: dict[str, Any] = {}
        held_docs: list[Any] = []
        held_gold: list[Sequence[str]] = []
        seen = np.zeros(self.n_features, dtype=bool)
        n_seen = 0
        for epoch in range(max(1, self.epochs)):
            position = 0
            for chunk in batches(examples(), self.chunk_size):
                train_docs, train_gold = [], []
                for doc, names in chunk:
                    position += 1
                    held = self.holdout_every > 1 and position % self.holdout_every == 0 \
                        and position // self.holdout_every <= self.max_holdout
                    if held:  # the same stories every epoch, never learned before the end
                        if epoch == 0:
                            held_docs.append(doc)
                            held_gold.append(list(names))
                        continue
                    train_docs.append(doc)
                    train_gold.append(list(names))
                if not train_docs:
                    continue
                if epoch == 0:
                    n_seen += len(train_docs)
                X = self._features(train_docs)
                seen[np.unique(X.indices)] = True
                for name in {n for names in train_gold for n in names}:
                    if name not in models:
                        models[name] = SGDClassifier(loss=self.loss, alpha=self.alpha,
                                                     random_state=self.random_state)
                for name, model in models.items():
                    y = np.fromiter((name in names for names in train_gold), dtype=np.int8,
                                    count=len(train_gold))
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        model.partial_fit(X, y, classes=np.array([0, 1], dtype=np.int8))
        if not models:
            from ..errors import TrainingError

            raise TrainingError("no labelled documents to train on")
        classes = sorted(models)
        self.labels_ = classes
        self._set_weights([models[c] for c in classes], seen)
        self._calibrate(held_docs, held_gold)
        if held_docs:  # now learn the held-back stories too (their thresholds are set)
            X = self._features(held_docs)
            seen[np.unique(X.indices)] = True
            for name in classes:
                y = np.array([name in names for names in held_gold], dtype=np.int8)
                models[name].partial_fit(X, y, classes=np.array([0, 1], dtype=np.int8))
            self._set_weights([models[c] for c in classes], seen)
        self.n_trained_ = n_seen + len(held_docs)
        self.holdout_size_ = len(held_docs)
        return self

    def _set_weights(self, models: Sequence[Any], seen: np.ndarray) -> None:
        """Keep the weights of the hash columns some story used (the rest are zero)."""
        rows = np.flatnonzero(seen).astype(np.int32)
        self.columns_ = rows
        self.W_ = np.stack([m.coef_.ravel()[rows] for m in models], axis=1).astype(np.float32)
        self.intercept_ = np.array([float(m.intercept_[0]) for m in models])
        self.__dict__.pop("_cache_index", None)

    def _calibrate(self, docs: Sequence[Document], gold: Sequence[Sequence[str]]) -> None:
        n = len(self.labels_)
        self.a_ = np.full(n, 2.0)
        self.b_ = np.zeros(n)
        self.thresholds_ = np.full(n, 0.5 if self.threshold is None else self.threshold)
        if not docs:
            return
        decision = self._decision(docs)
        for j, name in enumerate(self.labels_):
            positives = np.array([name in names for names in gold])
            if positives.sum() < self.min_positives or positives.all():
                continue
            a, b = platt(decision[:, j], positives)
            if a <= 0:
                continue
            self.a_[j], self.b_[j] = a, b
            if self.threshold is None:
                self.thresholds_[j] = best_threshold(_sigmoid(a * decision[:, j] + b),
                                                     positives)

    # -- predicting -------------------------------------------------------------------
    def _decision(self, documents: Sequence[Document]) -> np.ndarray:
        from scipy.sparse import csr_matrix

        index = self._cached("index", self._column_index)
        X = self._features(documents).tocoo()
        cols = index[X.col]
        used = cols >= 0
        known = csr_matrix((X.data[used], (X.row[used], cols[used])),
                           shape=(len(documents), len(self.columns_)))
        decision = np.asarray(known @ self.W_, dtype=np.float64)
        return np.asarray(decision + self.intercept_)

    def _column_index(self) -> np.ndarray:
        index = np.full(self.n_features, -1, dtype=np.int64)
        index[self.columns_] = np.arange(len(self.columns_))
        return index

    def predict_scores(self, documents: Sequence[Document]) -> np.ndarray:
        """Calibrated scores (n × labels, in the order of ``labels_``)."""
        self._check_fitted()
        return _sigmoid(self._decision(documents) * self.a_ + self.b_)

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]:
        """The labels whose score reaches their threshold, best first."""
        scores = self.predict_scores(documents)
        out: list[list[Label]] = []
        for doc, row in zip(documents, scores):
            if doc.is_empty:
                out.append([])
                continue
            order = np.argsort(-row, kind="stable")
            out.append([Label(self.labels_[j], self.facet, float(row[j]), self.name)
                        for j in order if row[j] >= self.thresholds_[j]])
        return out

