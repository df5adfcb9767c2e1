"""The frozen TF-IDF vectorizer: the same rows as scikit-learn's, and plain-data state."""

from __future__ import annotations

import numpy as np
import pytest

from newsclf.classifiers.vectorizer import WordTfidf, fit_vectorizer
from newsclf.testing import toy_corpus


@pytest.mark.parametrize("ngram_max", [1, 2, 3])
def test_frozen_vectorizer_matches_sklearn(ngram_max: int) -> None:
    docs, _ = toy_corpus()
    texts = [d.text for d in docs] + ["Café déjà vu: the U.S. isn't Zürich's e-mail"]
    frozen, X = fit_vectorizer(texts, ngram_max=ngram_max, min_df=1)
    assert isinstance(frozen, WordTfidf)
    assert np.allclose(frozen.transform(texts).toarray(), X.toarray(), atol=1e-6)


def test_state_round_trip() -> None:
    docs, _ = toy_corpus()
    frozen, _ = fit_vectorizer([d.text for d in docs], ngram_max=2, min_df=1)
    again = WordTfidf.from_state(frozen.to_state())
    texts = ["The striker scored", "Bond yields rose"]
    assert np.array_equal(again.transform(texts).toarray(), frozen.transform(texts).toarray())
