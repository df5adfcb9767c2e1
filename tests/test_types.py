"""Documents, labels and predictions: frozen, validated, and round-trip through JSON."""

from __future__ import annotations

import dataclasses
import json

import pytest

from newsclf import Document, Evidence, InputError, Label, Prediction
from newsclf.types import gold_labels, story_id


def test_document_round_trip_keeps_unknown_fields_in_meta() -> None:
    record = {"id": "7", "title": "T", "text": "Body.", "source": "Wire",
              "topics": ["trade"], "lang": "en"}
    doc = Document.from_dict(record)
    assert doc.meta == {"topics": ["trade"], "lang": "en"}
    again = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert again == doc and again.meta == doc.meta


def test_document_is_frozen_and_meta_read_only() -> None:
    doc = Document(id="1", text="x", meta={"a": 1})
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "y"  # type: ignore[misc]
    with pytest.raises(TypeError):
        doc.meta["a"] = 2  # type: ignore[index]


@pytest.mark.parametrize("record, reason", [
    ({"id": "1"}, "no text field"),
    ({"text": 3}, "must be a string"),
])
def test_document_refuses_records_without_text(record: dict[str, object], reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        Document.from_dict(record)


def test_an_empty_record_is_an_empty_story() -> None:
    doc = Document.from_dict({"id": "e", "text": "   "})
    assert doc.is_empty and not Document.from_dict({"text": "", "title": "T"}).is_empty


def test_headline_only_record_is_a_document() -> None:
    assert Document.from_dict({"title": "RATES RISE", "text": ""}).title == "RATES RISE"


def test_label_round_trip_and_validation() -> None:
    label = Label("JP", "country", 0.75, "regions", (Evidence("Japan", 3, 8, kind="name"),))
    assert Label.from_dict(label.to_dict()) == label
    with pytest.raises(ValueError):
        Label("x", score=1.5)
    with pytest.raises(ValueError):
        Label("", score=0.5)


def test_prediction_by_facet_and_round_trip() -> None:
    p = Prediction("d1", (Label("trade", score=0.6), Label("economy", score=0.9),
                          Label("JP", "country", 0.8)), title="T")
    assert [lb.name for lb in p.by_facet("topic")] == ["economy", "trade"]
    assert p.names("country") == ["JP"]
    assert Prediction.from_dict(p.to_dict()) == p
    assert p.to_dict()["id"] == "d1"


@pytest.mark.parametrize("value, expected", [
    (["a", "b"], ["a", "b"]), ("a;b", ["a", "b"]), ("a|b", ["a", "b"]),
    ('["a", "b"]', ["a", "b"]), ("", []), (None, []), ("single", ["single"]),
])
def test_gold_labels_from_lists_and_strings(value: object, expected: list[str]) -> None:
    assert gold_labels(Document(id="1", text="t", meta={"f": value}), "f") == expected


def test_missing_field_is_none() -> None:
    assert gold_labels(Document(id="1", text="t"), "f") is None


def test_story_id_is_stable_and_short() -> None:
    assert story_id("Title", "Text") == story_id("Title", "Text")
    assert len(story_id("Title", "Text")) == 16 and story_id("a", "b") != story_id("b", "a")


def test_body_start() -> None:
    doc = Document(id="1", title="Title", text="Body")
    assert doc.full_text[doc.body_start:] == "Body"
    assert Document(id="2", text="Body").body_start == 0
