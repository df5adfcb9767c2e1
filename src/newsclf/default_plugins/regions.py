"""Built-in plugin: the ``regions`` classifier (countries, regions and places from a
gazetteer)."""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl
from ..typing import Classifier, RegisterClassifier


def regions(**params: Any) -> Classifier:
    """The rule-based countries-and-places classifier (see
    :mod:`newsclf.classifiers.regions`)."""
    from ..classifiers.regions import RegionClassifier

    return RegionClassifier(**params)


@hookimpl
def newsclf_register_classifiers(register: RegisterClassifier) -> None:
    register("regions", regions)
