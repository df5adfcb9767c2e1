"""Shared fixtures: every test gets a fresh plugin registry with entry points off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsclf import plugins


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NEWSCLF_LOAD_PLUGINS", "")
    monkeypatch.delenv("NEWSCLF_STRICT_PLUGINS", raising=False)
    plugins.reset_registry()
    yield
    plugins.reset_registry()
