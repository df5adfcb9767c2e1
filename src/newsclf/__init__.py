"""newsclf: label news stories by topic and by the countries and regions they are about.

The public API. Heavy parts (scikit-learn, the gazetteer, the models) load on first use,
so ``import newsclf`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    ConfigError,
    InputError,
    ModelError,
    NewsclfError,
    NotFittedError,
    PluginError,
    TrainingError,
)
from .hookspecs import hookimpl
from .types import Document, Evidence, Label, Prediction
from .version import __version__

if TYPE_CHECKING:
    from .estimator import EstimatorMixin
    from .model import Model, load_default_model, load_model, save_model
    from .plugins import read_inputs
    from .training import train
    from .typing import Classifier

__all__ = [
    "Classifier",
    "ConfigError",
    "Document",
    "EstimatorMixin",
    "Evidence",
    "InputError",
    "Label",
    "Model",
    "ModelError",
    "NewsclfError",
    "NotFittedError",
    "PluginError",
    "Prediction",
    "TrainingError",
    "__version__",
    "hookimpl",
    "load_default_model",
    "load_model",
    "read_inputs",
    "save_model",
    "train",
]

_LAZY = {
    "Classifier": "typing",
    "EstimatorMixin": "estimator",
    "Model": "model",
    "load_default_model": "model",
    "load_model": "model",
    "save_model": "model",
    "read_inputs": "plugins",
    "train": "training",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsclf' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
