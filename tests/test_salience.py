"""Country salience and labels from resolved mentions, and the compiled build: mypyc's
modules give what their Python source gives."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from newsclf import Document, geoparse, salience, wordmatch
from newsclf.classifiers.regions import RegionClassifier
from newsclf.gazetteer import load_gazetteer
from newsclf.readers import read_inputs

SEEDS = Path(__file__).parents[1] / "seeds"
TEXTS = [
    "ARLINGTON, Va. (AP) — A storm hit Arlington on Monday. Arlington schools closed.",
    "BEIJING, Jan 5 (Reuters) - Beijing said it would retaliate against Washington.",
    "Paris, Texas, and Paris, France, are far apart. Mr. Warren said Hamilton said so.",
    "Georgia's governor met Tbilisi officials; Japanese officials and Bavarian police too.",
    "Talks in Reading, Pa., then Reading again. Clint Eastwood visited Carmel.",
    "Côte d’Ivoire’s cocoa crop: São Paulo traders, Zürich banks — and “Japan” again.",
    "",
]


def stories() -> list[Document]:
    docs = [Document(id=str(i), title=t.split(".")[0], text=t) for i, t in enumerate(TEXTS)]
    return docs + list(read_inputs([str(SEEDS)]))


def test_labels_most_salient_first_with_the_others_as_mentions() -> None:
    doc = Document(id="x", title="Japan and China agree", text="Japan, Japan and Japan. "
                   "China too. Peru was named once, deep in the story." + " word" * 100)
    scores, kept = RegionClassifier().salience(doc)
    labels, about = salience.country_labels(scores, kept, 1.4, 1.4, 0.45, 400, True, "regions")
    assert [lb.name for lb in labels][:2] == ["JP", "CN"]
    assert [c for c, _ in about] == ["JP", "CN"]
    assert {lb.name: lb.facet for lb in labels}["PE"] == "mention"
    assert all(0 < lb.score < 1 and lb.evidence for lb in labels)
    japan = labels[0]
    assert japan.score == pytest.approx(scores["JP"] / (scores["JP"] + 2))
    assert [e.text for e in japan.evidence] == ["Japan"] * 4


def test_story_salience_is_the_taggers() -> None:
    tagger = RegionClassifier()
    gaz = tagger._gazetteer()
    for doc in stories():
        got = salience.story_salience(gaz, doc.full_text, doc.body_start, 100_000, 400, 3.0,
                                      1.5, {}, tagger._weight)
        assert got == tagger.salience(doc)


def _source_of(module: ModuleType) -> ModuleType:
    """The module run from its Python source, beside the compiled one."""
    path = Path(module.__file__ or "").with_name(module.__name__.rsplit(".", 1)[1] + ".py")
    spec = importlib.util.spec_from_file_location(f"newsclf._source_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    source = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(source)
    return source


COMPILED = [m for m in (wordmatch, geoparse, salience) if Path(m.__file__ or "").suffix != ".py"]


@pytest.mark.skipif(not COMPILED, reason="newsclf is installed from source (not compiled)")
def test_compiled_modules_give_what_their_source_gives() -> None:
    """A wheel built with mypyc (``hatch_build.py``) runs these modules compiled."""
    assert len(COMPILED) == 3  # all or none
    gaz = load_gazetteer()
    automata, _ = gaz.automaton
    tagger = RegionClassifier(mentions=True, places=True)
    pure_words, pure_parse, pure_salience = (_source_of(m) for m in COMPILED)
    for doc in stories():
        text, start = doc.full_text, doc.body_start
        assert wordmatch.word_spans(automata, text) == pure_words.word_spans(automata, text)
        assert geoparse.resolve(gaz, text, start) == pure_parse.resolve(gaz, text, start)
        assert (salience.story_salience(gaz, text, start, 100_000, 400, 3.0, 1.5, {},
                                        tagger._weight)
                == pure_salience.story_salience(gaz, text, start, 100_000, 400, 3.0, 1.5,
                                                {}, tagger._weight))
