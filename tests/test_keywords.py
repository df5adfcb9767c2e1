"""Keyword rules: parsing, matching (boundaries, case, plurals, regexes, negatives),
evidence, and clear errors for bad rules files."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclf import ConfigError, Document
from newsclf.classifiers.keywords import KeywordClassifier, load_rules
from newsclf.testing import check_classifier

RULES = """
[labels.energy]
description = "Oil, gas and power."
terms = ["oil^2", "pipeline^2", "refinery", "OPEC^3"]
patterns = ['\\b\\d+ barrels\\b']
negative = ["olive oil^3"]
min_score = 3
"""


def classify(text: str, rules: Path, title: str = "") -> list[tuple[str, float]]:
    (labels,) = KeywordClassifier(rules=str(rules)).predict(
        [Document(id="x", text=text, title=title)])
    return [(lb.name, lb.score) for lb in labels]


@pytest.fixture()
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    return path


def test_contract(tmp_path: Path) -> None:
    check_classifier(KeywordClassifier, tmp_path)


def test_matching_boundaries_plurals_case_and_patterns(rules: Path) -> None:
    assert classify("New pipelines and refineries opened.", rules)[0][0] == "energy"
    assert classify("The spoil of war.", rules) == []          # not inside a word
    assert classify("opec met.", rules) == []                   # short acronym: as written
    assert classify("OPEC met.", rules)[0][0] == "energy"
    assert classify("They pumped 500 barrels and more oil.", rules)[0][0] == "energy"


def test_negative_terms_and_title_weight(rules: Path) -> None:
    assert classify("Olive oil prices rose.", rules) == []
    in_title = classify("Prices rose.", rules, title="Oil and a refinery")
    in_body = classify("Oil and a refinery.", rules)
    assert in_title and in_body and in_title[0][1] > in_body[0][1]


def test_evidence_has_offsets(rules: Path) -> None:
    doc = Document(id="e", text="A pipeline leak shut the refinery.")
    (label,) = KeywordClassifier(rules=str(rules)).explain(doc)
    assert {e.text for e in label.evidence} == {"pipeline", "refinery"}
    for ev in label.evidence:
        assert doc.full_text[ev.start:ev.end] == ev.text


def test_default_rules_cover_the_taxonomy() -> None:
    assert set(load_rules().rules) == {"ai_capex", "trade", "security", "politics",
                                       "economy", "technology"}
    doc = Document(id="d", title="Tariffs hit exports",
                   text="New tariffs on imports and exports widened the trade deficit.")
    (labels,) = KeywordClassifier().predict([doc])
    assert labels[0].name == "trade"


@pytest.mark.parametrize("text, message", [
    ("not toml [", "invalid TOML"),
    ("[other]\nx = 1\n", "no \\[labels.NAME\\] tables"),
    ("[labels.a]\nterms = 'oil'\n", "terms: must be a list of strings"),
    ("[labels.a]\nterms = ['oil']\nwords = []\n", "unknown key\\(s\\) words"),
    ("[labels.a]\nterms = ['oil']\npatterns = ['(unclosed']\n", "pattern '\\(unclosed'"),
    ("[labels.a]\nterms = ['oil']\nmin_score = 0\n", "min_score must be a positive number"),
])
def test_bad_rules_files_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=f"bad.toml.*{message}"):
        load_rules(path)
    with pytest.raises(ConfigError, match="no such file"):
        load_rules(tmp_path / "missing.toml")
