"""The trainer: gold labels from a record field, cross-validated metrics in the model's
metadata, and clear refusals."""

from __future__ import annotations

import pytest

from newsclf import ConfigError, Document, TrainingError, train
from newsclf.testing import toy_corpus
from newsclf.training import fingerprint


def _records() -> list[Document]:
    docs, labels = toy_corpus()
    return [Document(id=d.id, text=d.text, title=d.title, meta={"topics": labs})
            for d, labs in zip(docs, labels)]


def test_train_records_fingerprint_counts_and_cv_metrics() -> None:
    model = train(_records(), classifier="tfidf", labels_field="topics", folds=3)
    meta = model.metadata
    assert meta["training"]["records"] == 33
    assert meta["training"]["label_counts"] == {"markets": 17, "sport": 17}
    assert meta["training"]["fingerprint"] == fingerprint(_records())
    cv = meta["cv_metrics"]
    assert set(cv["per_label"]) == {"markets", "sport"} and cv["macro_f1"] > 0.8


def test_refusals() -> None:
    with pytest.raises(TrainingError, match="no records"):
        train([], labels_field="topics")
    with pytest.raises(TrainingError, match="no record has the label field 'nope'"):
        train(_records(), labels_field="nope")
    one = [Document(id=str(i), text="t", meta={"y": ["a"]}) for i in range(10)]
    with pytest.raises(TrainingError, match="single class"):
        train(one, labels_field="y")
    with pytest.raises(ConfigError, match=r"unknown classifier 'nope' \(known:"):
        train(_records(), classifier="nope", labels_field="topics")
    with pytest.raises(ConfigError, match="nothing to train"):
        train(_records(), classifier="regions", labels_field="topics")
    with pytest.raises(ConfigError, match="classifier 'tfidf'"):
        train(_records(), labels_field="topics", params={"bogus": 1})


class _Unclonable:
    """A trainable classifier whose __init__ renames its parameter: scikit-learn's
    clone cannot rebuild it."""

    name = "unclonable"
    facet = "topic"
    trainable = True

    def __init__(self, *, C: float = 1.0) -> None:
        self.strength = C

    def get_params(self, deep: bool = True) -> dict[str, float]:
        return {"C": self.strength * 2}

    def set_params(self, **params: float) -> _Unclonable:
        return self

    def fit(self, documents: object, labels: object) -> _Unclonable:
        return self

    def predict(self, documents: list[Document]) -> list[list[object]]:
        return [[] for _ in documents]


def test_a_classifier_that_cannot_be_cloned_is_a_config_error() -> None:
    docs, labels = toy_corpus()
    records = [Document(id=d.id, text=d.text, meta={"labels": g}) for d, g in zip(docs, labels)]
    with pytest.raises(ConfigError, match="'unclonable' cannot be cloned for cross-validation"):
        train(records, classifier=_Unclonable(), folds=3)  # type: ignore[arg-type]
