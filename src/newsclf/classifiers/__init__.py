"""The classifier protocol. Built-in classifiers live in the modules of this package;
third-party ones only need to have the same shape (no base class to inherit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from ..types import Document, Label

__all__ = ["Classifier", "ExplainingClassifier"]


@runtime_checkable
class Classifier(Protocol):
    """What newsclf asks of a classifier.

    - ``name``: the name it is registered under; ``facet``: the facet of its labels (a
      classifier giving several facets, like ``regions``, names its main one and may
      list them all in an optional ``facets`` tuple).
    - ``trainable``: ``True`` when ``predict`` needs ``fit`` first (it then raises
      :class:`~newsclf.errors.NotFittedError` before fitting); rule-based ones are ready
      as built.
    - ``fit(documents, labels)``: ``labels[i]`` are the gold label names of
      ``documents[i]``; returns ``self``.
    - ``predict(documents)``: a list of labels for each document.

    Follow scikit-learn's conventions: ``__init__`` only stores keyword arguments, learned
    state goes in attributes ending in ``_``.
    """

    name: str
    facet: str
    trainable: bool

    def fit(self, documents: Sequence[Document], labels: Sequence[Sequence[str]]) -> Any: ...

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]: ...


@runtime_checkable
class ExplainingClassifier(Classifier, Protocol):
    """A classifier that can say why: ``explain(document)`` gives its labels for one
    document, each with the evidence that weighed most."""

    def explain(self, document: Document) -> list[Label]: ...
