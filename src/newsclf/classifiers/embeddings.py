"""Dense static embeddings: the ``embeddings`` and ``hybrid`` classifiers and zero-shot
scoring from label descriptions.

Document vectors come from a static embedding model in model2vec's format (a vector per
token, averaged; NumPy and tokenizers at run time, no PyTorch). The shipped one,
``models/minilm-static``, is distilled from sentence-transformers/all-MiniLM-L6-v2 by
``scripts/distill.py``. The linear head, its calibrated scores and per-label thresholds
are the same as the tfidf classifier's (:mod:`newsclf.classifiers.linear`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError, ModelError, NotFittedError, TrainingError
from ..types import Document, Evidence, Label
from .linear import HeadClassifier, LinearHead, labels_matrix
from .params import Params
from .tfidf import document_text, fit_vectorizer, term_evidence, vectorizer_rows

__all__ = ["EmbeddingClassifier", "HybridClassifier", "StaticEmbedder", "ZeroShotClassifier",
           "static_model_path"]

STATIC_MODEL_ENV = "NEWSCLF_STATIC_MODEL"
_SPARSE_FROM = 64  # texts in a batch from which the SciPy product beats a loop
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


@dataclass(frozen=True)
class StaticTable:
    """A static model's parts: tokenizer, float32 vectors (one per token), options."""

    tokenizer: Any
    vectors: np.ndarray
    normalize: bool
    unk_id: int | None


@lru_cache(maxsize=4)
def load_static(path: str, dims: int | None = None) -> StaticTable:
    """Read a model2vec folder (``model.safetensors``, ``tokenizer.json``,
    ``config.json``) with safetensors and tokenizers alone; ``dims`` keeps the first
    PCA dimensions."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = Path(path)
    try:
        tensors = load_file(str(folder / "model.safetensors"))
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, Exception) as exc:  # missing or malformed files
        raise ModelError(f"{path}: not a readable static embedding model ({exc})") from None
    if set(tensors) != {"embeddings"}:
        raise ModelError(f"{path}: static models with token weights or a token mapping "
                         f"are not supported ({', '.join(sorted(tensors))})")
    vectors = np.asarray(tensors["embeddings"], dtype=np.float32)
    if dims:
        vectors = np.ascontiguousarray(vectors[:, :dims])
    unk = getattr(tokenizer.model, "unk_token", None)
    unk_id = tokenizer.token_to_id(unk) if unk else None
    return StaticTable(tokenizer, vectors, bool(config.get("normalize", True)), unk_id)


class StaticEmbedder:
    """Document vectors from a static embedding model (title and body, L2-normalised)."""

    def __init__(self, path: str | None = None, dims: int | None = None,
                 max_tokens: int = 1024) -> None:
        self.path = path
        self.dims = dims
        self.max_tokens = max_tokens

    @property
    def table(self) -> StaticTable:
        return load_static(str(self.path or static_model_path()), self.dims)

    @property
    def dim(self) -> int:
        return int(self.table.vectors.shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Mean token vector of each text (its first ``max_tokens`` tokens), L2-normalised
        when the model says so: the vectors model2vec's ``StaticModel.encode`` gives."""
        table = self.table
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        cap = self.max_tokens * 12  # characters: a token is rarely longer on average
        encodings = table.tokenizer.encode_batch_fast([t[:cap] for t in texts],
                                                      add_special_tokens=False)
        ids = [np.asarray(enc.ids[: self.max_tokens], dtype=np.int64) for enc in encodings]
        if table.unk_id is not None:
            ids = [row[row != table.unk_id] for row in ids]
        if len(texts) < _SPARSE_FROM:
            for i, row in enumerate(ids):
                if len(row):
                    out[i] = table.vectors[row].mean(axis=0)
        else:  # one (texts × vocabulary) count matrix times the vectors
            from scipy import sparse

            lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
            indptr = np.concatenate([[0], np.cumsum(lengths)])
            counts = sparse.csr_matrix((np.ones(int(indptr[-1]), dtype=np.float32),
                                        np.concatenate(ids), indptr),
                                       shape=(len(ids), table.vectors.shape[0]))
            out = np.asarray(counts @ table.vectors, dtype=np.float32)
            out /= np.maximum(lengths, 1)[:, None]
        if table.normalize:
            out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-32
        return out

    def documents(self, documents: Sequence[Document]) -> np.ndarray:
        return self.encode([f"{d.title}. {d.text}" if d.title else d.text for d in documents])


def _sentences(document: Document) -> list[tuple[str, int, int]]:
    text = document.full_text
    out, pos = [], 0
    for sentence in _SENTENCES.split(text):
        if not sentence.strip():
            continue
        start = text.find(sentence, pos)
        out.append((sentence, start, start + len(sentence)))
        pos = max(pos, start + len(sentence))
    return out


