"""Built-in plugin: the ``tfidf`` classifier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..hookspecs import hookimpl


def tfidf(**params: Any) -> Any:
    """TF-IDF features and a linear model per label (see :mod:`newsclf.classifiers.tfidf`)."""
    from ..classifiers.tfidf import TfidfClassifier

    return TfidfClassifier(**params)


@hookimpl
def newsclf_register_classifiers(register: Callable[..., None]) -> None:
    register("tfidf", tfidf)
