"""The plugin manager and the registry of what plugins provide.

Nothing happens at import. :func:`get_registry` builds the manager once (built-in plugins
first, then the ``newsclf`` entry points that ``NEWSCLF_LOAD_PLUGINS`` allows), calls each
plugin's hooks one at a time, and records every failure with the plugin's name instead of
letting one broken plugin take the tool down. Set ``NEWSCLF_STRICT_PLUGINS=1`` (or pass
``strict=True``) to make a failure an error.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from . import hookspecs, readers
from .default_plugins import MODULES as DEFAULT_PLUGINS
from .errors import ConfigError, PluginError
from .types import Document
from .typing import Classifier, ClassifierFactory, Reader
from .version import __version__

if TYPE_CHECKING:
    import click

__all__ = [
    "ENTRY_POINT_GROUP",
    "Loader",
    "PluginFailure",
    "PluginInfo",
    "Registration",
    "Registry",
    "build_registry",
    "create_classifier",
    "describe_plugins",
    "get_plugin_manager",
    "get_registry",
    "read_inputs",
    "reset_registry",
]

ENTRY_POINT_GROUP = "newsclf"
LOAD_ENV = "NEWSCLF_LOAD_PLUGINS"
STRICT_ENV = "NEWSCLF_STRICT_PLUGINS"


@dataclass(frozen=True)
class Registration:
    """One thing a plugin registered: a classifier factory, a reader or a command."""

    kind: str
    name: str
    plugin: str
    obj: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that failed to import (``stage="import"``) or raised in a hook."""

    plugin: str
    stage: str
    error: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r} failed in {self.stage}: {self.error}"


@dataclass
class PluginInfo:
    """A loaded plugin: its name, version, whether it ships with newsclf, and the
    distribution (``pip install`` name) it came in."""

    name: str
    version: str
    builtin: bool
    distribution: str = ""


@dataclass
class Registry:
    """What the loaded plugins registered (in load order), and which of them failed."""

    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    classifiers: dict[str, Registration] = field(default_factory=dict)
    readers: dict[str, Registration] = field(default_factory=dict)
    failures: list[PluginFailure] = field(default_factory=list)
    manager: pluggy.PluginManager | None = None
    strict: bool = False

    def classifier(self, name: str) -> ClassifierFactory:
        """The factory of the classifier called ``name``.

        Raises :class:`ConfigError` naming the known classifiers if there is none.
        """
        try:
            factory: ClassifierFactory = self.classifiers[name].obj
        except KeyError:
            known = ", ".join(sorted(self.classifiers)) or "none"
            raise ConfigError(f"unknown classifier {name!r} (known: {known})") from None
        return factory

    def formats(self) -> dict[str, Reader]:
        """Suffix → reader, for :func:`newsclf.readers.read_inputs`."""
        return {suffix: reg.obj for suffix, reg in self.readers.items()}


class Loader:
    """Fills a :class:`Registry`: registers plugins, calls their hooks one implementation
    at a time, and records each failure with the plugin's name (or raises it, strict)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def fail(self, failure: PluginFailure) -> None:
        """Record a failure; in strict mode raise it as :class:`PluginError`."""
        if self.registry.strict:
            raise PluginError(str(failure))
        self.registry.failures.append(failure)

    def add_plugin(self, name: str, version: str, builtin: bool,
                   distribution: str = "") -> None:
        if name not in self.registry.plugins:
            self.registry.plugins[name] = PluginInfo(name, version, builtin, distribution)

    def register(self, kind: str, table: dict[str, Registration], plugin: str, name: str,
                 obj: Any) -> None:
        """Add ``name`` to ``table`` unless another plugin has it (the first keeps it)."""
        key = str(name)
        if key in table:
            owner = table[key].plugin
            self.fail(PluginFailure(plugin, f"register {kind}",
                                    f"{kind} {key!r} is already registered by {owner!r}"))
            return
        table[key] = Registration(kind, key, plugin, obj)

    def load_entry_points(self, pm: pluggy.PluginManager) -> None:
        """Import and register the ``newsclf`` entry points that ``NEWSCLF_LOAD_PLUGINS``
        allows; an import error is a failure of that plugin only."""
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = getattr(ep, "dist", None)
            dist_name = dist.metadata["Name"] if dist is not None else ep.name
            if not _wanted([dist_name])(ep.name):
                continue
            try:
                module = ep.load()
                pm.register(module, name=ep.name)
            except Exception as exc:  # a broken plugin must not break the tool
                self.fail(PluginFailure(ep.name, "import", _describe(exc)))
                continue
            self.add_plugin(ep.name, dist.version if dist is not None else "unknown", False,
                            dist_name)

    def implementations(self, hook_name: str) -> list[Any]:
        """The hook's implementations in plugin load order (built-ins first)."""
        assert self.registry.manager is not None
        impls = list(getattr(self.registry.manager.hook, hook_name).get_hookimpls())
        rank = {name: i for i, name in enumerate(self.registry.plugins)}
        return sorted(impls, key=lambda impl: rank.get(impl.plugin_name, len(rank)))

    def call_register_hook(self, hook_name: str, kind: str,
                           table: dict[str, Registration]) -> None:
        """Call a ``register``-callback hook of each plugin, one at a time."""
        for impl in self.implementations(hook_name):
            plugin = impl.plugin_name

            def register(name: str, obj: Any, _plugin: str = plugin) -> None:
                self.register(kind, table, _plugin, name, obj)

            try:
                impl.function(register=register)
            except PluginError:
                raise
            except Exception as exc:
                self.fail(PluginFailure(plugin, hook_name, _describe(exc)))

    def register_commands(self, cli: click.Group) -> dict[str, str]:
        """Let plugins add sub-commands to ``cli``; returns command name → plugin name."""
        added: dict[str, str] = {}
        if self.registry.manager is None:
            return added
        for impl in self.implementations("newsclf_register_commands"):
            before = set(cli.commands)
            try:
                impl.function(cli=cli)
            except Exception as exc:
                self.fail(PluginFailure(impl.plugin_name, "newsclf_register_commands",
                                        _describe(exc)))
                continue
            for name in set(cli.commands) - before:
                added[name] = impl.plugin_name
        return added


