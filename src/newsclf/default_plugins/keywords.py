"""Built-in plugin: the ``keywords`` classifier (topic rules from a TOML file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..hookspecs import hookimpl


def keywords(**params: Any) -> Any:
    """Keyword rules (see :mod:`newsclf.classifiers.keywords`)."""
    from ..classifiers.keywords import KeywordClassifier

    return KeywordClassifier(**params)


@hookimpl
def newsclf_register_classifiers(register: Callable[..., None]) -> None:
    register("keywords", keywords)
