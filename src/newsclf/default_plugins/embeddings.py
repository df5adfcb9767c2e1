"""Built-in plugin: the ``embeddings`` and ``hybrid`` classifiers (static dense vectors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..hookspecs import hookimpl


def embeddings(**params: Any) -> Any:
    """A linear head on static embeddings (see :mod:`newsclf.classifiers.embeddings`)."""
    from ..classifiers.embeddings import EmbeddingClassifier

    return EmbeddingClassifier(**params)


def hybrid(**params: Any) -> Any:
    """TF-IDF and dense features together (see :mod:`newsclf.classifiers.embeddings`)."""
    from ..classifiers.embeddings import HybridClassifier

    return HybridClassifier(**params)


def zeroshot(**params: Any) -> Any:
    """Labels from their descriptions, no training (see :mod:`newsclf.classifiers.embeddings`)."""
    from ..classifiers.embeddings import ZeroShotClassifier

    return ZeroShotClassifier(**params)


@hookimpl
def newsclf_register_classifiers(register: Callable[..., None]) -> None:
    register("embeddings", embeddings)
    register("hybrid", hybrid)
    register("zeroshot", zeroshot)
