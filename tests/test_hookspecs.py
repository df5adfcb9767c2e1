"""Each hook, by name: what it registers reaches the user (a ``test_hook_<name>`` per hook,
as datasette does), and its exact signature is documented in docs/plugins.md."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import newsclf
from newsclf import Document, hookspecs, plugins
from newsclf.typing import RegisterClassifier, RegisterReader

ROOT = Path(__file__).resolve().parents[1]
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("newsclf_"))


class Echo(newsclf.EstimatorMixin):
    """A rule classifier of a test plugin: labels every story ``echo``."""

    name = "echo"
    facet = "topic"
    trainable = False

    def __init__(self, *, score: float = 0.5) -> None:
        self.score = score

    def fit(self, documents: object = (), labels: object = ()) -> Echo:
        return self

    def predict(self, documents: list[Document]) -> list[list[newsclf.Label]]:
        return [[newsclf.Label("echo", self.facet, self.score, self.name)] for _ in documents]


def read_shout(path: Path) -> Iterator[Document]:
    """A test plugin's input format: one story per line, in capitals."""
    for i, line in enumerate(path.read_text().splitlines()):
        yield Document(id=f"{path.name}:{i}", text=line.upper())


class TestPlugin:
    @newsclf.hookimpl
    def newsclf_register_classifiers(self, register: RegisterClassifier) -> None:
        register("echo", Echo)

    @newsclf.hookimpl
    def newsclf_register_readers(self, register: RegisterReader) -> None:
        register(".shout", read_shout)

    @newsclf.hookimpl
    def newsclf_register_commands(self, cli: click.Group) -> None:
        @cli.command(name="hello")
        def hello() -> None:
            click.echo("hello from a plugin")


@pytest.fixture
def registry() -> Iterator[plugins.Registry]:
    pm = plugins.get_plugin_manager()
    pm.register(TestPlugin(), name="test-plugin")
    built = plugins.build_registry(pm, entry_points=False)
    plugins.reset_registry(built)
    yield built
    plugins.reset_registry()


def test_hook_newsclf_register_classifiers(registry: plugins.Registry) -> None:
    assert registry.classifiers["echo"].plugin == "test-plugin"
    clf = plugins.create_classifier("echo", score=0.9)
    (labels,) = clf.predict([Document(id="1", text="x")])
    assert [(lb.name, lb.score) for lb in labels] == [("echo", 0.9)]


def test_hook_newsclf_register_readers(registry: plugins.Registry, tmp_path: Path) -> None:
    page = tmp_path / "a.shout"
    page.write_text("one story\nanother\n")
    docs = list(plugins.read_inputs([page]))
    assert [d.text for d in docs] == ["ONE STORY", "ANOTHER"]
    assert registry.readers[".shout"].plugin == "test-plugin"


def test_hook_newsclf_register_commands(registry: plugins.Registry) -> None:
    group = click.Group("newsclf")
    assert plugins.Loader(registry).register_commands(group) == {"hello": "test-plugin"}
    assert CliRunner().invoke(group, ["hello"]).output == "hello from a plugin\n"


def _signature(name: str) -> str:
    sig = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"{name}({params}) -> {sig.return_annotation}"


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_has_a_test_a_docstring_and_its_signature_documented(name: str) -> None:
    assert getattr(hookspecs, name).__doc__, f"{name} has no docstring"
    assert callable(getattr(sys.modules[__name__], f"test_hook_{name}", None)), \
        f"{name} has no test_hook_{name}"
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert f"`{_signature(name)}`" in docs, f"docs/plugins.md lacks `{_signature(name)}`"
    assert _signature(name) in (hookspecs.__doc__ or ""), "hookspecs' docstring lacks it"


def test_the_hooks_are_these_three() -> None:
    assert HOOKS == ["newsclf_register_classifiers", "newsclf_register_commands",
                     "newsclf_register_readers"]
