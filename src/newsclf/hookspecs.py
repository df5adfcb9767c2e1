"""The hooks a newsclf plugin can implement. Each receives a ``register`` callback (or the
CLI group), so newsclf records who registered what and decides what to do with clashes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("newsclf")
hookimpl = pluggy.HookimplMarker("newsclf")


@hookspec
def newsclf_register_classifiers(register: Callable[..., None]) -> None:
    """Register classifiers: ``register(name, factory)``, where ``factory(**params)`` builds one."""


@hookspec
def newsclf_register_readers(register: Callable[..., None]) -> None:
    """Register input formats: ``register(suffix, reader)``; ``reader(path)`` yields Documents."""


@hookspec
def newsclf_register_commands(cli: Any) -> None:
    """Add sub-commands to the ``newsclf`` click group ``cli``."""
