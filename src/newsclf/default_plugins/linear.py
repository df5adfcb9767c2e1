"""Built-in plugin: the learned classifiers, configurations of one linear head over
feature blocks (``tfidf``, ``embeddings``, ``hybrid``), and ``zeroshot``."""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl
from ..typing import Classifier, RegisterClassifier


def tfidf(**params: Any) -> Classifier:
    """TF-IDF words under a linear head (see :mod:`newsclf.classifiers.linear`)."""
    from ..classifiers.linear import TfidfClassifier

    return TfidfClassifier(**params)


def embeddings(**params: Any) -> Classifier:
    """Static embeddings under a linear head (see :mod:`newsclf.classifiers.linear`)."""
    from ..classifiers.linear import EmbeddingClassifier

    return EmbeddingClassifier(**params)


def hybrid(**params: Any) -> Classifier:
    """Words, embeddings and rule scores under one head (see
    :mod:`newsclf.classifiers.linear`)."""
    from ..classifiers.linear import HybridClassifier

    return HybridClassifier(**params)


def zeroshot(**params: Any) -> Classifier:
    """Labels from their descriptions, no training (see :mod:`newsclf.classifiers.zeroshot`)."""
    from ..classifiers.zeroshot import ZeroShotClassifier

    return ZeroShotClassifier(**params)


def hashing(**params: Any) -> Classifier:
    """Hashed words, SGD learned chunk by chunk: trains on more stories than fit in
    memory (see :mod:`newsclf.classifiers.hashing`)."""
    from ..classifiers.hashing import HashingClassifier

    return HashingClassifier(**params)


@hookimpl
def newsclf_register_classifiers(register: RegisterClassifier) -> None:
    register("tfidf", tfidf)
    register("embeddings", embeddings)
    register("hybrid", hybrid)
    register("zeroshot", zeroshot)
    register("hashing", hashing)
