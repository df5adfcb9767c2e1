"""Cross-validated comparison of the topic classifiers on the default taxonomy's
training data (tune here, never on a test split).

    python benchmarks/topics.py ../shared/data/topics/train.jsonl [--folds 5]
        [--only tfidf,embeddings,...] [--grouped [--grouped-seed K]]

For each configuration: per-label F1 and micro/macro F1 from K-fold (multi-label
stratified) cross-validation, training seconds, batch docs/s and one-at-a-time docs/s.

``--by-source`` instead holds out one source dataset at a time (the part of ``source``
before ``:``), trains on the others and pools the held-out predictions: a closer stand-in
for stories from outlets and years the model never saw.

``--grouped`` is the comparison that chooses the default model: for each configuration,
macro/micro-F1 and expected calibration error by 5 folds that never split an outlet (the
outlets of ``benchmarks/outlets.py``), macro-F1 by 5 random folds, and stories/s of the
fitted classifier, and the off-taxonomy false-positive rate: the share of the stories
labelled with none of the six topics (sport, crime, culture, …) that get a topic out of
(grouped) fold.

``--seeds N`` repeats the figures with N seeds (the CV folds and the classifiers'
``random_state``) and prints mean ± standard deviation of micro- and macro-F1 instead.
"""

from __future__ import annotations

import argparse
import time

from outlets import with_outlets

from newsclf.metrics import calibration, score_labels
from newsclf.model import Model
from newsclf.outlets import grouped_folds
from newsclf.plugins import create_classifier
from newsclf.readers import read_inputs
from newsclf.training import cross_validate
from newsclf.types import gold_labels

CONFIGS: dict[str, tuple[str, dict[str, object]]] = {
    "tfidf": ("tfidf", {"ngram_max": 2, "folds": 5}),
    "tfidf-unigram": ("tfidf", {}),
    "tfidf-logistic": ("tfidf", {"model": "logistic", "C": 8.0}),
    "embeddings-256": ("embeddings", {}),
    "embeddings-128": ("embeddings", {"dims": 128}),
    "embeddings-svm": ("embeddings", {"model": "svm", "C": 0.5}),
    "hybrid": ("hybrid", {"dense_weight": 1.0, "rules_weight": 0.0, "ngram_max": 2}),
    "hybrid-dense2": ("hybrid", {"rules_weight": 0.0, "ngram_max": 2}),
    "hybrid-rules": ("hybrid", {"ngram_max": 2}),
    "tfidf-rules": ("hybrid", {"dense_weight": 0.0, "ngram_max": 2}),
    "hybrid-rules2": ("hybrid", {"rules_weight": 2.0, "ngram_max": 2}),
    "hybrid-d3-rules": ("hybrid", {"dense_weight": 3.0, "ngram_max": 2}),
    "hybrid-rules-C1": ("hybrid", {"C": 1.0, "ngram_max": 2}),
    "hybrid-rules-uni": ("hybrid", {}),  # the default model's configuration
    "hybrid-repeats3": ("hybrid", {"repeats": 3}),
    "hybrid-repeats5": ("hybrid", {"repeats": 5}),
    "hybrid-rules3": ("hybrid", {"rules_weight": 3.0}),
    "hybrid-rules3-C0.2": ("hybrid", {"rules_weight": 3.0, "C": 0.2}),
    "hybrid-rules2-d1": ("hybrid", {"rules_weight": 2.0, "dense_weight": 1.0}),
    "hybrid-rules5": ("hybrid", {"rules_weight": 5.0}),
    "hybrid-rules1.5": ("hybrid", {"rules_weight": 1.5}),
    "hybrid-d3": ("hybrid", {"dense_weight": 3.0}),
    "hybrid-C1": ("hybrid", {"C": 1.0}),
    "hybrid-C0.3": ("hybrid", {"C": 0.3}),
    "hybrid-title3": ("hybrid", {"title_weight": 3}),
    "hybrid-logistic": ("hybrid", {"model": "logistic", "C": 4.0}),
    "default": ("hybrid", {"repeats": 3}),
    "default-grouped": ("hybrid", {"repeats": 3, "group_by": "outlet"}),
    "grouped-r1": ("hybrid", {"group_by": "outlet"}),
    "raw-r1": ("hybrid", {"clean": False, "abstain": False}),
    "raw-abstain-r1": ("hybrid", {"clean": False}),
    "abstain-r1": ("hybrid", {}),
    "clean-r1": ("hybrid", {"abstain": False}),
    "clean-grouped-r1": ("hybrid", {"group_by": "outlet"}),
    "balance0.5-r1": ("hybrid", {"group_by": "outlet", "group_balance": 0.5}),
    "balance1-r1": ("hybrid", {"group_by": "outlet", "group_balance": 1.0}),
    "rules2-grouped-r1": ("hybrid", {"group_by": "outlet", "rules_weight": 2.0}),
    "rules3-grouped-r1": ("hybrid", {"group_by": "outlet", "rules_weight": 3.0}),
    "rules2-r1": ("hybrid", {"rules_weight": 2.0}),
    "rules0-r1": ("hybrid", {"rules_weight": 0.0}),
    "title3-r1": ("hybrid", {"title_weight": 3}),
    "title1-r1": ("hybrid", {"title_weight": 1}),
    "C1-r1": ("hybrid", {"C": 1.0}),
    "dense3-r1": ("hybrid", {"dense_weight": 3.0}),
    "lead1-t1-r1": ("hybrid", {"title_weight": 1, "lead_weight": 1.0}),
    "lead2-t1-r1": ("hybrid", {"title_weight": 1, "lead_weight": 2.0}),
    "lead1-300-t1-r1": ("hybrid", {"title_weight": 1, "lead_weight": 1.0, "lead_chars": 300}),
    "t1-C1-r1": ("hybrid", {"title_weight": 1, "C": 1.0}),
    "t1-d3-r1": ("hybrid", {"title_weight": 1, "dense_weight": 3.0}),
    "t1-r3": ("hybrid", {"title_weight": 1, "repeats": 3}),
    "t2-r3": ("hybrid", {"title_weight": 2, "repeats": 3}),
    "old-default": ("hybrid", {"title_weight": 2, "repeats": 3, "clean": False,
                               "abstain": False}),
}
UNTRAINED = ("keywords", "zeroshot")