def get_plugin_manager() -> pluggy.PluginManager:
    """A fresh plugin manager with the hookspecs and the built-in plugins registered.

    :func:`build_registry` adds third-party plugins from the entry points; tests give a
    manager throwaway plugins by hand and build a registry with ``entry_points=False``.
    """
    pm = pluggy.PluginManager("newsclf")
    pm.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    return pm


def _wanted(names: Iterable[str]) -> Callable[[str], bool]:
    value = os.environ.get(LOAD_ENV)
    if value is None:
        return lambda _name: True
    allowed = {part.strip() for part in value.split(",") if part.strip()}
    return lambda name: name in allowed or any(n in allowed for n in names)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def build_registry(pm: pluggy.PluginManager | None = None, *, entry_points: bool = True,
                   strict: bool | None = None) -> Registry:
    """Load plugins and collect their registrations. Prefer :func:`get_registry`, which
    caches the result; this function is for tests and tools that need a fresh one."""
    if strict is None:
        strict = os.environ.get(STRICT_ENV, "") not in ("", "0")
    if pm is None:
        pm = get_plugin_manager()
    registry = Registry(manager=pm, strict=strict)
    loader = Loader(registry)
    names = [pm.get_name(plugin) or repr(plugin) for plugin in pm.get_plugins()]
    rank = {name: i for i, name in enumerate(DEFAULT_PLUGINS)}
    for name in sorted(names, key=lambda n: (rank.get(n, len(rank)), n)):
        builtin = name in DEFAULT_PLUGINS
        loader.add_plugin(name, __version__ if builtin else "unknown", builtin)
    if entry_points:
        loader.load_entry_points(pm)
    loader.call_register_hook("newsclf_register_classifiers", "classifier",
                              registry.classifiers)
    loader.call_register_hook("newsclf_register_readers", "reader", registry.readers)
    return registry


_REGISTRY: Registry | None = None


def get_registry() -> Registry:
    """The process-wide registry, built on first use."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = build_registry()
    return _REGISTRY


def reset_registry(registry: Registry | None = None) -> None:
    """Drop the cached registry (or install ``registry`` in its place); for tests."""
    global _REGISTRY
    _REGISTRY = registry


def create_classifier(name: str, **params: Any) -> Classifier:
    """Build the classifier registered as ``name`` with ``params``."""
    factory = get_registry().classifier(name)
    try:
        return factory(**params)
    except (TypeError, ValueError) as exc:
        known = _parameters(factory) if isinstance(exc, TypeError) else None
        unknown = sorted(set(params) - set(known or params))
        if unknown:
            raise ConfigError(f"classifier {name!r} has no parameter {unknown[0]!r} (its "
                              f"parameters: {', '.join(known or [])})") from None
        raise ConfigError(f"classifier {name!r}: {exc}") from None


def _parameters(factory: Any) -> list[str] | None:
    """The parameters of the classifier ``factory`` builds (its ``get_params``), or None
    when it cannot say."""
    try:
        return sorted(factory().get_params())
    except Exception:  # a plugin's factory that needs arguments, or has no get_params
        return None


def read_inputs(inputs: Iterable[str | Path], **options: Any) -> Iterator[Document]:
    """:func:`newsclf.readers.read_inputs` with the formats every loaded plugin registers
    (what ``newsclf.read_inputs`` is)."""
    return readers.read_inputs(inputs, formats=get_registry().formats(), **options)


def describe_plugins(registry: Registry, commands: dict[str, str] | None = None
                     ) -> dict[str, Any]:
    """What ``newsclf plugins --json`` prints: each plugin with its version and what it
    registered, then the failures."""
    commands = commands or {}
    plugins = []
    for name, info in registry.plugins.items():
        plugins.append({
            "name": name,
            "version": info.version,
            "builtin": info.builtin,
            "classifiers": sorted(r.name for r in registry.classifiers.values()
                                  if r.plugin == name),
            "readers": sorted(r.name for r in registry.readers.values() if r.plugin == name),
            "commands": sorted(c for c, p in commands.items() if p == name),
        })
    failures = [{"plugin": f.plugin, "stage": f.stage, "error": f.error}
                for f in registry.failures]
    return {"plugins": plugins, "failures": failures}
