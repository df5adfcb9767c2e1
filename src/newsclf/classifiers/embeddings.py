"""Dense static embeddings: the ``embeddings`` and ``hybrid`` classifiers and zero-shot
scoring from label descriptions.

Document vectors come from a static embedding model (model2vec's ``StaticModel``: a vector
per token, averaged; numpy and tokenizers at run time, no PyTorch). The shipped one,
``models/minilm-static``, is distilled from sentence-transformers/all-MiniLM-L6-v2 by
``scripts/distill.py``. The linear head, its calibrated scores and per-label thresholds
are the same as the tfidf classifier's (:mod:`newsclf.classifiers.linear`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from ..errors import ConfigError, ModelError, NotFittedError, TrainingError
from ..types import Document, Evidence, Label
from .linear import LinearHead, labels_matrix
from .tfidf import TfidfClassifier

__all__ = ["EmbeddingClassifier", "HybridClassifier", "StaticEmbedder", "ZeroShotClassifier",
           "static_model_path"]

STATIC_MODEL_ENV = "NEWSCLF_STATIC_MODEL"
_SENTENCES = re.compile(r"(?<=[.!?…])\s+(?=[\"“‘'(\[A-Z0-9])|\n+")


def static_model_path() -> Path:
    """The shipped static model: ``$NEWSCLF_STATIC_MODEL``, else ``minilm-static`` in the
    installed package's models, else in a source checkout's ``models/``."""
    if os.environ.get(STATIC_MODEL_ENV):
        return Path(os.environ[STATIC_MODEL_ENV])
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "models", here.parents[1] / "models"):
        if (candidate / "minilm-static" / "model.safetensors").exists():
            return candidate / "minilm-static"
    raise ModelError("the static embedding model is not installed (models/minilm-static)")


@lru_cache(maxsize=4)
def _load_static(path: str, dims: int | None) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from model2vec import StaticModel

    if not (Path(path) / "model.safetensors").exists():
        raise ModelError(f"{path}: not a static embedding model (no model.safetensors)")
    return StaticModel.from_pretrained(path, dimensionality=dims, force_download=False)


@lru_cache(maxsize=4)
def _float_table(model: Any) -> np.ndarray:
    return np.asarray(model.embedding, dtype=np.float32)


class StaticEmbedder:
    """Document vectors from a static embedding model (title and body, L2-normalised)."""

    def __init__(self, path: str | None = None, dims: int | None = None,
                 max_tokens: int = 1024) -> None:
        self.path = path
        self.dims = dims
        self.max_tokens = max_tokens

    @property
    def model(self) -> Any:
        return _load_static(str(self.path or static_model_path()), self.dims)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Mean token vector of each text (first ``max_tokens`` tokens), L2-normalised
        when the model says so: the same vectors as ``StaticModel.encode``, computed as
        one sparse (texts × vocabulary) count matrix times the embedding matrix."""
        from scipy import sparse

        model = self.model
        if not texts:
            return np.zeros((0, model.dim), dtype=np.float32)
        if getattr(model, "token_mapping", None) is not None or \
                getattr(model, "weights", None) is not None:
            return np.asarray(model.encode(list(texts), max_length=self.max_tokens,
                                           use_multiprocessing=False), dtype=np.float32)
        cap = self.max_tokens * 12  # characters: a token is rarely longer on average
        ids = [e.ids[: self.max_tokens] for e in
               model.tokenizer.encode_batch_fast([t[:cap] for t in texts],
                                                 add_special_tokens=False)]
        unk = getattr(model, "unk_token_id", None)
        if unk is not None:
            ids = [[i for i in row if i != unk] for row in ids]
        lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        flat = np.fromiter((i for row in ids for i in row), dtype=np.int64,
                           count=int(indptr[-1]))
        table = _float_table(model)
        counts = sparse.csr_matrix((np.ones(len(flat), dtype=np.float32), flat, indptr),
                                   shape=(len(ids), table.shape[0]))
        out = np.asarray(counts @ table, dtype=np.float32)
        out /= np.maximum(lengths, 1)[:, None]
        if getattr(model, "normalize", True):
            out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-32
        return out

    def documents(self, documents: Sequence[Document]) -> np.ndarray:
        return self.encode([f"{d.title}. {d.text}" if d.title else d.text for d in documents])


