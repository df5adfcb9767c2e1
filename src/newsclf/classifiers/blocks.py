"""Feature blocks: the parts a :class:`~newsclf.classifiers.linear.LinearClassifier` puts
side by side under one linear head (as a scikit-learn ``FeatureUnion`` or spaCy's
``TextCatEnsemble`` does).

A block learns its features in ``fit_transform`` (the training matrix), then at predict
time gives its share of the head's decision from its slice of the weights, with NumPy
alone, and the evidence for a label. Built in: :class:`Words` (TF-IDF), :class:`Static`
(static sentence embeddings) and :class:`Rules` (keyword-rule scores). A plugin adds a
block by writing a class of the :class:`Block` shape and passing it to
``LinearClassifier(blocks=[...])``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..estimator import EstimatorMixin
from ..types import Document, Evidence
from .keywords import KeywordClassifier, RuleSet
from .static import StaticEmbedder
from .text import bag_of_words_text, sentences
from .vectorizer import Row, WordTfidf, fit_vectorizer, vectorizer_rows

__all__ = ["Block", "Rules", "Static", "Words"]


@runtime_checkable
class Block(Protocol):
    """A named block of features under a linear head.

    ``evidence_rank`` orders the blocks' evidence in an explanation (lower first).
    """

    name: str
    evidence_rank: int

    def fit_transform(self, documents: Sequence[Document]) -> Any:
        """Learn the block's features; the training matrix (n × width, sparse or dense)."""

    def transform(self, documents: Sequence[Document]) -> Any:
        """The features of documents (after fitting), as a training matrix."""

    @property
    def width(self) -> int:
        """Number of features (after fitting)."""

    def decision(self, documents: Sequence[Document],
                 weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The block's share of the decision (n × labels) given its rows of the head's
        weights, and which documents have any feature here (n booleans)."""

    def evidence(self, document: Document, weights: np.ndarray, label: str,
                 slope: float) -> tuple[Evidence, ...]:
        """Why ``label`` (``weights``: its column of the block's weights; ``slope``: its
        calibration slope)."""

    def fitted_state(self) -> dict[str, Any]: ...

    def load_fitted_state(self, state: dict[str, Any]) -> None: ...


def _place_words() -> Callable[[str], bool]:
    """Whether a term names a place (a country, its people, a state, a capital): not
    shown as a topic's evidence, since it says where a story is, not what it is about
    (the model may still weigh it)."""
    from ..gazetteer import load_gazetteer

    words = load_gazetteer().is_place_word
    return lambda term: all(words(w) for w in term.split())


class Words(EstimatorMixin):
    """TF-IDF of word n-grams (sublinear tf, accents stripped; optionally character
    2–5-grams too) of the title ``title_weight`` times and the body, without the
    outlet's boilerplate when ``clean`` (:func:`~newsclf.classifiers.text.strip_boilerplate`);
    evidence: the ``top`` terms that weighed most."""

    name = "words"
    evidence_rank = 2

    def __init__(self, *, ngram_max: int = 1, char_ngrams: bool = False, min_df: int = 2,
                 max_df: float = 0.9, max_features: int | None = 200_000,
                 title_weight: int = 2, top: int = 8, clean: bool = True) -> None:
        self.ngram_max = ngram_max
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.title_weight = title_weight
        self.top = top
        self.clean = clean

    def _texts(self, documents: Sequence[Document]) -> list[str]:
        return [bag_of_words_text(d, self.title_weight, self.clean) for d in documents]

    def fit_transform(self, documents: Sequence[Document]) -> Any:
        self.vectorizer_, X = fit_vectorizer(
            self._texts(documents), ngram_max=self.ngram_max, char_ngrams=self.char_ngrams,
            min_df=self.min_df, max_df=self.max_df, max_features=self.max_features)
        self.width_ = int(X.shape[1])
        return X

    @property
    def width(self) -> int:
        return self.width_

    def transform(self, documents: Sequence[Document]) -> Any:
        return self.vectorizer_.transform(self._texts(documents))

    def rows(self, documents: Sequence[Document]) -> list[Row]:
        """Each document's TF-IDF row as (columns, values)."""
        return vectorizer_rows(self.vectorizer_, self._texts(documents))

    def decision(self, documents: Sequence[Document],
                 weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = self.rows(documents)
        out = np.zeros((len(rows), weights.shape[1]), dtype=np.float64)
        for i, (cols, vals) in enumerate(rows):
            if len(cols):
                out[i] = vals.astype(np.float64) @ weights[cols]
        return out, np.array([len(cols) > 0 for cols, _ in rows], dtype=bool)

    def evidence(self, document: Document, weights: np.ndarray, label: str,
                 slope: float) -> tuple[Evidence, ...]:
        (row,) = self.rows([document])
        cols, vals = row
        contributions = np.asarray(vals * weights[cols] * slope)
        names = self._names()
        place = _place_words()
        best = [int(i) for i in np.argsort(-contributions) if contributions[i] > 0
                and not place(str(names[cols[i]]).split("__", 1)[-1])][: self.top]
        return tuple(Evidence(str(names[cols[i]]).split("__", 1)[-1],
                              weight=float(contributions[i])) for i in best)

    def _names(self) -> np.ndarray:
        names: np.ndarray = self._cached("names", self.vectorizer_.get_feature_names_out)
        return names

    def fitted_state(self) -> dict[str, Any]:
        vectorizer = self.vectorizer_
        if isinstance(vectorizer, WordTfidf):  # plain data; a character union stays as is
            vectorizer = {"word_tfidf": vectorizer.to_state()}
        return {"vectorizer_": vectorizer, "width_": self.width_, "clean": self.clean}

    def load_fitted_state(self, state: dict[str, Any]) -> None:
        vectorizer = state["vectorizer_"]
        if isinstance(vectorizer, dict):
            vectorizer = WordTfidf.from_state(vectorizer["word_tfidf"])
        self.vectorizer_, self.width_ = vectorizer, int(state["width_"])
        self.clean = bool(state.get("clean", False))  # models saved before it: raw text


class _DenseBlock(EstimatorMixin):
    """A block whose features are a dense matrix computed from the documents alone
    (``transform``): its decision is one matrix product."""

    def transform(self, documents: Sequence[Document]) -> np.ndarray:
        raise NotImplementedError

    def _learn(self, documents: Sequence[Document]) -> None:
        """What the block learns before its features (nothing by default)."""

    def fit_transform(self, documents: Sequence[Document]) -> Any:
        self._learn(documents)
        X = self.transform(documents)
        self.width_ = int(X.shape[1])
        return X

    @property
    def width(self) -> int:
        return self.width_

    def decision(self, documents: Sequence[Document],
                 weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X = np.asarray(self.transform(documents), dtype=np.float64)
        return X @ weights.astype(np.float64), np.abs(X).sum(axis=1) > 0


class Static(_DenseBlock):
    """A static sentence embedding of title and body (``static_model``: a model2vec
    folder, default the shipped one; ``dims``: keep the first PCA dimensions; ``clean``:
    without the outlet's boilerplate; ``lead``: the title and the body's first this many
    characters only, the lead of the story), times ``weight``; evidence: the ``top``
    sentences whose embeddings weighed most."""

    name = "static"
    evidence_rank = 0

    def __init__(self, *, static_model: str | None = None, dims: int | None = None,
                 weight: float = 1.0, top: int = 3, clean: bool = True,
                 lead: int | None = None) -> None:
        self.static_model = static_model
        self.dims = dims
        self.weight = weight
        self.top = top
        self.clean = clean
        self.lead = lead

    def _embedder(self) -> StaticEmbedder:
        return self._cached("embedder", lambda: StaticEmbedder(self.static_model, self.dims))

    def transform(self, documents: Sequence[Document]) -> np.ndarray:
        """The weighted embedding of each document."""
        out: np.ndarray = self._embedder().documents(documents, self.clean,
                                                     self.lead) * self.weight
        return out

    def evidence(self, document: Document, weights: np.ndarray, label: str,
                 slope: float) -> tuple[Evidence, ...]:
        found = sentences(document)
        if not found:
            return ()
        emb = self._embedder().encode([s for s, _, _ in found])
        contrib = emb @ weights * self.weight
        best = [int(i) for i in np.argsort(-contrib)[: self.top] if contrib[i] > 0]
        return tuple(Evidence(found[i][0][:200], found[i][1], found[i][2], float(contrib[i]),
                              "sentence") for i in best)

    def fitted_state(self) -> dict[str, Any]:
        return {"width_": self.width_, "clean": self.clean}

    def load_fitted_state(self, state: dict[str, Any]) -> None:
        self.width_ = int(state["width_"])
        self.clean = bool(state.get("clean", False))  # models saved before it: raw text


class Rules(_DenseBlock):
    """The scores of keyword rules (``rules``: a rules file, default the default
    taxonomy's), log-scaled, times ``weight``: the head learns per label how far to
    trust each rule. Evidence: the ``top`` rule matches of the label."""

    name = "rules"
    evidence_rank = 1

    def __init__(self, *, rules: str | None = None, weight: float = 1.0, top: int = 5) -> None:
        self.rules = rules
        self.weight = weight
        self.top = top

    def _keywords(self) -> KeywordClassifier:
        def make() -> KeywordClassifier:
            found = KeywordClassifier(rules=self.rules)
            if "ruleset_" in self.__dict__:
                found.load_fitted_state({"ruleset_": self.ruleset_})
                return found
            return found.fit()

        return self._cached("keywords", make)

    def transform(self, documents: Sequence[Document]) -> np.ndarray:
        """The weighted, log-scaled rule scores of each document."""
        out: np.ndarray = np.log1p(self._keywords().scores(documents)) * self.weight
        return out

    def _learn(self, documents: Sequence[Document]) -> None:
        """Read the rules file: the model keeps the rules, not the file's path."""
        self.__dict__.pop("_cache_keywords", None)
        self.ruleset_: dict[str, Any] = self._keywords().fitted_state()["ruleset_"]

    def evidence(self, document: Document, weights: np.ndarray, label: str,
                 slope: float) -> tuple[Evidence, ...]:
        hits = self._keywords().raw_scores(document)[1].get(label, [])
        return tuple(sorted(hits, key=lambda e: -(e.weight or 0))[: self.top])

    def fitted_state(self) -> dict[str, Any]:
        return {"ruleset_": self.ruleset_, "width_": self.width_}

    def load_fitted_state(self, state: dict[str, Any]) -> None:
        RuleSet.from_state(state["ruleset_"])  # checks it
        self.ruleset_, self.width_ = state["ruleset_"], int(state["width_"])
        self.__dict__.pop("_cache_keywords", None)
