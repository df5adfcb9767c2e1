"""Built-in plugin: the ``keywords`` classifier (topic rules from a TOML file)."""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl
from ..typing import Classifier, RegisterClassifier


def keywords(**params: Any) -> Classifier:
    """Keyword rules (see :mod:`newsclf.classifiers.keywords`)."""
    from ..classifiers.keywords import KeywordClassifier

    return KeywordClassifier(**params)


@hookimpl
def newsclf_register_classifiers(register: RegisterClassifier) -> None:
    register("keywords", keywords)
