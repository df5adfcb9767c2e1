"""scikit-learn's parameter conventions without importing scikit-learn.

Classifiers are loaded and run without scikit-learn (it takes seconds to import), so they
do not inherit ``sklearn.base.BaseEstimator``; this mixin gives them the same
``get_params`` / ``set_params`` (read from ``__init__``'s keyword arguments), which is all
``sklearn.base.clone`` and ``GridSearchCV`` need.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["Params"]


class Params:
    """``get_params`` / ``set_params`` / ``repr`` from the keyword arguments of
    ``__init__``, which must store each under the same name."""

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(p.name for p in signature.parameters.values()
                      if p.name != "self" and p.kind is not p.VAR_KEYWORD)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's parameters and their values."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Any:
        """Set parameters by name; returns ``self``."""
        valid = set(self._param_names())
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__} "
                                 f"(valid: {', '.join(sorted(valid))})")
            setattr(self, name, value)
        return self

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickle; a parameter added since the file was saved takes its default."""
        defaults = {p.name: p.default for p in
                    inspect.signature(type(self).__init__).parameters.values()
                    if p.name != "self" and p.default is not p.empty}
        self.__dict__.update({**defaults, **state})

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in
                    inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={v!r}" for k, v in self.get_params().items()
                   if defaults.get(k, inspect.Parameter.empty) is not v
                   and defaults.get(k) != v]
        return f"{type(self).__name__}({', '.join(changed)})"
