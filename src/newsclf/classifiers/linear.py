"""The one learned classifier: feature blocks side by side under one linear head.

A prediction is a straight line: each block gives its share of the decision from its
slice of the head's weights (NumPy only) → the shares and the intercepts are summed →
the head calibrates them into scores → labels are the scores that reach their label's
threshold. (What a score and a threshold mean: :mod:`newsclf.classifiers.head`.)

``tfidf``, ``embeddings`` and ``hybrid`` are registered configurations of it: each names
its parameters flat (``--param ngram_max=2``) and builds its blocks from them.
``LinearClassifier(blocks=[...])`` takes any blocks, a plugin's own among them.
Fitting uses scikit-learn; a fitted classifier predicts without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..estimator import EstimatorMixin
from ..outlets import group_of
from ..types import Document, Evidence, Label
from .blocks import Block, Rules, Static, Words
from .head import LinearHead, labels_matrix

__all__ = ["EmbeddingClassifier", "HybridClassifier", "LinearClassifier", "TfidfClassifier"]


class LinearClassifier(EstimatorMixin):
    """Feature ``blocks`` under one linear head with calibrated scores and per-label
    thresholds.

    Head parameters: ``model`` (``svm`` or ``logistic``), ``C``, ``class_weight``,
    ``folds`` (CV folds for calibration and thresholds), ``min_positives`` (fewer
    positives: no tuned threshold), ``threshold`` (one fixed threshold for every label
    instead of tuned ones), ``min_labels`` (give at least this many labels, the best
    ones), ``facet``, ``random_state``, ``repeats`` (fold assignments the calibration
    and thresholds are averaged over), ``group_by`` (a record field, or ``outlet``:
    calibration folds never split a value of it, so thresholds are chosen for stories
    from outlets the fold did not train on), ``group_balance`` (0 to 1: how far the
    stories of a large group are weighed down so that groups count alike; 1: each group
    weighs the same in all), ``abstain`` (learn from the training stories that have no
    label when a story is off the taxonomy, and give it none: see :meth:`fit`).
    """

    name = "linear"
    facet = "topic"
    trainable = True
    # what a .skops file of it may hold beyond plain data: the scikit-learn vectorizers
    # of character n-grams (word-level ones are saved as plain data)
    trusted_types = ("sklearn.feature_extraction.text.", "sklearn.pipeline.FeatureUnion",
                     "re.Pattern", "functools.partial", "scipy.sparse.")

    def __init__(self, *, blocks: Sequence[Block] = (), model: str = "svm", C: float = 0.5,
                 class_weight: str | None = "balanced", folds: int = 5,
                 min_positives: int = 5, threshold: float | None = None,
                 min_labels: int = 0, facet: str = "topic", random_state: int = 0,
                 repeats: int = 1, group_by: str | None = None,
                 group_balance: float = 0.0, abstain: bool = True) -> None:
        self.blocks = blocks
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.folds = folds
        self.min_positives = min_positives
        self.threshold = threshold
        self.min_labels = min_labels
        self.facet = facet
        self.random_state = random_state
        self.repeats = repeats
        self.group_by = group_by
        self.group_balance = group_balance
        self.abstain = abstain

    def _groups(self, docs: Sequence[Document]) -> list[str] | None:
        """Each story's group by ``group_by`` (None: calibration folds are random)."""
        return None if self.group_by is None else [group_of(d, self.group_by) for d in docs]

    def _weights(self, groups: list[str] | None) -> np.ndarray | None:
        """Sample weights that make each group weigh (size ** (1 - group_balance)),
        mean 1; None without groups or balance."""
        if groups is None or not self.group_balance:
            return None
        _, inverse, sizes = np.unique(groups, return_inverse=True, return_counts=True)
        w = sizes[inverse].astype(np.float64) ** -float(self.group_balance)
        return np.asarray(w * len(w) / w.sum())

    def make_blocks(self) -> list[Block]:
        """Fresh, unfitted blocks of this configuration."""
        return [type(b)(**b.get_params()) for b in self.blocks]  # type: ignore[attr-defined]

    # -- fitting ----------------------------------------------------------------------
    def fit(self, documents: Sequence[Document],
            labels: Sequence[Sequence[str]]) -> LinearClassifier:
        """Learn the blocks' features, then the head's weights, calibration and
        thresholds; returns ``self``.

        With ``abstain`` and at least ``min_positives`` training stories that have no
        label (sport, culture: stories off the taxonomy), a gate is learned as one more
        linear model over the same features: is this story off the taxonomy? It is
        calibrated and its threshold tuned by the same folds as the labels', and a story
        it rejects scores 0 on every label, as a story with no known feature does."""
        docs, gold = self._validate_fit(documents, labels)
        classes = sorted({name for names in gold for name in names})
        blocks = self.make_blocks()
        X = _side_by_side([b.fit_transform(docs) for b in blocks])
        head = self._new_head(self.threshold)
        groups = self._groups(docs)
        weights = self._weights(groups)
        self.head_ = head.fit(X, labels_matrix(gold, classes), groups, weights)
        self.gate_ = self._fit_gate(X, gold, groups, weights)
        self.blocks_ = blocks
        self.labels_ = classes
        self.label_counts_ = _counts(gold, classes)
        return self

    def _new_head(self, threshold: float | None) -> LinearHead:
        return LinearHead(model=self.model, C=self.C, class_weight=self.class_weight,
                          folds=self.folds, min_positives=self.min_positives,
                          threshold=threshold, random_state=self.random_state,
                          repeats=self.repeats)

    def _fit_gate(self, X: Any, gold: Sequence[Sequence[str]], groups: list[str] | None,
                  weights: np.ndarray | None) -> LinearHead | None:
        """The off-taxonomy gate (a one-column head: story has no label), or None when
        ``abstain`` is off, too few stories have no label, or the gate ranks no better
        than chance out of fold."""
        off = np.array([[not names] for names in gold], dtype=np.int8)
        if not self.abstain or not self.min_positives <= int(off.sum()) < len(off):
            return None
        gate = self._new_head(None).fit(X, off, groups, weights)
        return gate if gate.tuned_[0] else None

    def update(self, documents: Sequence[Document],
               labels: Sequence[Sequence[str]]) -> dict[str, list[str]]:
        """Fit a fitted classifier to a grown training set (the old stories and the new
        ones, or a new label) without refitting what did not change: the features stay
        as they are (vocabulary, embeddings, rules), a new label trains only its own
        column, and a label is fitted again only if its number of examples changed.
        Returns the labels ``refit`` (new ones included), ``new`` and ``kept``. Words
        the first fit never saw stay unknown: fit anew to learn them."""
        self._check_fitted()
        docs, gold = self._validate_fit(documents, labels)
        new = sorted({name for names in gold for name in names} - set(self.labels_))
        classes = [*self.labels_, *new]
        counts = _counts(gold, classes)
        before = getattr(self, "label_counts_", {})
        refit = [j for j, name in enumerate(classes) if counts[name] != before.get(name)]
        if refit:
            X = _side_by_side([b.transform(docs) for b in self.blocks_])
            groups = self._groups(docs)
            weights = self._weights(groups)
            self.head_.refit(X, labels_matrix(gold, classes), refit, groups, weights)
            self.gate_ = self._fit_gate(X, gold, groups, weights)
        self.labels_, self.label_counts_ = classes, counts
        refit_names = [classes[j] for j in refit]
        return {"refit": refit_names, "new": new,
                "kept": [name for name in classes if name not in refit_names]}

    # -- predicting -------------------------------------------------------------------
    def predict_scores(self, documents: Sequence[Document]) -> np.ndarray:
        """Calibrated scores (n × labels, in the order of ``labels_``); 0 for a document
        with no feature in any block (no known word, no known token, no rule match) and
        for one the off-taxonomy gate rejects."""
        self._check_fitted()
        head: LinearHead = self.head_
        gate: LinearHead | None = getattr(self, "gate_", None)
        W, intercept = head.W_, head.intercept_
        if gate is not None:  # the gate's column rides along: one pass over the features
            W, intercept = np.hstack([W, gate.W_]), np.r_[intercept, gate.intercept_]
        decision = np.tile(intercept, (len(documents), 1)).astype(np.float64)
        seen = np.zeros(len(documents), dtype=bool)
        offset = 0
        for block in self.blocks_:
            share, nonempty = block.decision(documents, W[offset:offset + block.width])
            decision += share
            seen |= nonempty
            offset += block.width
        n_labels = len(self.labels_)
        scores = head.calibrate(decision[:, :n_labels])
        if gate is not None:
            off = gate.calibrate(decision[:, n_labels:])[:, 0] >= gate.thresholds_[0]
            seen &= ~off
        scores[~seen] = 0.0
        return scores

    def _labels(self, row: np.ndarray,
                evidence: dict[int, tuple[Evidence, ...]] | None = None) -> list[Label]:
        """Labels whose score reaches their threshold (at least ``min_labels``, best
        first), with the evidence given per label index."""
        thresholds = self.head_.thresholds_
        chosen = [j for j in np.argsort(-row) if row[j] >= thresholds[j]]
        if len(chosen) < self.min_labels:
            chosen = list(np.argsort(-row)[: self.min_labels])
        return [Label(self.labels_[j], self.facet, float(row[j]), self.name,
                      (evidence or {}).get(int(j), ())) for j in chosen]

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]:
        """The labels of each document: those whose score reaches their threshold."""
        return [self._labels(row) for row in self.predict_scores(documents)]

    def explain(self, document: Document) -> list[Label]:
        """The labels of one document, each with the evidence of every block (sentences,
        then rule matches, then terms, for the built-in blocks)."""
        row = self.predict_scores([document])[0]
        labels = self._labels(row)
        offsets = np.cumsum([0, *(b.width for b in self.blocks_)])
        order = sorted(range(len(self.blocks_)), key=lambda k: self.blocks_[k].evidence_rank)
        evidence = {}
        for label in labels:
            j = self.labels_.index(label.name)
            slope = float(self.head_.a_[j])
            found: tuple[Evidence, ...] = ()
            for k in order:
                weights = self.head_.W_[offsets[k]:offsets[k + 1], j]
                found += self.blocks_[k].evidence(document, weights, label.name, slope)
            evidence[j] = found
        return self._labels(row, evidence)

    # -- what a model file stores -----------------------------------------------------
    def fitted_state(self) -> dict[str, Any]:
        self._check_fitted()
        gate: LinearHead | None = getattr(self, "gate_", None)
        return {"labels_": list(self.labels_), "head_": self.head_.to_state(),
                "blocks_": [b.fitted_state() for b in self.blocks_],
                "label_counts_": dict(getattr(self, "label_counts_", {})),
                "gate_": None if gate is None else gate.to_state()}

    def load_fitted_state(self, state: dict[str, Any]) -> None:
        blocks = self.make_blocks()
        for block, block_state in zip(blocks, state["blocks_"], strict=True):
            block.load_fitted_state(block_state)
        self.blocks_, self.labels_ = blocks, list(state["labels_"])
        self.head_ = LinearHead.from_state(state["head_"])
        self.label_counts_ = dict(state.get("label_counts_", {}))
        gate = state.get("gate_")  # model files from before the gate have none
        self.gate_ = None if gate is None else LinearHead.from_state(gate)


