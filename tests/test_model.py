"""Saving and loading models: the manifest, atomic writes, and every refusal."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from newsclf import Model, ModelError, load_model, save_model
from newsclf.classifiers.regions import RegionTagger
from newsclf.classifiers.tfidf import TfidfClassifier
from newsclf.testing import toy_corpus


@pytest.fixture()
def model() -> Model:
    docs, labels = toy_corpus()
    return Model([TfidfClassifier().fit(docs, labels)], {"note": "test"})


def test_manifest_records_what_it_should(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    manifest = json.loads(save_model(model, path).read_text())
    assert manifest["kind"] == "newsclf-model" and manifest["format_version"] == 1
    assert {"newsclf", "scikit-learn", "python"} <= set(manifest["versions"])
    assert manifest["classifiers"][0]["name"] == "tfidf"
    assert manifest["classifiers"][0]["params"]["C"] == 0.5
    assert manifest["labels"] == {"tfidf": ["markets", "sport"]}
    assert len(manifest["sha256"]) == 64 and manifest["note"] == "test"
    loaded = load_model(path)
    assert loaded.metadata["note"] == "test"
    assert [p.names() for p in loaded.predict(toy_corpus()[0][:3])] == \
        [p.names() for p in model.predict(toy_corpus()[0][:3])]


def test_refuses_tampered_file_before_unpickling(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    save_model(model, path)
    path.write_bytes(path.read_bytes() + b"evil")
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        load_model(path)


def test_refuses_missing_manifest_and_unknown_format(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    save_model(model, path)
    manifest = path.with_suffix(".json")
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "format_version": 99}))
    with pytest.raises(ModelError, match="unknown model format version 99"):
        load_model(path)
    manifest.unlink()
    with pytest.raises(ModelError, match=r"no manifest m\.json"):
        load_model(path)
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "none.joblib")


def test_refuses_a_non_model_file(tmp_path: Path) -> None:
    path = tmp_path / "data.joblib"
    path.write_text("not a model")
    path.with_suffix(".json").write_text('{"some": "json"}')
    with pytest.raises(ModelError, match="not a newsclf model manifest"):
        load_model(path)


def test_never_overwrites_a_file_that_is_not_a_model(model: Model, tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text("precious")
    with pytest.raises(ModelError, match="not overwriting"):
        save_model(model, tmp_path / "data.joblib")
    assert data.read_text() == "precious"
    with pytest.raises(ModelError, match=r"must end in \.joblib or \.skops"):
        save_model(model, tmp_path / "data.jsonl")
    again = tmp_path / "m.joblib"
    save_model(model, again)
    save_model(model, again)  # replacing our own model is fine
    assert not list(tmp_path.glob(".*tmp"))


def test_sklearn_version_mismatch_warns(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    save_model(model, path)
    manifest = path.with_suffix(".json")
    data = json.loads(manifest.read_text())
    data["versions"]["scikit-learn"] = "0.0.1"
    manifest.write_text(json.dumps(data))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_model(path)
    assert any("trained with scikit-learn 0.0.1" in str(w.message) for w in caught)


def test_skops_safe_format_round_trip(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "m.skops"
    save_model(Model([*model.classifiers, RegionTagger()]), path)
    loaded = load_model(path)
    docs = toy_corpus()[0][:4]
    assert [p.names() for p in loaded.predict(docs)] == [
        p.names() for p in Model([*model.classifiers, RegionTagger()]).predict(docs)]


def test_predict_stream_in_batches_and_processes(model: Model) -> None:
    docs = toy_corpus()[0]
    expected = [p.names() for p in model.predict(docs)]
    assert [p.names() for p in model.predict_stream(iter(docs), batch_size=4)] == expected
    assert [p.names() for p in model.predict_stream(iter(docs), batch_size=5, jobs=2)] == \
        expected
