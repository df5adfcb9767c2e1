"""The built-in plugins: ordinary plugin modules, registered through the same hooks as
third-party ones."""

from __future__ import annotations

MODULES = (
    "newsclf.default_plugins.linear",
    "newsclf.default_plugins.keywords",
    "newsclf.default_plugins.regions",
    "newsclf.default_plugins.readers",
)
