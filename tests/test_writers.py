"""Writers: JSONL, CSV and the table, exact output for fixed predictions."""

from __future__ import annotations

import io

import pytest

from newsclf import Evidence, Label, Prediction
from newsclf.writers import write_predictions

PREDICTION = Prediction("d1", (
    Label("trade", "topic", 0.9, "hybrid", (Evidence("tariffs", 0, 7, 1.2, "term"),)),
    Label("economy", "topic", 0.6, "hybrid"),
    Label("JP", "country", 0.7, "regions", (Evidence("Japan", 10, 15, kind="name"),)),
    Label("Eastern Asia", "region", 0.7, "regions"),
), title="Japan raises tariffs")


def test_jsonl() -> None:
    out = io.StringIO()
    assert write_predictions([PREDICTION], out, "jsonl") == 1
    assert out.getvalue().startswith('{"id": "d1", "title": "Japan raises tariffs", "labels": '
                                     '[{"name": "trade", "facet": "topic", "score": 0.9,')


def test_csv() -> None:
    out = io.StringIO()
    write_predictions([PREDICTION], out, "csv")
    assert out.getvalue() == ("id,title,topics,topic_scores,countries,regions\n"
                              "d1,Japan raises tariffs,trade;economy,0.900;0.600,JP,"
                              "Eastern Asia\n")


def test_table_with_evidence() -> None:
    out = io.StringIO()
    write_predictions([PREDICTION], out, "table", explain=True)
    assert out.getvalue() == (
        "Japan raises tariffs\n"
        "   topics: trade 0.90, economy 0.60\n"
        "countries: JP\n"
        "  regions: Eastern Asia\n"
        "    topic trade: tariffs\n"
        "    country JP: Japan\n"
        "\n")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format"):
        write_predictions([PREDICTION], io.StringIO(), "xml")
