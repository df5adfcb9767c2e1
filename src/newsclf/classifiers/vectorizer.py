"""TF-IDF vectorizers: fitting one with scikit-learn, and a fitted word-level one frozen
into plain data.

scikit-learn's ``TfidfVectorizer`` learns the vocabulary and idf at training time; after
that, turning a story into its TF-IDF row needs only the analyzer (lower case, accents
stripped, the token pattern, word n-grams), the vocabulary and the idf. ``WordTfidf``
holds exactly that, computes the same rows as scikit-learn (tested), and needs only
NumPy to load and run, so a saved model predicts without importing scikit-learn.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["TOKEN_PATTERN", "Row", "WordTfidf", "fit_vectorizer", "vectorizer_rows"]

Row = tuple[np.ndarray, np.ndarray]  # column indices (sorted), values
TOKEN_PATTERN = r"(?u)\b\w[\w'’.-]*\w\b|\b\w\b"


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    normalized = unicodedata.normalize("NFKD", text)
    return "".join(c for c in normalized if not unicodedata.combining(c))


class WordTfidf:
    """The data of a fitted word-level ``TfidfVectorizer`` (sublinear tf, l2 norm)."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, token_pattern: str,
                 ngram_range: tuple[int, int], lowercase: bool, strip_accents: str | None,
                 dtype: Any = np.float32) -> None:
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self.token_pattern = token_pattern
        self.ngram_range = tuple(ngram_range)
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.dtype = np.dtype(dtype)

    def to_state(self) -> dict[str, Any]:
        """Plain data: vocabulary, idf and the analyzer's settings."""
        return {"vocabulary": self.vocabulary, "idf": self.idf,
                "token_pattern": self.token_pattern, "ngram_range": list(self.ngram_range),
                "lowercase": self.lowercase, "strip_accents": self.strip_accents,
                "dtype": self.dtype.name}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> WordTfidf:
        return cls(state["vocabulary"], state["idf"], state["token_pattern"],
                   tuple(state["ngram_range"]), state["lowercase"], state["strip_accents"],
                   np.dtype(state["dtype"]))

    @classmethod
    def from_sklearn(cls, vectorizer: Any) -> WordTfidf:
        """Freeze a fitted word-level ``TfidfVectorizer`` (sublinear tf, l2 norm, no stop
        words, tokenizer or preprocessor of its own), as :func:`fit_vectorizer` makes."""
        return cls(dict(vectorizer.vocabulary_), vectorizer.idf_, vectorizer.token_pattern,
                   vectorizer.ngram_range, vectorizer.lowercase, vectorizer.strip_accents,
                   vectorizer.dtype)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_pattern", None)
        return state

    def _tokens(self, text: str) -> list[str]:
        pattern = self.__dict__.get("_pattern")
        if pattern is None:
            pattern = self.__dict__["_pattern"] = re.compile(self.token_pattern)
        if self.lowercase:
            text = text.lower()
        if self.strip_accents == "unicode":
            text = _strip_accents(text)
        tokens: list[str] = pattern.findall(text)
        low, high = self.ngram_range
        if high == 1:
            return tokens
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high + 1, len(tokens) + 1)):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def rows(self, texts: Sequence[str]) -> list[Row]:
        """Each text's TF-IDF row as (sorted column indices, values)."""
        vocab = self.vocabulary
        out: list[Row] = []
        for text in texts:
            counts = Counter(j for j in map(vocab.get, self._tokens(text)) if j is not None)
            cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64,
                                             count=len(counts)))) * self.idf[cols]
            norm = float(np.sqrt(vals @ vals))
            if norm > 0:
                vals /= norm
            order = np.argsort(cols)
            out.append((cols[order], vals[order].astype(self.dtype)))
        return out

    def transform(self, texts: Sequence[str]) -> Any:
        """The TF-IDF matrix (SciPy CSR) of texts."""
        from scipy import sparse

        rows = self.rows(texts)
        indptr = np.concatenate([[0], np.cumsum([len(c) for c, _ in rows])])
        indices = np.concatenate([c for c, _ in rows]) if rows else np.zeros(0, np.int64)
        data = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, self.dtype)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(texts), len(self.idf)))

    def get_feature_names_out(self) -> np.ndarray:
        """The term of each column."""
        names = np.empty(len(self.vocabulary), dtype=object)
        for term, j in self.vocabulary.items():
            names[j] = term
        return names


def fit_vectorizer(texts: Sequence[str], *, ngram_max: int = 1, char_ngrams: bool = False,
                   min_df: int = 2, max_df: float = 0.9, max_features: int | None = 200_000
                   ) -> tuple[Any, Any]:
    """Fit a TF-IDF vectorizer on texts (scikit-learn): returns (vectorizer, training
    matrix). A word-level one is frozen into a :class:`WordTfidf`."""
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
