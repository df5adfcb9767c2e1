"""The trainer: gold labels from a record field, cross-validated metrics in the model's
metadata, and clear refusals."""

from __future__ import annotations

import pytest

from newsclf import ConfigError, Document, TrainingError, train
from newsclf.testing import toy_corpus
from newsclf.training import fingerprint
from newsclf.types import gold_labels


def _records() -> list[Document]:
    docs, labels = toy_corpus()
    return [Document(id=d.id, text=d.text, title=d.title, meta={"topics": labs})
            for d, labs in zip(docs, labels)]


@pytest.mark.parametrize("value, expected", [
    (["a", "b"], ["a", "b"]), ("a;b", ["a", "b"]), ("a|b", ["a", "b"]),
    ('["a", "b"]', ["a", "b"]), ("", []), (None, []), ("single", ["single"]),
])
def test_gold_labels_from_lists_and_strings(value: object, expected: list[str]) -> None:
    assert gold_labels(Document(id="1", text="t", meta={"f": value}), "f") == expected


def test_missing_field_is_none() -> None:
    assert gold_labels(Document(id="1", text="t"), "f") is None


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
