"""Static embeddings: the shipped model loads offline, the embeddings and hybrid
classifiers pass the contract, explain names sentences, zero-shot needs no training."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from newsclf import Document
from newsclf.classifiers.embeddings import (
    EmbeddingClassifier,
    HybridClassifier,
    StaticEmbedder,
    ZeroShotClassifier,
)
from newsclf.testing import check_classifier, toy_corpus


def test_static_model_gives_meaningful_vectors() -> None:
    vecs = StaticEmbedder().encode(["The central bank raised interest rates",
                                    "Bond yields climbed as rates went up",
                                    "The striker scored a goal in the final"])
    assert vecs.shape[0] == 3
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]


def test_embeddings_contract(tmp_path: Path) -> None:
    check_classifier(EmbeddingClassifier, tmp_path)


def test_hybrid_contract_with_rules(tmp_path: Path) -> None:
    check_classifier(lambda: HybridClassifier(rules_weight=1.0), tmp_path)


def test_explain_names_sentences() -> None:
    docs, labels = toy_corpus()
    clf = EmbeddingClassifier().fit(docs, labels)
    doc = Document(id="e", title="Cup final",
                   text="The striker scored twice in the final. Fans cheered the team.")
    labs = clf.explain(doc)
    sport = next(lb for lb in labs if lb.name == "sport")
    assert sport.evidence and all(e.kind == "sentence" for e in sport.evidence)
    for ev in sport.evidence:
        assert doc.full_text[ev.start:ev.end].startswith(ev.text[:20])


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


def test_hybrid_explain_gives_sentences_rule_matches_and_terms(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[labels.markets]\nterms = ["stocks^2", "investors^2", "bond yields"]\n'
                     'min_score = 2\n[labels.sport]\nterms = ["goal", "striker"]\n')
    docs, labels = toy_corpus()
    clf = HybridClassifier(rules=str(rules)).fit(docs, labels)
    doc = Document(id="e", title="Markets slide",
                   text="Stocks fell as investors sold shares and bond yields rose.")
    markets = next(lb for lb in clf.explain(doc) if lb.name == "markets")
    kinds = [e.kind for e in markets.evidence]
    assert "sentence" in kinds and "term" in kinds
    located = [e for e in markets.evidence if e.start is not None and e.kind == "term"]
    assert {e.text for e in located} >= {"Stocks", "investors"}
    for ev in located:  # rule matches carry offsets into the full text
        assert doc.full_text[ev.start:ev.end] == ev.text
