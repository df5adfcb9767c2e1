"""The shipped default model: it loads, labels the seed stories close to the labels we
gave them by hand (seeds/labels.json; the model never saw the seeds), and importing
newsclf does not load it or scikit-learn."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newsclf import load_default_model, read_inputs
from newsclf.metrics import score_labels

ROOT = Path(__file__).resolve().parents[1]


def test_default_model_agrees_with_hand_labels_on_the_seeds() -> None:
    gold = {row["id"]: row for row in
            json.loads((ROOT / "seeds" / "labels.json").read_text(encoding="utf-8"))}
    docs = list(read_inputs([ROOT / "seeds"]))
    assert {d.id for d in docs} == set(gold)
    predictions = load_default_model().predict(docs)
    topics = score_labels([gold[p.document_id]["topics"] for p in predictions],
                          [p.names("topic") for p in predictions])
    countries = score_labels([gold[p.document_id]["countries"] for p in predictions],
                             [p.names("country") for p in predictions])
    assert topics.micro["f1"] >= 0.75, topics.to_dict()
    assert countries.micro["f1"] >= 0.8, countries.to_dict()
    for p in predictions:
        assert p.by_facet("region") or not p.by_facet("country")


def test_manifest_describes_the_model() -> None:
    manifest = json.loads((ROOT / "models" / "default.json").read_text())
    assert [c["name"] for c in manifest["classifiers"]] == ["hybrid", "regions"]
    assert set(manifest["cv_metrics"]["per_label"]) == {
        "ai_capex", "trade", "security", "politics", "economy", "technology"}


def test_import_is_light() -> None:
    code = ("import sys, newsclf; heavy = [m for m in ('sklearn', 'joblib', 'numpy', "
            "'model2vec', 'trafilatura') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_predicting_one_story_needs_neither_sklearn_nor_scipy() -> None:
    code = ("import sys, newsclf; m = newsclf.load_default_model(); "
            "p = m.predict([newsclf.Document(id='1', title='Tokyo raises tariffs', "
            "text='Japan raised tariffs on steel imports.')]); "
            "print(sorted(m for m in ('sklearn', 'scipy', 'torch') if m in sys.modules), "
            "p[0].names('country'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[] ['JP']"
