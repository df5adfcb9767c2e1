"""The safe model format: skops instead of pickle, for models received from others.

A ``.joblib`` file is a pickle and runs code when loaded; a ``.skops`` file is loaded by
skops, which builds only the types it is told to trust. The trusted list is
:data:`TRUSTED_PREFIXES` below, in code, never read from the file: newsclf's own
classifiers and the scikit-learn, NumPy and SciPy types they hold.
"""

from __future__ import annotations

from typing import Any

from .errors import ModelError

__all__ = ["TRUSTED_PREFIXES", "dump_skops", "load_skops"]

TRUSTED_PREFIXES = (
    "newsclf.model.Model",
    "newsclf.classifiers.",
    "newsclf.gazetteer.Gazetteer",
    "newsclf.types.",
    "sklearn.feature_extraction.text.",
    "sklearn.pipeline.FeatureUnion",
    "numpy.",
    "scipy.sparse.",
    "builtins.",
    "collections.",
    "re.Pattern",
    "functools.partial",
)


def _trusted(name: str) -> bool:
    return name.startswith(TRUSTED_PREFIXES)


def _untrusted(types: list[str]) -> list[str]:
    return sorted(t for t in types if not _trusted(t))


def dump_skops(model: Any) -> bytes:
    """The model as skops bytes; refuses a model holding a type newsclf does not trust."""
    import skops.io as sio

    data: bytes = sio.dumps(model)
    bad = _untrusted(sio.get_untrusted_types(data=data))
    if bad:
        raise ModelError("cannot save in the safe format: the model holds types newsclf "
                         f"does not trust ({', '.join(bad)}); save as .joblib instead")
    return data


def load_skops(data: bytes) -> Any:
    """A model from skops bytes, building only trusted types."""
    import skops.io as sio

    found = sio.get_untrusted_types(data=data)
    bad = _untrusted(found)
    if bad:
        raise ModelError(f"refusing to load untrusted types: {', '.join(bad)}")
    return sio.loads(data, trusted=[t for t in found if _trusted(t)])