def spread(values: list[float]) -> str:
    import statistics

    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


def seeds_table(docs, labels, only, seeds, folds, held_out):  # type: ignore[no-untyped-def]
    """Mean ± sd over seeds of micro/macro-F1, by K-fold CV or by held-out source."""
    for name, (clf_name, params) in CONFIGS.items():
        if only and name not in only:
            continue
        micro, macro = [], []
        for seed in range(seeds):
            clf = create_classifier(clf_name, **{**params, "random_state": seed})
            if held_out:
                m = held_out_sources(docs, labels, clf)
            else:
                m = cross_validate(clf, docs, labels, folds, seed=seed)
            micro.append(m["micro_f1"])
            macro.append(m["macro_f1"])
        kind = "held-out sources" if held_out else f"{folds}-fold CV"
        print(f"{name:<18} {kind}, {seeds} seeds: micro {spread(micro)}  macro "
              f"{spread(macro)}", flush=True)


def held_out_sources(docs, labels, clf):  # type: ignore[no-untyped-def]
    from sklearn.base import clone

    groups = [str(d.source or "").split(":")[0] for d in docs]
    pred: list[list[str]] = [[] for _ in docs]
    for held in sorted(set(groups)):
        test = [i for i, g in enumerate(groups) if g == held]
        train = [i for i, g in enumerate(groups) if g != held]
        fitted = clone(clf).fit([docs[i] for i in train], [labels[i] for i in train])
        for i, labs in zip(test, fitted.predict([docs[i] for i in test])):
            pred[i] = [lb.name for lb in labs]
    return score_labels(labels, pred).to_dict()


def by_source(docs, labels, only):  # type: ignore[no-untyped-def]
    groups = [str(d.source or "").split(":")[0] for d in docs]
    names = sorted(set(groups))
    print("held-out sources: " + ", ".join(f"{n} ({groups.count(n)})" for n in names))
    for name in list(UNTRAINED) + list(CONFIGS):
        if only and name not in only:
            continue
        pred: list[list[str]] = [[] for _ in docs]
        for held in names:
            test = [i for i, g in enumerate(groups) if g == held]
            train = [i for i, g in enumerate(groups) if g != held]
            if name in UNTRAINED:
                clf = create_classifier(name)
            else:
                clf_name, params = CONFIGS[name]
                clf = create_classifier(clf_name, **params).fit(
                    [docs[i] for i in train], [labels[i] for i in train])
            for i, labs in zip(test, clf.predict([docs[i] for i in test])):
                pred[i] = [lb.name for lb in labs]
        m = score_labels(labels, pred).to_dict()
        per = " ".join(f"{k}={v['f1']:.3f}" for k, v in m["per_label"].items())
        print(f"{name:<18} micro {m['micro_f1']:.3f} macro {m['macro_f1']:.3f}  {per}",
              flush=True)


def oof_figures(clf, docs, labels, splits):  # type: ignore[no-untyped-def]
    """Out-of-fold labels and scores pooled over ``splits``: (metrics, ECE)."""
    from sklearn.base import clone

    pred: list[list[str]] = [[] for _ in docs]
    scores: list[float] = []
    truth: list[bool] = []
    for train, test in splits:
        fitted = clone(clf).fit([docs[i] for i in train], [labels[i] for i in train])
        test_docs = [docs[i] for i in test]
        for i, labs in zip(test, fitted.predict(test_docs)):
            pred[i] = [lb.name for lb in labs]
        for i, row in zip(test, fitted.predict_scores(test_docs)):
            for name, score in zip(fitted.labels_, row):
                scores.append(float(score))
                truth.append(name in labels[i])
    off = [bool(p) for p, g in zip(pred, labels) if not g]
    fp = sum(off) / max(1, len(off))
    return score_labels(labels, pred).to_dict(), calibration(scores, truth)["ece"], fp


