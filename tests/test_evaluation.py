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


def test_evaluate_by_a_field() -> None:
    from newsclf.metrics import format_metrics

    model, records = _model_and_records()
    long_a, long_b = "a-long-outlet-name-" * 4 + "one", "a-long-outlet-name-" * 4 + "two"
    grouped = [Document(id=d.id, text=d.text, title=d.title,
                        meta={**d.meta, "site": long_a if i % 2 else long_b})
               for i, d in enumerate(records)]
    off = [Document(id=f"w{i}", text="zzz qqq", meta={"topics": [], "site": "weather"})
           for i in range(3)]  # no gold topic, none predicted: right, not F1 0
    metrics = evaluate(model, grouped + off, labels_field="topics", by="site")
    weather = metrics.groups["weather"]
    assert weather.decisions == 0 and weather.exact == 1.0
    table = format_metrics(metrics.to_dict())
    (row,) = [line for line in table.splitlines() if line.strip().startswith("weather")]
    assert "micro-F1     –  macro-F1     –  exact 1.000  (3 documents)" in row
    assert f"  {long_a} " in table and f"  {long_b} " in table  # names are not cut
    with pytest.raises(ConfigError, match=r"--by id: \d+ values for \d+ records \(nearly one "
                                          r"per record\)"):
        evaluate(model, records, labels_field="topics", by="id")
