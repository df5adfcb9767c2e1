"""The plugin manager: built-ins and throwaway plugins register through the same hooks;
entry points are discovered; broken plugins are reported, not fatal (unless strict)."""

from __future__ import annotations

import json
import types
from collections.abc import Callable
from importlib import metadata
from typing import Any

import pytest
from click.testing import CliRunner

import newsclf
from newsclf import plugins
from newsclf.cli import cli
from newsclf.errors import ConfigError, PluginError


class ThrowawayPlugin:
    @newsclf.hookimpl
    def newsclf_register_classifiers(self, register: Callable[..., None]) -> None:
        register("throwaway", lambda **params: ("built", params))

    @newsclf.hookimpl
    def newsclf_register_readers(self, register: Callable[..., None]) -> None:
        register(".throw", lambda path: iter(()))


class BrokenHookPlugin:
    @newsclf.hookimpl
    def newsclf_register_classifiers(self, register: Callable[..., None]) -> None:
        raise RuntimeError("boom")


def test_builtins_register_through_the_hooks() -> None:
    registry = plugins.build_registry(entry_points=False)
    assert {"tfidf", "keywords", "regions", "embeddings", "hybrid", "zeroshot"} <= set(
        registry.classifiers)
    assert registry.classifiers["tfidf"].plugin == "newsclf.default_plugins.linear"
    assert {".txt", ".jsonl", ".csv", ".html"} <= set(registry.readers)
    assert registry.failures == []


def test_throwaway_plugin_is_a_peer() -> None:
    pm = plugins.get_plugin_manager()
    pm.register(ThrowawayPlugin(), name="throwaway")
    try:
        registry = plugins.build_registry(pm, entry_points=False)
        assert registry.classifier("throwaway")(C=2) == ("built", {"C": 2})
        assert registry.readers[".throw"].plugin == "throwaway"
    finally:
        pm.unregister(name="throwaway")


def test_a_hook_error_is_reported_and_the_rest_still_works() -> None:
    pm = plugins.get_plugin_manager()
    pm.register(BrokenHookPlugin(), name="broken")
    registry = plugins.build_registry(pm, entry_points=False)
    assert [(f.plugin, f.stage) for f in registry.failures] == [
        ("broken", "newsclf_register_classifiers")]
    assert "tfidf" in registry.classifiers
    with pytest.raises(PluginError, match="broken"):
        plugins.build_registry(pm, entry_points=False, strict=True)


def test_duplicate_names_keep_the_first_and_report_the_second() -> None:
    class Dup:
        @newsclf.hookimpl
        def newsclf_register_classifiers(self, register: Callable[..., None]) -> None:
            register("tfidf", object)

    pm = plugins.get_plugin_manager()
    pm.register(Dup(), name="dup")
    registry = plugins.build_registry(pm, entry_points=False)
    assert registry.classifiers["tfidf"].plugin == "newsclf.default_plugins.linear"
    assert "already registered" in registry.failures[0].error


def test_unknown_classifier_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown classifier 'nope' \(known: .*tfidf"):
        plugins.get_registry().classifier("nope")


class FakeEntryPoint:
    def __init__(self, name: str, target: Any, version: str = "1.2.3") -> None:
        self.name = name
        self._target = target
        self.dist = types.SimpleNamespace(metadata={"Name": f"newsclf-{name}"},
                                          version=version)

    def load(self) -> Any:
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def _fake_entry_points(monkeypatch: pytest.MonkeyPatch, eps: list[FakeEntryPoint]) -> None:
    def entry_points(group: str) -> list[FakeEntryPoint]:
        return eps if group == "newsclf" else []

    monkeypatch.setattr(metadata, "entry_points", entry_points)


def _module_plugin() -> types.ModuleType:
    module = types.ModuleType("fake_plugin")
    module.newsclf_register_classifiers = ThrowawayPlugin.newsclf_register_classifiers.__get__(
        ThrowawayPlugin())  # type: ignore[attr-defined]
    return module


def test_entry_points_are_discovered_and_filtered(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_entry_points(monkeypatch, [FakeEntryPoint("fake", ThrowawayPlugin()),
                                     FakeEntryPoint("other", ThrowawayPlugin())])
    monkeypatch.setenv("NEWSCLF_LOAD_PLUGINS", "fake")
    registry = plugins.build_registry()
    assert registry.plugins["fake"].version == "1.2.3"
    assert "other" not in registry.plugins
    assert registry.classifiers["throwaway"].plugin == "fake"
    monkeypatch.setenv("NEWSCLF_LOAD_PLUGINS", "")
    assert "fake" not in plugins.build_registry().plugins


def test_plugins_json_reports_an_import_failure_and_predict_still_works(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    _fake_entry_points(monkeypatch, [FakeEntryPoint("bad", ImportError("No module named x"))])
    monkeypatch.delenv("NEWSCLF_LOAD_PLUGINS")
    runner = CliRunner()
    result = runner.invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["failures"] == [{"plugin": "bad", "stage": "import",
                                 "error": "ImportError: No module named x"}]
    page = tmp_path / "p.txt"
    page.write_text("Japan raises tariffs\n\nTokyo said Japan will raise tariffs.\n")
    plugins.reset_registry()
    result = runner.invoke(cli, ["predict", str(page), "--classifier", "regions"])
    assert result.exit_code == 0, result.output
    assert '"JP"' in result.output


def test_plugins_json_exact_output() -> None:
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0
    version = newsclf.__version__

    def builtin(name: str, classifiers: list[str], readers: list[str]) -> dict[str, Any]:
        return {"name": f"newsclf.default_plugins.{name}", "version": version,
                "builtin": True, "classifiers": classifiers, "readers": readers,
                "commands": []}

    assert json.loads(result.output) == {
        "plugins": [
            builtin("linear", ["embeddings", "hashing", "hybrid", "tfidf", "zeroshot"], []),
            builtin("keywords", ["keywords"], []),
            builtin("regions", ["regions"], []),
            builtin("readers", [], [".csv", ".gz", ".htm", ".html", ".json", ".jsonl",
                                      ".ndjson", ".txt"]),
        ],
        "failures": [],
    }