def _counts(gold: Sequence[Sequence[str]], classes: Sequence[str]) -> dict[str, int]:
    counts = dict.fromkeys(classes, 0)
    for names in gold:
        for name in names:
            counts[name] += 1
    return counts


def _side_by_side(blocks: list[Any]) -> Any:
    """One training matrix from the blocks' (dense stays dense when it is alone)."""
    if len(blocks) == 1:
        return blocks[0]
    from scipy import sparse

    return sparse.hstack([sparse.csr_matrix(b) for b in blocks], format="csr")


class TfidfClassifier(LinearClassifier):
    """``tfidf``: one :class:`~newsclf.classifiers.blocks.Words` block (word n-grams
    1..``ngram_max``, optionally ``char_ngrams``; ``min_df``, ``max_df``,
    ``max_features``, ``title_weight``: times the title is repeated) under the head (see
    :class:`LinearClassifier` for its parameters; ``clean``: read the text without the
    outlet's boilerplate). Defaults chosen by cross-validation on
    Reuters-21578's training split and the default taxonomy's training data."""

    name = "tfidf"

    def __init__(self, *, ngram_max: int = 1, char_ngrams: bool = False, min_df: int = 2,
                 max_df: float = 0.9, max_features: int | None = 200_000,
                 title_weight: int = 2, model: str = "svm", C: float = 0.5,
                 class_weight: str | None = "balanced", folds: int = 3,
                 min_positives: int = 5, threshold: float | None = None, min_labels: int = 0,
                 facet: str = "topic", random_state: int = 0, repeats: int = 1,
                 group_by: str | None = None, group_balance: float = 0.0,
                 clean: bool = True, abstain: bool = True) -> None:
        super().__init__(model=model, C=C, class_weight=class_weight, folds=folds,
                         min_positives=min_positives, threshold=threshold,
                         min_labels=min_labels, facet=facet, random_state=random_state,
                         repeats=repeats, group_by=group_by,
                         group_balance=group_balance, abstain=abstain)
        del self.blocks
        self.clean = clean
        self.ngram_max = ngram_max
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.title_weight = title_weight

    def make_blocks(self) -> list[Block]:
        return [Words(ngram_max=self.ngram_max, char_ngrams=self.char_ngrams,
                      min_df=self.min_df, max_df=self.max_df,
                      max_features=self.max_features, title_weight=self.title_weight,
                      clean=self.clean)]


