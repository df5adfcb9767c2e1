"""Reuters-21578 (ModApte training split): newsclf's tfidf against a plain scikit-learn
script, side by side in one run.

    python benchmarks/reuters.py ../shared/data/reuters/modapte_train.jsonl [--folds 5]
        [--param ngram_max=1 ...] [--skip-memory]
        [--classifier fasttext [--classifier-param epoch=50 ...]]

Prints micro/macro F1 by K-fold cross-validation (same folds for both), train seconds on
the whole file, batch predict docs/s, single-story predictions/s through the Python API,
model size and peak memory of a fit (tracemalloc). ``--classifier NAME`` adds any
registered classifier (a plugin's, such as ``fasttext``) to the same run, built through
the registry with ``--classifier-param`` values. Not a test: figures, not assertions.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import tracemalloc
from pathlib import Path

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

from newsclf.classifiers.linear import TfidfClassifier
from newsclf.classifiers.text import bag_of_words_text
from newsclf.metrics import score_labels
from newsclf.model import Model
from newsclf.plugins import get_registry
from newsclf.readers import read_inputs
from newsclf.types import gold_labels


class PlainScript:
    """What a hand-written scikit-learn script does: TF-IDF + one-vs-rest LinearSVC."""

    def __init__(self, class_weight: str | None = None) -> None:
        self.class_weight = class_weight

    def fit(self, docs, labels):  # type: ignore[no-untyped-def]
        self.mlb = MultiLabelBinarizer().fit(labels)
        self.vec = TfidfVectorizer(sublinear_tf=True, min_df=2)
        X = self.vec.fit_transform([bag_of_words_text(d, 1) for d in docs])
        self.clf = OneVsRestClassifier(LinearSVC(class_weight=self.class_weight))
        self.clf.fit(X, self.mlb.transform(labels))
        return self

    def predict_names(self, docs):  # type: ignore[no-untyped-def]
        X = self.vec.transform([bag_of_words_text(d, 1) for d in docs])
        return [list(r) for r in self.mlb.inverse_transform(self.clf.predict(X))]


def names_of(model, docs):  # type: ignore[no-untyped-def]
    if isinstance(model, PlainScript):
        return model.predict_names(docs)
    return [[lb.name for lb in labs] for labs in model.predict(docs)]


def parse_params(items: list[str]) -> dict[str, object]:
    params: dict[str, object] = {}
    for item in items:
        k, _, v = item.partition("=")
        try:
            params[k] = json.loads(v)
        except ValueError:
            params[k] = v
    return params


def size_of(obj) -> int:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    joblib.dump(obj, buf, compress=3)
    return buf.tell()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--labels", default="topics")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--param", action="append", default=[])
    ap.add_argument("--classifier", action="append", default=[],
                    help="also run this registered classifier (a plugin's)")
    ap.add_argument("--classifier-param", action="append", default=[])
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    params, extra_params = parse_params(args.param), parse_params(args.classifier_param)
    docs = list(read_inputs([args.data]))
    labels = [gold_labels(d, args.labels) or [] for d in docs]
    systems = {
        "sklearn LinearSVC": lambda: PlainScript(),
        "sklearn LinearSVC balanced": lambda: PlainScript("balanced"),
        "newsclf tfidf": lambda: TfidfClassifier(**params),
    }
    registry = get_registry()
    for name in args.classifier:
        systems[f"newsclf {name}"] = (
            lambda name=name: registry.classifier(name)(**extra_params))
    results: dict[str, dict[str, float]] = {name: {} for name in systems}
    folds = list(KFold(args.folds, shuffle=True, random_state=0).split(docs))
    for name, make in systems.items():
        gold, pred = [], []
        for train_idx, test_idx in folds:
            m = make().fit([docs[i] for i in train_idx], [labels[i] for i in train_idx])
            test = [docs[i] for i in test_idx]
            pred += names_of(m, test)
            gold += [labels[i] for i in test_idx]
        metrics = score_labels(gold, pred)
        results[name]["cv_micro_f1"] = metrics.micro["f1"]
        results[name]["cv_macro_f1"] = metrics.macro["f1"]
        print(f"{name}: CV done", file=sys.stderr)
    for name, make in systems.items():
        t = time.perf_counter()
        m = make().fit(docs, labels)
        results[name]["train_s"] = time.perf_counter() - t
        t = time.perf_counter()
        names_of(m, docs)
        results[name]["batch_docs_per_s"] = len(docs) / (time.perf_counter() - t)
        sample = docs[:300]
        if isinstance(m, PlainScript):
            t = time.perf_counter()
            for d in sample:
                m.predict_names([d])
        else:
            model = Model([m])
            t = time.perf_counter()
            for d in sample:
                model.predict([d])
        results[name]["single_per_s"] = len(sample) / (time.perf_counter() - t)
        results[name]["model_mb"] = size_of(m) / 1e6
        if not args.skip_memory:
            tracemalloc.start()
            make().fit(docs, labels)
            results[name]["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
        print(f"{name}: timing done", file=sys.stderr)
    base = results["sklearn LinearSVC"]
    cols = ["cv_micro_f1", "cv_macro_f1", "train_s", "batch_docs_per_s", "single_per_s",
            "model_mb", "peak_mb"]
    print(f"{len(docs)} documents, {len({x for ls in labels for x in ls})} labels, "
          f"{args.folds}-fold CV; newsclf params: {params or 'defaults'}")
    print(f"{'system':<28}" + "".join(f"{c:>17}" for c in cols))
    for name, row in results.items():
        print(f"{name:<28}" + "".join(
            f"{row[c]:>17.3f}" if c in row else f"{'-':>17}" for c in cols))
    print("ratios to the plain script: " + ", ".join(
        f"{c} x{results['newsclf tfidf'][c] / base[c]:.2f}" for c in
        ("train_s", "batch_docs_per_s", "single_per_s") if c in base))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
