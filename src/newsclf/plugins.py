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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy

from . import hookspecs
from .default_plugins import MODULES as DEFAULT_PLUGINS
from .errors import ConfigError, PluginError

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginFailure",
    "PluginInfo",
    "Registration",
    "Registry",
    "build_registry",
    "create_classifier",
    "get_plugin_manager",
    "get_registry",
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
    """A loaded plugin: its name, version and whether it ships with newsclf."""

    name: str
    version: str
    builtin: bool


@dataclass
class Registry:
    """What the loaded plugins registered, and which of them failed."""

    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    classifiers: dict[str, Registration] = field(default_factory=dict)
    readers: dict[str, Registration] = field(default_factory=dict)
    failures: list[PluginFailure] = field(default_factory=list)
    manager: pluggy.PluginManager | None = None
    _order: list[str] = field(default_factory=list)

    def registrations(self, plugin: str) -> list[Registration]:
        """Everything one plugin registered."""
        found = [r for r in self.classifiers.values() if r.plugin == plugin]
        return found + [r for r in self.readers.values() if r.plugin == plugin]

    def classifier(self, name: str) -> Callable[..., Any]:
        """The factory of the classifier called ``name``.

        Raises :class:`ConfigError` naming the known classifiers if there is none.
        """
        try:
            return self.classifiers[name].obj  # type: ignore[no-any-return]
        except KeyError:
            known = ", ".join(sorted(self.classifiers)) or "none"
            raise ConfigError(f"unknown classifier {name!r} (known: {known})") from None

    def _fail(self, failure: PluginFailure, strict: bool) -> None:
        if strict:
            raise PluginError(str(failure))
        self.failures.append(failure)

    def _register(self, kind: str, table: dict[str, Registration], plugin: str, strict: bool,
                  name: str, obj: Any) -> None:
        key = str(name)
        if key in table:
            owner = table[key].plugin
            self._fail(PluginFailure(plugin, f"register {kind}",
                                     f"{kind} {key!r} is already registered by {owner!r}"),
                       strict)
            return
        table[key] = Registration(kind, key, plugin, obj)


def get_plugin_manager(entry_points: bool = True) -> pluggy.PluginManager:
    """A fresh plugin manager with the hookspecs and the built-in plugins registered.

    With ``entry_points=True`` the registry's loader adds third-party plugins; a manager
    for tests is built with ``entry_points=False`` and given throwaway plugins by hand.
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


def _load_entry_points(pm: pluggy.PluginManager, registry: Registry, strict: bool) -> None:
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        dist_name = dist.metadata["Name"] if dist is not None else ep.name
        if not _wanted([dist_name])(ep.name):
            continue
        version = dist.version if dist is not None else "unknown"
        try:
            module = ep.load()
            pm.register(module, name=ep.name)
        except Exception as exc:  # a broken plugin must not break the tool
            registry._fail(PluginFailure(ep.name, "import", _describe(exc)), strict)
            continue
        registry.plugins[ep.name] = PluginInfo(ep.name, version, builtin=False)
        registry._order.append(ep.name)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def build_registry(pm: pluggy.PluginManager | None = None, *, entry_points: bool = True,
                   strict: bool | None = None) -> Registry:
    """Load plugins and collect their registrations. Prefer :func:`get_registry`, which
    caches the result; this function is for tests and tools that need a fresh one."""
    if strict is None:
        strict = os.environ.get(STRICT_ENV, "") not in ("", "0")
    registry = Registry()
    if pm is None:
        pm = get_plugin_manager()
    registry.manager = pm
    from . import __version__

    names = [pm.get_name(plugin) or repr(plugin) for plugin in pm.get_plugins()]
    rank = {name: i for i, name in enumerate(DEFAULT_PLUGINS)}
    for name in sorted(names, key=lambda n: (rank.get(n, len(rank)), n)):
        if name not in registry.plugins:
            version = __version__ if name in DEFAULT_PLUGINS else "unknown"
            registry.plugins[name] = PluginInfo(name, version, builtin=name in DEFAULT_PLUGINS)
            registry._order.append(name)
    if entry_points:
        _load_entry_points(pm, registry, strict)
    _call_each(pm, registry, "newsclf_register_classifiers", "classifier",
               registry.classifiers, strict)
    _call_each(pm, registry, "newsclf_register_readers", "reader", registry.readers, strict)
    return registry


def _impls_in_order(pm: pluggy.PluginManager, hook_name: str,
                    registry: Registry) -> list[Any]:
    impls = list(getattr(pm.hook, hook_name).get_hookimpls())
    rank = {name: i for i, name in enumerate(registry._order)}
    return sorted(impls, key=lambda impl: rank.get(impl.plugin_name, len(rank)))


def _call_each(pm: pluggy.PluginManager, registry: Registry, hook_name: str, kind: str,
               table: dict[str, Registration], strict: bool) -> None:
    for impl in _impls_in_order(pm, hook_name, registry):
        plugin = impl.plugin_name

        def register(name: str, obj: Any, _plugin: str = plugin) -> None:
            registry._register(kind, table, _plugin, strict, name, obj)

        try:
            impl.function(register=register)
        except PluginError:
            raise
        except Exception as exc:
            registry._fail(PluginFailure(plugin, hook_name, _describe(exc)), strict)


def register_commands(registry: Registry, cli: Any, strict: bool = False) -> dict[str, str]:
    """Let plugins add sub-commands to ``cli``; returns command name → plugin name."""
    added: dict[str, str] = {}
    if registry.manager is None:
        return added
    for impl in _impls_in_order(registry.manager, "newsclf_register_commands", registry):
        before = set(cli.commands)
        try:
            impl.function(cli=cli)
        except Exception as exc:
            registry._fail(PluginFailure(impl.plugin_name, "newsclf_register_commands",
                                         _describe(exc)), strict)
            continue
        for name in set(cli.commands) - before:
            added[name] = impl.plugin_name
    return added


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


def create_classifier(name: str, **params: Any) -> Any:
    """Build the classifier registered as ``name`` with ``params``."""
    factory = get_registry().classifier(name)
    try:
        return factory(**params)
    except TypeError as exc:
        raise ConfigError(f"classifier {name!r}: {exc}") from None


def describe_plugins(registry: Registry, commands: dict[str, str] | None = None
                     ) -> dict[str, Any]:
    """What ``newsclf plugins --json`` prints: each plugin with its version and what it
    registered, then the failures."""
    commands = commands or {}
    plugins = []
    for name in registry._order:
        info = registry.plugins[name]
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
