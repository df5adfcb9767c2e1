"""scikit-learn's estimator contract without importing scikit-learn: the mixin every
newsclf classifier uses, and that plugin authors can use too.

Classifiers are loaded and run without scikit-learn (importing it takes 1.6 s), so they
do not inherit ``sklearn.base.BaseEstimator``. :class:`EstimatorMixin` gives them what
scikit-learn asks of an estimator all the same:

- ``get_params`` / ``set_params`` read from ``__init__``'s keyword arguments (which
  ``__init__`` must store under the same names, and do nothing else), so
  ``sklearn.base.clone`` and ``GridSearchCV`` work;
- ``__sklearn_tags__`` (a multi-label classifier of raw documents, not of arrays) and
  ``__sklearn_is_fitted__``, so ``sklearn.utils.get_tags``, ``is_classifier`` and
  ``check_is_fitted`` work; scikit-learn is imported only when scikit-learn asks;
- :meth:`~EstimatorMixin._validate_fit`: the one check of ``fit``'s arguments, raising
  :class:`~newsclf.errors.TrainingError` (a ``ValueError``, as scikit-learn's checks do);
- :meth:`~EstimatorMixin._check_fitted`: :class:`~newsclf.errors.NotFittedError` (a
  ``ValueError`` and ``AttributeError``, the bases of scikit-learn's own) before ``fit``;
- :meth:`~EstimatorMixin.fitted_state` / :meth:`~EstimatorMixin.from_fitted_state`: what a
  model file stores of a fitted classifier, by registered name and state version rather
  than by module path (see :mod:`newsclf.model`).

Trailing underscore means "learned by ``fit``" and nothing else: caches go under private
names (:meth:`~EstimatorMixin._cached`), which pickling leaves out.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .errors import NotFittedError, TrainingError
from .types import Document

__all__ = ["EstimatorMixin"]

E = TypeVar("E", bound="EstimatorMixin")
T = TypeVar("T")


class EstimatorMixin:
    """scikit-learn's estimator conventions for a newsclf classifier (see the module doc).

    A subclass sets ``name``, ``facet``, ``trainable`` and, when the meaning of its fitted
    state changes, ``state_version``.
    """

    name: str = ""
    trainable: bool = True
    state_version: int = 1

    # -- parameters -------------------------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(p.name for p in signature.parameters.values()
                      if p.name != "self" and p.kind is not p.VAR_KEYWORD)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's parameters and their values."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self: E, **params: Any) -> E:
        """Set parameters by name; returns ``self``."""
        valid = set(self._param_names())
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__} "
                                 f"(valid: {', '.join(sorted(valid))})")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in
                    inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={v!r}" for k, v in self.get_params().items()
                   if defaults.get(k, inspect.Parameter.empty) is not v
                   and defaults.get(k) != v]
        return f"{type(self).__name__}({', '.join(changed)})"

    # -- scikit-learn's questions -----------------------------------------------------
    def __sklearn_tags__(self) -> Any:
        """A classifier of documents (one-dimensional input of objects, not arrays),
        multi-label; rule-based ones need no fit."""
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(estimator_type="classifier",
                    target_tags=TargetTags(required=self.trainable, multi_output=True,
                                           single_output=False),
                    classifier_tags=ClassifierTags(multi_label=True),
                    requires_fit=self.trainable,
                    input_tags=InputTags(one_d_array=True, two_d_array=False, string=True))

    def __sklearn_is_fitted__(self) -> bool:
        """Whether ``fit`` has run (rule-based classifiers are ready as built)."""
        return not self.trainable or any(
            k.endswith("_") and not k.startswith("_") for k in vars(self))

    def _check_fitted(self) -> None:
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(f"this {self.name or type(self).__name__} classifier is "
                                 "not fitted yet: train it first")

    def _validate_fit(self, documents: Sequence[Document],
                      labels: Sequence[Sequence[str]]) -> tuple[list[Document],
                                                                list[list[str]]]:
        """``fit``'s arguments as lists, checked: as many label lists as documents,
        documents that are :class:`Document`, label lists of strings, at least one
        label. Raises :class:`~newsclf.errors.TrainingError` (a ``ValueError``)."""
        docs, gold = list(documents), [list(names) for names in labels]
        if len(docs) != len(gold):
            raise TrainingError(f"{len(docs)} documents but {len(gold)} label lists")
        if not all(isinstance(d, Document) for d in docs):
            raise TrainingError("fit expects newsclf.Document objects")
        if any(isinstance(names, str) or not all(isinstance(n, str) for n in names)
               for names in labels):
            raise TrainingError("each document's labels must be a list of label names")
        if not docs or not any(gold):
            raise TrainingError("no labelled documents to train on")
        return docs, gold

    # -- caches -----------------------------------------------------------------------
    def _cached(self, key: str, make: Callable[[], T]) -> T:
        """What ``make()`` builds, built once per object and kept under ``_cache_<key>``:
        never a parameter, never learned state, never pickled."""
        name = f"_cache_{key}"
        found = self.__dict__.get(name)
        if found is None:
            found = self.__dict__[name] = make()
        return found

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_cache_")}

    # -- what a model file stores -----------------------------------------------------
    def fitted_state(self) -> dict[str, Any]:
        """What ``fit`` learned, as plain data (the attributes ending in ``_``)."""
        return {k: v for k, v in vars(self).items() if k.endswith("_") and not k.startswith("_")}

    def load_fitted_state(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`fitted_state` returned."""
        for key, value in state.items():
            setattr(self, key, value)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickle; a parameter added since the object was pickled takes its default."""
        defaults = {p.name: p.default for p in
                    inspect.signature(type(self).__init__).parameters.values()
                    if p.name != "self" and p.default is not p.empty}
        self.__dict__.update({**defaults, **state})
