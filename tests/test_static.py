"""Static embeddings: the shipped model loads offline and gives meaningful vectors."""

from __future__ import annotations

import numpy as np

from newsclf.classifiers.static import StaticEmbedder


def test_static_model_gives_meaningful_vectors() -> None:
    vecs = StaticEmbedder().encode(["The central bank raised interest rates",
                                    "Bond yields climbed as rates went up",
                                    "The striker scored a goal in the final"])
    assert vecs.shape[0] == 3
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]


def test_batches_and_single_texts_agree() -> None:
    texts = [f"Story {i}: the central bank raised rates again" for i in range(70)]
    batch = StaticEmbedder().encode(texts)  # the sparse path (64 texts or more)
    one = StaticEmbedder().encode(texts[:1])
    assert np.allclose(batch[0], one[0], atol=1e-5)