class EmbeddingClassifier(BaseEstimator):  # type: ignore[misc]
    """A linear head with per-label thresholds on static document embeddings.

    Parameters: ``static_model`` (a model2vec folder; default the shipped one), ``dims``
    (keep the first PCA dimensions only), ``model`` (``logistic`` or ``svm``), ``C``,
    ``class_weight``, ``folds``, ``min_positives``, ``threshold``, ``min_labels``,
    ``facet``, ``random_state`` (as for ``tfidf``).
    """

    name = "embeddings"
    trainable = True

    def __init__(self, *, static_model: str | None = None, dims: int | None = None,
                 model: str = "logistic", C: float = 4.0, class_weight: str | None = "balanced",
                 folds: int = 5, min_positives: int = 5, threshold: float | None = None,
                 min_labels: int = 0, facet: str = "topic", random_state: int = 0) -> None:
        self.static_model = static_model
        self.dims = dims
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.folds = folds
        self.min_positives = min_positives
        self.threshold = threshold
        self.min_labels = min_labels
        self.facet = facet
        self.random_state = random_state

    def _embedder(self) -> StaticEmbedder:
        return StaticEmbedder(self.static_model, self.dims)

    def features(self, documents: Sequence[Document]) -> Any:
        """The feature matrix of documents (dense embeddings)."""
        return self._embedder().documents(documents)

    def _head(self) -> LinearHead:
        return LinearHead(model=self.model, C=self.C, class_weight=self.class_weight,
                          folds=self.folds, min_positives=self.min_positives,
                          threshold=self.threshold, random_state=self.random_state)

    def fit(self, documents: Sequence[Document],
            labels: Sequence[Sequence[str]]) -> EmbeddingClassifier:
        """Learn the head, its calibration and thresholds; returns ``self``."""
        documents = list(documents)
        classes = sorted({name for names in labels for name in names})
        if not documents or not classes:
            raise TrainingError("no labelled documents to train on")
        self._prepare(documents)
        X = self.features(documents)
        self.head_ = self._head().fit(X, labels_matrix(labels, classes))
        self.labels_ = classes
        return self

    def _prepare(self, documents: Sequence[Document]) -> None:
        """Fit whatever features need fitting before the head (nothing here)."""

    def _check_fitted(self) -> None:
        if not hasattr(self, "head_"):
            raise NotFittedError(f"this {self.name} classifier is not fitted yet: "
                                 "train it first")

    def predict_scores(self, documents: Sequence[Document]) -> np.ndarray:
        """Calibrated scores (n × labels, in the order of ``labels_``)."""
        self._check_fitted()
        return self.head_.scores(self.features(documents))

    def _labels_from_scores(self, row: np.ndarray,
                            evidence: dict[int, tuple[Evidence, ...]] | None = None
                            ) -> list[Label]:
        return TfidfClassifier._labels_from_scores(self, row, evidence)

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]:
        """The labels of each document: those whose score reaches their threshold."""
        return [self._labels_from_scores(row) for row in self.predict_scores(documents)]

    def explain(self, document: Document, top: int = 3) -> list[Label]:
        """The labels of one document, each with the sentences that weighed most for it
        (the sentence's embedding · the label's weights)."""
        row = self.predict_scores([document])[0]
        sentences = [s for s in _SENTENCES.split(document.full_text) if s.strip()]
        emb = self._embedder().encode(sentences) if sentences else np.zeros((0, 1))
        offsets, pos, text = [], 0, document.full_text
        for s in sentences:
            start = text.find(s, pos)
            offsets.append((start, start + len(s)))
            pos = max(pos, start + len(s))
        evidence: dict[int, tuple[Evidence, ...]] = {}
        W = self._dense_weights()
        for j in range(len(self.labels_)):
            if row[j] < self.head_.thresholds_[j] or not sentences:
                continue
            contrib = emb @ W[:, j]
            best = [int(i) for i in np.argsort(-contrib)[:top] if contrib[i] > 0]
            evidence[j] = tuple(Evidence(sentences[i][:200], *offsets[i],
                                         weight=float(contrib[i]), kind="sentence")
                                for i in best)
        return self._labels_from_scores(row, evidence)

    def _dense_weights(self) -> np.ndarray:
        return np.asarray(self.head_.W_, dtype=np.float32)


