"""Zero-shot labels from descriptions, with no training data."""

from __future__ import annotations

from pathlib import Path

from newsclf import Document
from newsclf.classifiers.zeroshot import ZeroShotClassifier
from newsclf.testing import check_classifier


def test_zero_shot_from_descriptions(tmp_path: Path) -> None:
    rules = tmp_path / "labels.toml"
    rules.write_text('[labels.sport]\ndescription = "Sport: football, matches, goals, '
                     'players and tournaments."\nterms = ["goal"]\n'
                     '[labels.markets]\ndescription = "Financial markets: stocks, bonds, '
                     'interest rates and investors."\nterms = ["stocks"]\n')
    clf = ZeroShotClassifier(rules=str(rules), min_similarity=0.0, margin=0.0)
    docs = [Document(id="a", text="The striker scored the winning goal in the cup final."),
            Document(id="b", text="Stocks fell and bond yields rose as investors sold.")]
    assert [[lb.name for lb in labs] for labs in clf.predict(docs)] == [["sport"], ["markets"]]


def test_contract(tmp_path: Path) -> None:
    check_classifier(ZeroShotClassifier, tmp_path)
