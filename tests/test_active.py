"""Choosing what to label next: stories near a threshold first, spread out, no copies,
in one streaming pass with bounded memory; records ready to correct."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from newsclf import ConfigError, Document, Model, save_model
from newsclf.active import suggest, uncertainty
from newsclf.classifiers.linear import TfidfClassifier
from newsclf.cli import cli
from newsclf.testing import toy_corpus


class Flat:
    """A stand-in embedder: every story the same direction unless it says 'unique'."""

    def documents(self, docs: list[Document]) -> np.ndarray:
        out = np.zeros((len(docs), 4))
        for i, d in enumerate(docs):
            out[i] = [1, 0, 0, 0] if "unique" not in d.text else [0, 1, i % 3, 1]
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _model() -> Model:
    docs, labels = toy_corpus()
    return Model([TfidfClassifier().fit(docs, labels)],
                 {"training": {"label_counts": {"sport": 17, "markets": 17}}})


def test_uncertainty_is_closeness_to_a_threshold() -> None:
    scores = np.array([[0.5, 0.1], [0.9, 0.0], [0.0, 0.45]])
    thresholds = np.array([0.5, 0.5])
    u = uncertainty(scores, thresholds)
    assert u[0] == 1.0 and u[2] == pytest.approx(0.9) and u[1] < u[2]


class Scored:
    """A trained classifier stand-in: each story's scores are written in its text."""

    facet = "topic"
    labels_ = ("common", "rare")
    head_ = type("Head", (), {"thresholds_": np.array([0.5, 0.5])})()

    def _check_fitted(self) -> None:
        pass

    def predict_scores(self, docs: list[Document]) -> np.ndarray:
        return np.array([[float(x) for x in d.text.split()[:2]] for d in docs])


def _scored(*rows: str) -> list[Document]:
    return [Document(id=f"d{i}", text=f"{row} unique {i}") for i, row in enumerate(rows)]


def test_suggest_picks_the_stories_nearest_a_threshold() -> None:
    docs = _scored("0.95 0.02", "0.52 0.01", "0.10 0.10", "0.70 0.46")
    picks = suggest(Model([Scored()]), docs, 2, strategy="uncertain")  # type: ignore[list-item]
    assert [p.document.id for p in picks] == ["d1", "d3"]
    record = picks[0].to_record("topics")
    assert set(record) >= {"id", "title", "text", "topics", "suggest"}
    assert record["topics"] == ["common"] and record["suggest"]["scores"]["common"] == 0.52


def test_balanced_favours_the_rare_label() -> None:
    docs = _scored("0.50 0.02", "0.02 0.55")
    counts = {"common": 400, "rare": 4}
    picks = suggest(Model([Scored()]), docs, 1, embedder=Flat(),  # type: ignore[list-item]
                    label_counts=counts, rarity=0.5)
    assert picks[0].document.id == "d1"
    plain = suggest(Model([Scored()]), docs, 1, strategy="uncertain")  # type: ignore[list-item]
    assert plain[0].document.id == "d0"


def test_suggest_never_picks_two_copies() -> None:
    model = _model()
    copies = [Document(id=f"d{i}", text="The club and the bank met the team") for i in range(6)]
    others = [Document(id=f"o{i}", text=f"unique story {i} about the bank and the club")
              for i in range(3)]
    picks = suggest(model, [*copies, *others], 3, embedder=Flat())
    texts = [p.document.text for p in picks]
    assert sum(t == copies[0].text for t in texts) <= 1


def test_suggest_streams_in_bounded_memory() -> None:
    model = _model()
    seen = 0

    def stream():  # type: ignore[no-untyped-def]
        nonlocal seen
        for i in range(3000):
            seen += 1
            yield Document(id=str(i), text=f"Story {i}: the team and the bank")

    picks = suggest(model, stream(), 5, pool=40, embedder=Flat())
    assert seen == 3000 and len(picks) == 5


def test_diverse_needs_no_model_and_bad_options_are_refused() -> None:
    docs = [Document(id=str(i), text=f"unique {i}") for i in range(10)]
    assert len(suggest(None, docs, 3, strategy="diverse", embedder=Flat())) == 3
    with pytest.raises(ConfigError, match="unknown strategy"):
        suggest(_model(), docs, 3, strategy="random")
    with pytest.raises(ConfigError, match="no trained classifier of facet 'country'"):
        suggest(_model(), docs, 3, facet="country")


def test_cli_suggest(tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    save_model(_model(), path)
    data = tmp_path / "u.jsonl"
    data.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(
        ["The striker scored", "Bond yields rose", "The club and the bank met",
         "Fans cheered the team", "Stocks fell"])))
    result = CliRunner().invoke(cli, ["suggest", str(data), "--model", str(path), "-n", "2",
                                      "--labels", "topics"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 2 and all("topics" in r and "suggest" in r for r in rows)
