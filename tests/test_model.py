"""Saving and loading models: the manifest, atomic writes, every refusal, and model files
that name classifiers by registered name (so moving code never breaks them)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from newsclf import (
    Document,
    EstimatorMixin,
    Label,
    Model,
    ModelError,
    hookimpl,
    load_model,
    plugins,
    save_model,
)
from newsclf.classifiers.linear import TfidfClassifier
from newsclf.classifiers.regions import RegionClassifier
from newsclf.testing import check_classifier, toy_corpus
from newsclf.typing import RegisterClassifier


@pytest.fixture()
def model() -> Model:
    docs, labels = toy_corpus()
    return Model([TfidfClassifier().fit(docs, labels)], {"note": "test"})


def test_manifest_records_what_it_should(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    manifest = json.loads(save_model(model, path).read_text())
    assert manifest["kind"] == "newsclf-model" and manifest["format_version"] == 2
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
    with pytest.raises(ModelError, match="model format version 99; this newsclf reads "
                                         "version 2: train it again"):
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
    save_model(Model([*model.classifiers, RegionClassifier()]), path)
    loaded = load_model(path)
    docs = toy_corpus()[0][:4]
    assert [p.names() for p in loaded.predict(docs)] == [
        p.names() for p in Model([*model.classifiers, RegionClassifier()]).predict(docs)]


def test_predict_stream_in_batches_and_processes(model: Model) -> None:
    docs = toy_corpus()[0]
    expected = [p.names() for p in model.predict(docs)]
    assert [p.names() for p in model.predict_stream(iter(docs), batch_size=4)] == expected
    assert [p.names() for p in model.predict_stream(iter(docs), batch_size=5, jobs=2)] == \
        expected


class Centroid(EstimatorMixin):
    """A trainable classifier of a plugin: the label whose mean story length is closest."""

    name = "centroid"
    facet = "topic"

    def __init__(self, *, scale: float = 100.0) -> None:
        self.scale = scale

    def fit(self, documents: list[Document], labels: list[list[str]]) -> Centroid:
        docs, gold = self._validate_fit(documents, labels)
        lengths: dict[str, list[int]] = {}
        for doc, names in zip(docs, gold):
            for name in names:
                lengths.setdefault(name, []).append(len(doc.text))
        self.means_ = {name: sum(v) / len(v) for name, v in sorted(lengths.items())}
        return self

    def predict(self, documents: list[Document]) -> list[list[Label]]:
        self._check_fitted()
        out = []
        for doc in documents:
            name = min(self.means_, key=lambda n: abs(self.means_[n] - len(doc.text)))
            out.append([Label(name, self.facet, 0.5, self.name)])
        return out


class Moved(Centroid):
    """The same classifier after a refactor moved and renamed its class."""


@pytest.fixture()
def centroid_plugin() -> object:
    class Plugin:
        factory: object = Centroid

        @hookimpl
        def newsclf_register_classifiers(self, register: RegisterClassifier) -> None:
            register("centroid", lambda **params: self.factory(**params))  # type: ignore

    plugin = Plugin()
    pm = plugins.get_plugin_manager()
    pm.register(plugin, name="centroid-plugin")
    plugins.reset_registry(plugins.build_registry(pm, entry_points=False))
    yield plugin
    plugins.reset_registry()


def test_a_plugin_classifier_passes_the_contract(centroid_plugin: object,
                                                 tmp_path: Path) -> None:
    check_classifier(Centroid, tmp_path)


@pytest.mark.parametrize("suffix", [".joblib", ".skops"])
def test_model_files_name_classifiers_not_modules(centroid_plugin: object, tmp_path: Path,
                                                  suffix: str) -> None:
    docs, labels = toy_corpus()
    model = Model([Centroid().fit(docs, labels), TfidfClassifier().fit(docs, labels),
                   RegionClassifier()])
    path = tmp_path / f"m{suffix}"
    save_model(model, path)
    raw = path.read_bytes()
    import zlib

    plain = raw if suffix == ".skops" else zlib.decompress(raw[raw.index(b"x"):])
    assert b"newsclf.classifiers" not in plain and b"test_model" not in plain
    centroid_plugin.factory = Moved  # type: ignore[attr-defined]
    loaded = load_model(path)
    assert type(loaded.classifiers[0]) is Moved
    assert [p.names() for p in loaded.predict(docs)] == [p.names() for p in model.predict(docs)]


def test_resaving_writes_a_fresh_manifest(model: Model, tmp_path: Path) -> None:
    save_model(model, tmp_path / "a.joblib")
    loaded = load_model(tmp_path / "a.joblib")
    assert loaded.manifest is not None and loaded.manifest["file"] == "a.joblib"
    assert "file" not in loaded.metadata and "sha256" not in loaded.metadata
    manifest = json.loads(save_model(loaded, tmp_path / "b.skops").read_text())
    assert (manifest["file"], manifest["format"]) == ("b.skops", "skops")
    assert manifest["note"] == "test"


def test_an_older_state_version_is_refused(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    model.classifiers[0].state_version = 0  # type: ignore[attr-defined]
    save_model(model, path)
    with pytest.raises(ModelError, match="state version 0, this newsclf reads 1; train it"):
        load_model(path)


def test_an_unknown_classifier_name_is_refused(tmp_path: Path, centroid_plugin: object) -> None:
    docs, labels = toy_corpus()
    path = tmp_path / "m.joblib"
    save_model(Model([Centroid().fit(docs, labels)]), path)
    plugins.reset_registry(plugins.build_registry(entry_points=False))
    # the manifest names the plugin that made it, so the error says what to install
    with pytest.raises(ModelError, match=r"classifier 'centroid' comes from the plugin "
                                         r"'\S+' \(version \S+\), which is not installed: "
                                         r"pip install \S+$"):
        load_model(path)