class EmbeddingClassifier(LinearClassifier):
    """``embeddings``: one :class:`~newsclf.classifiers.blocks.Static` block
    (``static_model``: a model2vec folder, default the shipped one; ``dims``: keep the
    first PCA dimensions) under the head (logistic, C 4 by default)."""

    name = "embeddings"

    def __init__(self, *, static_model: str | None = None, dims: int | None = None,
                 model: str = "logistic", C: float = 4.0, class_weight: str | None = "balanced",
                 folds: int = 5, min_positives: int = 5, threshold: float | None = None,
                 min_labels: int = 0, facet: str = "topic", random_state: int = 0,
                 repeats: int = 1, group_by: str | None = None, group_balance: float = 0.0,
                 clean: bool = True, abstain: bool = True) -> None:
        super().__init__(model=model, C=C, class_weight=class_weight, folds=folds,
                         min_positives=min_positives, threshold=threshold,
                         min_labels=min_labels, facet=facet, random_state=random_state,
                         repeats=repeats, group_by=group_by,
                         group_balance=group_balance, abstain=abstain)
        del self.blocks
        self.clean = clean
        self.static_model = static_model
        self.dims = dims

    def make_blocks(self) -> list[Block]:
        return [Static(static_model=self.static_model, dims=self.dims, clean=self.clean)]


