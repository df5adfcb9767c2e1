"""Self-training: confidence cuts from out-of-fold scores, pseudo-labels only where every
label is decided, and kept only when cross-validation says they help."""

from __future__ import annotations

import numpy as np

from newsclf import Document
from newsclf.classifiers.linear import TfidfClassifier
from newsclf.selftraining import confidence_cuts, pseudo_label, self_train
from newsclf.testing import toy_corpus


def test_confidence_cuts() -> None:
    scores = np.array([[0.9], [0.8], [0.7], [0.6], [0.5], [0.4], [0.3], [0.2], [0.1], [0.05]])
    Y = np.array([[1], [1], [1], [1], [1], [0], [0], [0], [0], [0]])
    cuts = confidence_cuts(scores, Y, ["a"], precision=0.95, min_support=3)
    assert cuts.accept[0] == 0.5 and cuts.reject[0] == 0.4


def test_pseudo_labels_only_decided_stories() -> None:
    docs, labels = toy_corpus()
    clf = TfidfClassifier().fit(docs, labels)
    cuts = confidence_cuts(clf.predict_scores(docs), np.array(
        [[int("markets" in g), int("sport" in g)] for g in labels]), clf.labels_, 0.9, 3)
    extra, gold = pseudo_label(clf, [Document(id="x", text="The striker scored a goal"),
                                     Document(id="y", text="zzz qqq")], cuts, 10)
    assert [d.id for d in extra] == ["x"] and "sport" in gold[0]  # "y" has no known word


def test_self_train_reports_and_decides() -> None:
    docs, labels = toy_corpus(repeat=3)
    unlabelled = [Document(id=f"u{i}", text=t) for i, t in enumerate(
        ["The goalkeeper saved a penalty in the league match",
         "Investors sold bonds as rates rose", "The striker scored twice in the cup"] * 3)]
    clf, report = self_train(TfidfClassifier, docs, labels, unlabelled, folds=3)
    assert set(report) >= {"cv_macro_f1_without", "cv_macro_f1_with", "kept",
                           "pseudo_labelled", "pseudo_labelled_per_fold"}
    assert report["kept"] == (report["cv_macro_f1_with"] > report["cv_macro_f1_without"])
    assert clf.predict([Document(id="p", text="The striker scored")])[0][0].name == "sport"
