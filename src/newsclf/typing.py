"""The types a plugin author or a caller writes against: the classifier protocol and the
shapes of factories, readers and the hooks' ``register`` callbacks.

Type against these, do not inherit from them (structlog's ``typing`` module does the
same): a third-party classifier only needs the shape of :class:`Classifier`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .types import Document, Label

__all__ = ["Classifier", "ClassifierFactory", "Reader", "RegisterClassifier",
           "RegisterReader"]


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
    - optional ``explain(document)``: the labels of one document, each with the evidence
      that weighed most.

    Follow scikit-learn's conventions (:class:`newsclf.estimator.EstimatorMixin` does it
    for you): ``__init__`` only stores keyword arguments, learned state goes in attributes
    ending in ``_``, ``get_params``/``set_params`` make ``clone`` work.
    """

    name: str
    facet: str
    trainable: bool

    def fit(self, documents: Sequence[Document], labels: Sequence[Sequence[str]]) -> Any: ...

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]: ...


ClassifierFactory = Callable[..., Classifier]
"""Builds a classifier from keyword parameters: ``factory(**params)``."""

Reader = Callable[[Path], Iterable[Document]]
"""Reads one file into documents: ``reader(path)``."""

RegisterClassifier = Callable[[str, ClassifierFactory], None]
"""The ``register`` of ``newsclf_register_classifiers``: ``register(name, factory)``."""

RegisterReader = Callable[[str, Reader], None]
"""The ``register`` of ``newsclf_register_readers``: ``register(suffix, reader)``."""