class HybridClassifier(LinearClassifier):
    """``hybrid``: TF-IDF words, the static embedding × ``dense_weight`` and (with
    ``rules_weight`` above 0) the keyword rules' scores (``rules``: a rules file, default
    the default taxonomy's) × ``rules_weight`` and (with ``lead_weight`` above 0) the
    static embedding of the title and the first ``lead_chars`` characters × ``lead_weight``,
    under one head; the head learns how far to
    trust each rule. Takes the tfidf and embeddings parameters too. The defaults are the
    default model's, chosen by cross-validation (models/README.md)."""

    name = "hybrid"

    def __init__(self, *, static_model: str | None = None, dims: int | None = None,
                 dense_weight: float = 2.0, rules_weight: float = 1.0,
                 lead_weight: float = 0.0, lead_chars: int = 600,
                 rules: str | None = None, ngram_max: int = 1, min_df: int = 2,
                 max_df: float = 0.9, max_features: int | None = 200_000,
                 title_weight: int = 1, model: str = "svm", C: float = 0.5,
                 class_weight: str | None = "balanced", folds: int = 5,
                 min_positives: int = 5, threshold: float | None = None, min_labels: int = 0,
                 facet: str = "topic", random_state: int = 0, repeats: int = 1,
                 group_by: str | None = None, group_balance: float = 0.0,
                 clean: bool = True, abstain: bool = True) -> None:
        super().__init__(model=model, C=C, class_weight=class_weight, folds=folds,
                         min_positives=min_positives, threshold=threshold,
                         min_labels=min_labels, facet=facet, random_state=random_state,
                         repeats=repeats, group_by=group_by,
                         group_balance=group_balance, abstain=abstain)
        del self.blocks
        self.clean = clean
        self.static_model = static_model
        self.dims = dims
        self.dense_weight = dense_weight
        self.rules_weight = rules_weight
        self.lead_weight = lead_weight
        self.lead_chars = lead_chars
        self.rules = rules
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.title_weight = title_weight

    def make_blocks(self) -> list[Block]:
        blocks: list[Block] = [
            Words(ngram_max=self.ngram_max, min_df=self.min_df, max_df=self.max_df,
                  max_features=self.max_features, title_weight=self.title_weight,
                  clean=self.clean),
            Static(static_model=self.static_model, dims=self.dims, weight=self.dense_weight,
                   clean=self.clean)]
        if self.lead_weight > 0:
            blocks.append(Static(static_model=self.static_model, dims=self.dims,
                                 weight=self.lead_weight, clean=self.clean,
                                 lead=self.lead_chars))
        if self.rules_weight > 0:
            blocks.append(Rules(rules=self.rules, weight=self.rules_weight))
        return blocks
