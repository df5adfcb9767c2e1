"""Metrics: per-label, micro and macro precision/recall/F1, confused pairs, the table."""

from __future__ import annotations

import pytest

from newsclf.metrics import format_metrics, score_labels


def test_micro_macro_and_per_label() -> None:
    gold = [["a"], ["a", "b"], ["b"], []]
    pred = [["a"], ["a"], ["b", "c"], ["c"]]
    m = score_labels(gold, pred)
    assert m.per_label["a"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert m.per_label["b"]["recall"] == 0.5 and m.per_label["b"]["precision"] == 1.0
    assert set(m.per_label) == {"a", "b"}  # macro over gold labels
    assert m.micro["precision"] == pytest.approx(3 / 5)
    assert m.micro["recall"] == pytest.approx(3 / 4)
    assert m.macro["f1"] == pytest.approx((1.0 + 2 / 3) / 2)
    assert m.confused == []  # "b" was missed where nothing wrong was given
    data = m.to_dict()
    assert {"micro_f1", "macro_f1", "per_label"} <= set(data)


def test_confused_pairs() -> None:
    m = score_labels([["trade"], ["trade"]], [["economy"], ["economy"]])
    assert m.confused == [("trade", "economy", 2)]


def test_table() -> None:
    m = score_labels([["a"], ["b"]], [["a"], ["a"]])
    table = format_metrics(m.to_dict())
    assert table.splitlines()[0].split() == ["label", "prec", "rec", "f1", "support"]
    assert "macro avg" in table