def grouped_table(docs, labels, only, folds, seed=0):  # type: ignore[no-untyped-def]
    from newsclf.classifiers.head import labels_matrix, multilabel_folds

    groups = [d.meta["outlet"] for d in docs]
    grouped = grouped_folds(groups, folds, seed)
    classes = sorted({x for ls in labels for x in ls})
    random = multilabel_folds(labels_matrix(labels, classes), folds, 0)
    print(f"{len(docs)} stories, {len(set(groups))} outlets; {folds} grouped folds of "
          + ", ".join(str(len(t)) for _, t in grouped) + " stories")
    print(f"{'config':<24}{'grp macro':>10}{'grp micro':>10}{'grp ECE':>8}"
          f"{'rnd macro':>10}{'stories/s':>10}{'off-tax FP':>11}  worst grouped labels")
    for name, (clf_name, params) in CONFIGS.items():
        if only and name not in only:
            continue
        clf = create_classifier(clf_name, **params)
        g, ece, fp = oof_figures(clf, docs, labels, grouped)
        r, _, _ = oof_figures(clf, docs, labels, random)
        fitted = clf.fit(docs, labels)
        model = Model([fitted])
        t = time.perf_counter()
        for k in range(0, len(docs), 256):
            model.predict(docs[k:k + 256])
        rate = len(docs) / (time.perf_counter() - t)
        worst = sorted(g["per_label"].items(), key=lambda kv: kv[1]["f1"])[:3]
        print(f"{name:<24}{g['macro_f1']:>10.3f}{g['micro_f1']:>10.3f}{ece:>8.3f}"
              f"{r['macro_f1']:>10.3f}{rate:>10.0f}{fp:>11.3f}  "
              + " ".join(f"{k}={v['f1']:.3f}" for k, v in worst), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--labels", default="topics")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--by-source", action="store_true")
    ap.add_argument("--seeds", type=int, default=0)
    ap.add_argument("--grouped", action="store_true")
    ap.add_argument("--grouped-seed", type=int, default=0,
                    help="which assignment of outlets to grouped folds (default 0)")
    args = ap.parse_args()
    docs = list(with_outlets(read_inputs([args.data])))
    labels = [gold_labels(d, args.labels) or [] for d in docs]
    only = set(filter(None, args.only.split(",")))
    if args.grouped:
        grouped_table(docs, labels, only, args.folds, args.grouped_seed)
        return
    if args.seeds:
        seeds_table(docs, labels, only, args.seeds, args.folds, args.by_source)
        return
    if args.by_source:
        by_source(docs, labels, only)
        return
    rows = {}
    sizes: dict[str, float] = {}
    for name in UNTRAINED:
        if only and name not in only:
            continue
        clf = create_classifier(name)
        t = time.perf_counter()
        pred = [[lb.name for lb in labs] for labs in clf.predict(docs)]
        rate = len(docs) / (time.perf_counter() - t)
        rows[name] = (score_labels(labels, pred).to_dict(), 0.0, rate, rate)
    for name, (clf_name, params) in CONFIGS.items():
        if only and name not in only:
            continue
        clf = create_classifier(clf_name, **params)
        metrics = cross_validate(clf, docs, labels, args.folds, seed=0)
        t = time.perf_counter()
        clf.fit(docs, labels)
        train_s = time.perf_counter() - t
        model = Model([clf])
        t = time.perf_counter()
        model.predict(docs)
        batch = len(docs) / (time.perf_counter() - t)
        t = time.perf_counter()
        for d in docs[:200]:
            model.predict([d])
        single = 200 / (time.perf_counter() - t)
        import io

        import joblib

        buf = io.BytesIO()
        joblib.dump(model, buf, compress=3)
        sizes[name] = buf.tell() / 1e6
        rows[name] = (metrics, train_s, batch, single)
        print(f"{name} done", flush=True)
    label_names = sorted({x for ls in labels for x in ls})
    print(f"\n{len(docs)} documents, {args.folds}-fold CV")
    head = f"{'config':<16}" + "".join(f"{n[:10]:>11}" for n in label_names)
    print(head + f"{'micro':>8}{'macro':>8}{'train_s':>9}{'batch/s':>9}{'single/s':>9}"
          f"{'MB':>7}")
    for name, (m, train_s, batch, single) in rows.items():
        per = "".join(f"{m['per_label'].get(n, {}).get('f1', 0):>11.3f}" for n in label_names)
        print(f"{name:<16}{per}{m['micro_f1']:>8.3f}{m['macro_f1']:>8.3f}"
              f"{train_s:>9.1f}{batch:>9.0f}{single:>9.0f}{sizes.get(name, 0):>7.2f}")
    print("MB: the fitted classifier, joblib-compressed; the static embedding model it "
          "reads (models/minilm-static, 15 MB) is not included.")


if __name__ == "__main__":
    main()
