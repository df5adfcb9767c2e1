"""The language plugin: the classifier contract, its labels, and that newsclf finds it."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import newsclf_language

from newsclf import Document, plugins
from newsclf.testing import check_classifier


def test_contract(tmp_path: Path) -> None:
    check_classifier(newsclf_language.LanguageClassifier, tmp_path)


def test_languages() -> None:
    clf = newsclf_language.LanguageClassifier()
    docs = [Document(id="en", text="The minister said that the talks were on track for a deal."),
            Document(id="fr",
                     text="Le ministre a dit que les discussions sont dans la bonne voie."),
            Document(id="de", text="Der Minister sagte, dass die Gespräche auf dem Weg sind."),
            Document(id="x", text="12345 67890")]
    assert [[lb.name for lb in labs] for labs in clf.predict(docs)] == [["en"], ["fr"], ["de"], []]


def test_registered_through_the_hooks() -> None:
    import click

    pm = plugins.get_plugin_manager()
    pm.register(newsclf_language, name="newsclf-language")
    registry = plugins.build_registry(pm, entry_points=False)
    assert registry.classifiers["language"].plugin == "newsclf-language"
    group = click.Group("newsclf")
    assert plugins.Loader(registry).register_commands(group) == {"languages": "newsclf-language"}
    assert CliRunner().invoke(group, ["languages"]).output.split() == sorted(
        newsclf_language.STOPWORDS)