class EmbeddingClassifier(HeadClassifier):
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
        X = self._training_features(documents)
        self.head_ = self._head().fit(X, labels_matrix(labels, classes))
        self.labels_ = classes
        return self

    def _training_features(self, documents: Sequence[Document]) -> Any:
        return self.features(documents)

    def _decision(self, documents: Sequence[Document]) -> np.ndarray:
        head: LinearHead = self.head_
        decision: np.ndarray = head.decision_dense(self.features(documents)) + head.intercept_
        return decision

    def predict_scores(self, documents: Sequence[Document]) -> np.ndarray:
        """Calibrated scores (n × labels, in the order of ``labels_``)."""
        self._check_fitted()
        return self.head_.calibrate(self._decision(documents))

    def _dense_offset(self) -> int:
        return 0

    def explain(self, document: Document, top: int = 3) -> list[Label]:
        """The labels of one document, each with the sentences that weighed most for it
        (the sentence's embedding · the label's weights)."""
        row = self.predict_scores([document])[0]
        sentences = _sentences(document)
        emb = self._embedder().encode([s for s, _, _ in sentences])
        offset = self._dense_offset()
        W = self.head_.W_[offset:offset + emb.shape[1]]
        evidence: dict[int, tuple[Evidence, ...]] = {}
        for j in range(len(self.labels_)):
            if row[j] < self.head_.thresholds_[j] or not sentences:
                continue
            contrib = emb @ W[:, j] * self._dense_scale()
            best = [int(i) for i in np.argsort(-contrib)[:top] if contrib[i] > 0]
            evidence[j] = tuple(Evidence(sentences[i][0][:200], sentences[i][1],
                                         sentences[i][2], float(contrib[i]), "sentence")
                                for i in best)
        return self._labels_from_scores(row, evidence)

    def _dense_scale(self) -> float:
        return 1.0


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

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_keyword_classifier", None)
        return state

    def _texts(self, documents: Sequence[Document]) -> list[str]:
        return [document_text(d, self.title_weight) for d in documents]

    def _keywords(self) -> Any:
        cached = self.__dict__.get("_keyword_classifier")
        if cached is None:
            from .keywords import KeywordClassifier

            cached = self.__dict__["_keyword_classifier"] = KeywordClassifier(rules=self.rules)
        return cached

    def _dense_blocks(self, documents: Sequence[Document]) -> list[np.ndarray]:
        blocks = [self._embedder().documents(documents) * self.dense_weight]
        if self.rules_weight > 0:
            blocks.append(np.log1p(self._keywords().scores(documents)) * self.rules_weight)
        return blocks

    def _training_features(self, documents: Sequence[Document]) -> Any:
        from scipy import sparse

        self.vectorizer_, X = fit_vectorizer(self._texts(documents), ngram_max=self.ngram_max,
                                             min_df=self.min_df, max_df=self.max_df,
                                             max_features=self.max_features)
        blocks = [X, *(sparse.csr_matrix(b) for b in self._dense_blocks(documents))]
        return sparse.hstack(blocks, format="csr")

    def features(self, documents: Sequence[Document]) -> Any:
        """The full feature matrix (SciPy CSR): TF-IDF, dense embeddings, rule scores."""
        from scipy import sparse

        if not hasattr(self, "vectorizer_"):
            raise NotFittedError("this hybrid classifier is not fitted yet: train it first")
        X = self.vectorizer_.transform(self._texts(documents))
        blocks = [X, *(sparse.csr_matrix(b) for b in self._dense_blocks(documents))]
        return sparse.hstack(blocks, format="csr")

    def _n_sparse(self) -> int:
        return len(self.vectorizer_.vocabulary_)

    def _decision(self, documents: Sequence[Document]) -> np.ndarray:
        """The head's decision, block by block (NumPy only: no matrix is assembled)."""
        head: LinearHead = self.head_
        rows = vectorizer_rows(self.vectorizer_, self._texts(documents))
        decision: np.ndarray = head.decision_rows(rows) + head.intercept_
        offset = self._n_sparse()
        for block in self._dense_blocks(documents):
            decision += head.decision_dense(block, offset)
            offset += block.shape[1]
        return decision

    def _dense_offset(self) -> int:
        return self._n_sparse()

    def _dense_scale(self) -> float:
        return self.dense_weight

    def explain(self, document: Document, top: int = 3) -> list[Label]:
        """The labels of one document, each with the sentences that weighed most (dense
        part), the rule matches for that label when rules are features, and the terms
        that weighed most (sparse part)."""
        labels = super().explain(document, top)
        (row,) = vectorizer_rows(self.vectorizer_, self._texts([document]))
        names = self.vectorizer_.get_feature_names_out()
        rule_hits: dict[str, list[Evidence]] = {}
        if self.rules_weight > 0:
            rule_hits = self._keywords().raw_scores(document)[1]
        out = []
        for label in labels:
            j = self.labels_.index(label.name)
            terms = term_evidence(names, row, self.head_.contributions(row, j), 2 * top + 2)
            rules = sorted(rule_hits.get(label.name, []), key=lambda e: -(e.weight or 0))
            out.append(replace(label, evidence=label.evidence + tuple(rules[:5]) + terms))
        return out


class ZeroShotClassifier(Params):
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
