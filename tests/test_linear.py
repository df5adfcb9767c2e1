"""The linear classifier over feature blocks and its configurations (tfidf, embeddings,
hybrid): the contract, thresholds, explain, a plugin's own block, and prediction without
scikit-learn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from newsclf import Document, Evidence, NotFittedError
from newsclf.classifiers.blocks import Static, Words
from newsclf.classifiers.linear import (
    EmbeddingClassifier,
    HybridClassifier,
    LinearClassifier,
    TfidfClassifier,
)
from newsclf.estimator import EstimatorMixin
from newsclf.testing import check_classifier, toy_corpus


@pytest.mark.parametrize("factory", [
    TfidfClassifier, EmbeddingClassifier, lambda: HybridClassifier(rules_weight=1.0),
    lambda: LinearClassifier(blocks=[Words(), Static(weight=2.0)])])
def test_contract(factory: type, tmp_path: Path) -> None:
    check_classifier(factory, tmp_path)


def test_sklearn_conventions() -> None:
    clf = TfidfClassifier(C=4, ngram_max=1)
    assert clf.get_params()["C"] == 4
    copy = clone(clf)
    assert copy.get_params() == clf.get_params() and not hasattr(copy, "head_")
    with pytest.raises(NotFittedError):
        clf.predict([Document(id="x", text="y")])


def test_learns_and_is_deterministic() -> None:
    docs, labels = toy_corpus()
    a = TfidfClassifier(random_state=3).fit(docs, labels)
    b = TfidfClassifier(random_state=3).fit(docs, labels)
    probe = [Document(id="p", text="The striker scored a late goal in the final"),
             Document(id="q", text="Bond yields rose as the central bank raised rates")]
    names = [[lb.name for lb in labs] for labs in a.predict(probe)]
    assert names == [["sport"], ["markets"]]
    assert np.allclose(a.predict_scores(probe), b.predict_scores(probe))


def test_thresholds_are_tuned_per_label_and_rare_labels_fall_back() -> None:
    docs, labels = toy_corpus()
    rare = Document(id="r", text="A chess grandmaster won the championship")
    clf = TfidfClassifier(min_positives=5).fit([*docs, rare], [*labels, ["chess"]])
    j = clf.labels_.index("chess")
    assert not clf.head_.tuned_[j] and clf.head_.thresholds_[j] == 0.5
    assert clf.head_.tuned_[clf.labels_.index("sport")]
    fixed = TfidfClassifier(threshold=0.3).fit(docs, labels)
    assert set(fixed.head_.thresholds_) == {0.3}


def test_explain_gives_the_terms_behind_a_label() -> None:
    docs, labels = toy_corpus()
    clf = TfidfClassifier().fit(docs, labels)
    labels_ = clf.explain(Document(id="e", text="The striker scored in the cup final"))
    label = labels_[0]
    assert label.name == "sport" and label.score == max(lb.score for lb in labels_)
    terms = [e.text for e in label.evidence]
    assert terms and {"striker", "cup", "final", "scored"} & set(terms)
    assert all(e.weight and e.weight > 0 for e in label.evidence)


def test_min_labels_gives_the_best_label_below_threshold() -> None:
    docs, labels = toy_corpus()
    probe = [Document(id="n", text="The team and the bank")]
    (labs,) = TfidfClassifier(min_labels=1).fit(docs, labels).predict(probe)
    assert len(labs) >= 1
    (unknown,) = TfidfClassifier().fit(docs, labels).predict([Document(id="u", text="zzz")])
    assert unknown == []


_OFF_TAXONOMY = [
    "The chef won praise for a recipe of rice and beans at the final dinner",
    "The gallery opened a show of paintings and investors of art queued",
    "A storm brought rain and wind to the coast as the season ended",
    "The film won the festival prize after a long final scene",
    "The novel tells of a family and a long summer by the sea",
    "The choir sang at the cathedral and the crowd cheered the music",
    "Gardeners planted roses and tulips as the spring weather warmed",
    "The museum showed old maps and the curator spoke of history"]


def test_abstains_on_a_story_off_the_taxonomy(tmp_path: Path) -> None:
    from newsclf import Model, load_model, save_model

    docs, labels = toy_corpus()
    off = [Document(id=f"o{i}", text=t) for i, t in enumerate(_OFF_TAXONOMY * 2)]
    train = ([*docs, *off], [*labels, *([] for _ in off)])
    probe = [Document(id="p", text="A painter showed her work at the festival as the "
                                   "crowd cheered"),
             Document(id="q", text="The striker scored a late goal in the final")]
    plain = HybridClassifier(abstain=False).fit(*train)
    assert plain.gate_ is None
    assert [p.names() for p in Model([plain]).predict(probe)] == [["sport"], ["sport"]]
    gated = HybridClassifier().fit(*train)
    assert gated.gate_ is not None and gated.gate_.tuned_[0]
    save_model(Model([gated]), tmp_path / "m.joblib")
    for clf in (gated, load_model(tmp_path / "m.joblib").classifiers[0]):
        assert [[lb.name for lb in labs] for labs in clf.predict(probe)] == [[], ["sport"]]
        assert clf.predict_scores(probe)[0].max() == 0.0
    # no story without labels to learn from: no gate
    assert HybridClassifier().fit(docs, labels).gate_ is None


def test_a_fitted_model_predicts_without_sklearn(tmp_path: Path) -> None:
    import subprocess
    import sys

    from newsclf import Model, save_model

    docs, labels = toy_corpus()
    save_model(Model([TfidfClassifier().fit(docs, labels)]), tmp_path / "m.joblib")
    code = ("import sys, newsclf; m = newsclf.load_model(sys.argv[1]); "
            "p = m.predict([newsclf.Document(id='x', text='the striker scored a goal')]); "
            "print(p[0].names(), 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "m.joblib")],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['sport'] False"


def test_embeddings_explain_names_sentences() -> None:
    docs, labels = toy_corpus()
    clf = EmbeddingClassifier().fit(docs, labels)
    doc = Document(id="e", title="Cup final",
                   text="The striker scored twice in the final. Fans cheered the team.")
    labs = clf.explain(doc)
    sport = next(lb for lb in labs if lb.name == "sport")
    assert sport.evidence and all(e.kind == "sentence" for e in sport.evidence)
    for ev in sport.evidence:
        assert doc.full_text[ev.start:ev.end].startswith(ev.text[:20])


def test_hybrid_explain_gives_sentences_rule_matches_and_terms(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[labels.markets]\nterms = ["stocks^2", "investors^2", "bond yields"]\n'
                     'min_score = 2\n[labels.sport]\nterms = ["goal", "striker"]\n')
    docs, labels = toy_corpus()
    clf = HybridClassifier(rules=str(rules)).fit(docs, labels)
    rules.unlink()  # the fitted classifier keeps its rules
    doc = Document(id="e", title="Markets slide",
                   text="Stocks fell as investors sold shares and bond yields rose.")
    markets = next(lb for lb in clf.explain(doc) if lb.name == "markets")
    kinds = [e.kind for e in markets.evidence]
    assert kinds.index("sentence") < kinds.index("term")
    located = [e for e in markets.evidence if e.start is not None and e.kind == "term"]
    assert {e.text for e in located} >= {"Stocks", "investors"}
    for ev in located:  # rule matches carry offsets into the full text
        assert doc.full_text[ev.start:ev.end] == ev.text
    assert [b.name for b in clf.blocks_] == ["words", "static", "rules"]


class Length(EstimatorMixin):
    """A plugin's block: the story's length in thousands of characters."""

    name = "length"
    evidence_rank = 3

    def __init__(self, *, scale: float = 1000.0) -> None:
        self.scale = scale

    def fit_transform(self, documents: list[Document]) -> np.ndarray:
        self.width_ = 1
        return self._features(documents)

    def _features(self, documents: list[Document]) -> np.ndarray:
        return np.array([[len(d.full_text) / self.scale] for d in documents])

    @property
    def width(self) -> int:
        return self.width_

    def decision(self, documents: list[Document],
                 weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X = self._features(documents)
        return X @ weights, X[:, 0] > 0

    def evidence(self, document: Document, weights: np.ndarray, label: str,
                 slope: float) -> tuple[Evidence, ...]:
        return (Evidence(f"{len(document.full_text)} characters", weight=float(weights[0])),)


def test_a_plugin_block_joins_the_head() -> None:
    docs, labels = toy_corpus()
    clf = LinearClassifier(blocks=[Words(), Length()]).fit(docs, labels)
    assert [b.name for b in clf.blocks_] == ["words", "length"]
    assert clf.head_.W_.shape[0] == clf.blocks_[0].width + 1
    sport = clf.explain(Document(id="s", text="The striker scored in the cup final"))[0]
    assert sport.evidence[-1].text.endswith("characters")
    copy = clone(clf)
    assert not hasattr(copy, "blocks_") and len(copy.blocks) == 2


def test_fit_checks_its_arguments() -> None:
    docs, labels = toy_corpus()
    from newsclf import TrainingError

    with pytest.raises(TrainingError, match="documents but"):
        TfidfClassifier().fit(docs, labels[:-1])
    with pytest.raises(ValueError, match="list of label names"):
        EmbeddingClassifier().fit(docs, ["sport"] * len(docs))
    with pytest.raises(ValueError, match="no labelled documents"):
        HybridClassifier().fit(docs, [[] for _ in docs])


def test_explain_shows_no_place_as_a_topic_term() -> None:
    docs = [Document(id=f"d{i}", title="Saudi Arabia payments",
                     text=f"Saudi Arabia and China: payments {i} fintech wallets grew.")
            for i in range(8)] + [
        Document(id=f"e{i}", title="Cup final", text=f"The striker scored {i} goals.")
        for i in range(8)]
    labels = [["fintech"]] * 8 + [["sport"]] * 8
    clf = TfidfClassifier(min_df=1, folds=0).fit(docs, labels)
    (label,) = [lb for lb in clf.explain(docs[0]) if lb.name == "fintech"]
    terms = [e.text for e in label.evidence]
    assert {"payments", "fintech", "wallets"} <= set(terms)
    assert not {"saudi", "arabia", "china"} & set(terms)
