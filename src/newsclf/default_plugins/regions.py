"""Built-in plugin: the ``regions`` classifier (countries and regions from a gazetteer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..hookspecs import hookimpl


def regions(**params: Any) -> Any:
    """The rule-based region tagger (see :mod:`newsclf.classifiers.regions`)."""
    from ..classifiers.regions import RegionTagger

    return RegionTagger(**params)


@hookimpl
def newsclf_register_classifiers(register: Callable[..., None]) -> None:
    register("regions", regions)
