"""Evaluating a model on labelled records: the facet's labels scored against the gold
field, and clear refusals."""

from __future__ import annotations

import pytest

from newsclf import ConfigError, Document, InputError, Model
from newsclf.classifiers.linear import TfidfClassifier
from newsclf.evaluation import evaluate
from newsclf.testing import toy_corpus


def _model_and_records() -> tuple[Model, list[Document]]:
    docs, labels = toy_corpus()
    model = Model([TfidfClassifier().fit(docs, labels)])
    records = [Document(id=d.id, text=d.text, title=d.title, meta={"topics": g})
               for d, g in zip(docs, labels)]
    return model, records


def test_evaluate_scores_the_facet_against_the_field() -> None:
    model, records = _model_and_records()
    metrics = evaluate(model, records, labels_field="topics", batch_size=5)
    assert metrics.documents == len(records) and metrics.micro["f1"] > 0.9


def test_evaluate_refuses_a_missing_field_and_an_unknown_facet() -> None:
    model, records = _model_and_records()
    with pytest.raises(InputError, match="no label field 'nope'"):
        evaluate(model, records, labels_field="nope")
    with pytest.raises(ConfigError, match="gives no labels of facet 'country'"):
        evaluate(model, records, labels_field="topics", facet="country")