class HybridClassifier(EmbeddingClassifier):
    """TF-IDF and dense features side by side (a feature union) under one linear head.

    Takes the tfidf parameters too (``ngram_max``, ``min_df``, ``title_weight``, …);
    ``dense_weight`` scales the dense block against the sparse one. With ``rules_weight``
    above 0 the keyword rules' scores (``rules``: a rules file, default the default
    taxonomy's) join as features too, so the head learns how far to trust each rule; set
    it to 0 for a taxonomy the rules file does not describe. The defaults are the
    default model's, chosen by cross-validation (models/README.md).
    """

    name = "hybrid"

    def __init__(self, *, static_model: str | None = None, dims: int | None = None,
                 dense_weight: float = 2.0, rules_weight: float = 1.0,
                 rules: str | None = None, ngram_max: int = 1, min_df: int = 2,
                 max_df: float = 0.9, max_features: int | None = 200_000,
                 title_weight: int = 2, model: str = "svm", C: float = 0.5,
                 class_weight: str | None = "balanced", folds: int = 5,
                 min_positives: int = 5, threshold: float | None = None, min_labels: int = 0,
                 facet: str = "topic", random_state: int = 0) -> None:
        super().__init__(static_model=static_model, dims=dims, model=model, C=C,
                         class_weight=class_weight, folds=folds, min_positives=min_positives,
                         threshold=threshold, min_labels=min_labels, facet=facet,
                         random_state=random_state)
        self.dense_weight = dense_weight
        self.rules_weight = rules_weight
        self.rules = rules
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.title_weight = title_weight

    def _prepare(self, documents: Sequence[Document]) -> None:
        sparse_part = TfidfClassifier(ngram_max=self.ngram_max, min_df=self.min_df,
                                      max_df=self.max_df, max_features=self.max_features,
                                      title_weight=self.title_weight)
        self.vectorizer_ = sparse_part._vectorizer(len(documents))
        self.vectorizer_.fit(sparse_part._texts(documents))

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_keyword_classifier", None)
        vectorizer = state.get("vectorizer_")
        if vectorizer is not None:
            vectorizer.__dict__.pop("_newsclf_analyzer", None)
        return state

    def features(self, documents: Sequence[Document]) -> Any:
        from scipy import sparse

        from .tfidf import document_text, tfidf_transform

        if not hasattr(self, "vectorizer_"):
            raise NotFittedError("this hybrid classifier is not fitted yet: train it first")
        X = tfidf_transform(self.vectorizer_, [document_text(d, self.title_weight)
                                               for d in documents])
        blocks = [X, sparse.csr_matrix(super().features(documents) * self.dense_weight)]
        if self.rules_weight > 0:
            rules = self._keywords().scores(documents)
            blocks.append(sparse.csr_matrix(np.log1p(rules) * self.rules_weight))
        return sparse.hstack(blocks, format="csr")

    def explain(self, document: Document, top: int = 3) -> list[Label]:
        """The labels of one document, each with the sentences that weighed most (dense
        part) followed by the terms that weighed most (sparse part)."""
        from dataclasses import replace

        labels = super().explain(document, top)
        x = self.features([document])
        names = self.vectorizer_.get_feature_names_out()
        n_sparse = len(names)
        out = []
        for label in labels:
            j = self.labels_.index(label.name)
            contrib = self.head_.contributions(x, j)[:n_sparse]
            best = [int(i) for i in np.argsort(-contrib)[: 2 * top + 2] if contrib[i] > 0]
            terms = tuple(Evidence(str(names[i]), weight=float(contrib[i])) for i in best)
            out.append(replace(label, evidence=label.evidence + terms))
        return out

    def _keywords(self) -> Any:
        cached = self.__dict__.get("_keyword_classifier")
        if cached is None:
            from .keywords import KeywordClassifier

            cached = self.__dict__["_keyword_classifier"] = KeywordClassifier(rules=self.rules)
        return cached

    def _dense_weights(self) -> np.ndarray:
        n_sparse = len(self.vectorizer_.vocabulary_)
        n_dense = self._embedder().model.dim
        dense = self.head_.W_[n_sparse:n_sparse + n_dense]
        return np.asarray(dense, dtype=np.float32) * self.dense_weight


class ZeroShotClassifier(BaseEstimator):  # type: ignore[misc]
    """Labels from their descriptions, with no training data: a story gets a label when
    its embedding's cosine with the label's description reaches ``min_similarity`` and
    is within ``margin`` of the best label's. Descriptions come from a rules file
    (``description`` of each ``[labels.NAME]``; default: the default taxonomy's)."""

    name = "zeroshot"
    facet = "topic"
    trainable = False

    def __init__(self, *, rules: str | None = None, static_model: str | None = None,
                 min_similarity: float = 0.25, margin: float = 0.08,
                 facet: str = "topic") -> None:
        self.rules = rules
        self.static_model = static_model
        self.min_similarity = min_similarity
        self.margin = margin
        self.facet = facet

    def fit(self, documents: Sequence[Document] = (),
            labels: Sequence[Sequence[str]] = ()) -> ZeroShotClassifier:
        return self

    def _label_vectors(self) -> tuple[list[str], np.ndarray]:
        from .keywords import load_rules

        rules = load_rules(self.rules).rules
        names = [n for n, r in rules.items() if r.description]
        if not names:
            raise ConfigError("zero-shot scoring needs a description for each label")
        vecs = StaticEmbedder(self.static_model).encode([rules[n].description for n in names])
        return names, vecs

    def similarities(self, documents: Sequence[Document]) -> tuple[list[str], np.ndarray]:
        names, label_vecs = self._label_vectors()
        docs = StaticEmbedder(self.static_model).documents(documents)
        return names, docs @ label_vecs.T

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]:
        names, sims = self.similarities(documents)
        out = []
        for row in sims:
            best = float(row.max()) if len(row) else 0.0
            out.append([Label(names[j], self.facet, float(np.clip((row[j] + 1) / 2, 0, 1)),
                              self.name) for j in np.argsort(-row)
                        if row[j] >= self.min_similarity and row[j] >= best - self.margin])
        return out
