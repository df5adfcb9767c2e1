"""Reading the TOML files users write (rules, gazetteer extensions), with one-line errors
that name the file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["parse_toml", "read_toml"]


if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document at ``path``; :class:`ConfigError` naming the file if it is
    missing, unreadable or not valid TOML."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    return parse_toml(text, str(path))


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """A TOML document from its text; :class:`ConfigError` naming ``where`` if invalid."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML ({exc})") from None
