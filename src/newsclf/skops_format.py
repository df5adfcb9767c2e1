"""The safe model format: skops instead of pickle, for models received from others.

A ``.joblib`` file is a pickle and runs code when loaded; a ``.skops`` file is loaded by
skops, which builds only the types it is told to trust. A newsclf model file holds plain
data (each classifier's registered name, parameters and fitted state: dicts, lists,
strings, numbers and NumPy arrays), so the trusted types are :data:`BASE_TRUSTED` plus
what the model's classifiers declare in a ``trusted_types`` attribute, found through the
plugin registry by the names in the manifest — never read from the file itself. A
plugin's classifier is trusted exactly like a built-in one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import ModelError

__all__ = ["BASE_TRUSTED", "dump_skops", "load_skops", "trusted_types"]

BASE_TRUSTED: tuple[str, ...] = ("builtins.", "numpy.", "collections.OrderedDict")


def trusted_types(classifiers: Iterable[object]) -> tuple[str, ...]:
    """The type prefixes to trust for a model of these classifiers."""
    extra = {t for clf in classifiers for t in getattr(clf, "trusted_types", ())}
    return BASE_TRUSTED + tuple(sorted(extra))


def _untrusted(types: list[str], trusted: tuple[str, ...]) -> list[str]:
    return sorted(t for t in types if not t.startswith(trusted))


def dump_skops(data: Any, trusted: tuple[str, ...]) -> bytes:
    """``data`` as skops bytes; refuses data holding a type outside ``trusted``."""
    import skops.io as sio

    dumped: bytes = sio.dumps(data)
    bad = _untrusted(sio.get_untrusted_types(data=dumped), trusted)
    if bad:
        raise ModelError("cannot save in the safe format: the model holds types its "
                         f"classifiers do not declare trusted ({', '.join(bad)}); save as "
                         ".joblib instead")
    return dumped


def load_skops(data: bytes, trusted: tuple[str, ...]) -> Any:
    """The data of skops bytes, building only ``trusted`` types."""
    import skops.io as sio

    found = sio.get_untrusted_types(data=data)
    bad = _untrusted(found, trusted)
    if bad:
        raise ModelError(f"refusing to load untrusted types: {', '.join(bad)}")
    return sio.loads(data, trusted=[t for t in found if t.startswith(trusted)])
