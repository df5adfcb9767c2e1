"""The hooks a newsclf plugin can implement. Each receives a ``register`` callback (or the
CLI group), so newsclf records who registered what and decides what to do with clashes.

The exact signatures (tested against ``docs/plugins.md``):

- ``newsclf_register_classifiers(register: RegisterClassifier) -> None``
- ``newsclf_register_readers(register: RegisterReader) -> None``
- ``newsclf_register_commands(cli: click.Group) -> None``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from .typing import RegisterClassifier, RegisterReader

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("newsclf")
hookimpl = pluggy.HookimplMarker("newsclf")


@hookspec
def newsclf_register_classifiers(register: RegisterClassifier) -> None:
    """Register classifiers: ``register(name, factory)``, where ``factory(**params)`` builds one."""


@hookspec
def newsclf_register_readers(register: RegisterReader) -> None:
    """Register input formats: ``register(suffix, reader)``; ``reader(path)`` yields Documents."""


@hookspec
def newsclf_register_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``newsclf`` click group ``cli``."""
