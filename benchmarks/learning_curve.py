"""Learning curves: macro-F1 after 50, 100, 200, … labelled stories, picked at random or by
``newsclf suggest`` (simulated: the gold labels answer), on the same folds.

    python benchmarks/learning_curve.py ../shared/data/topics/train.jsonl \
        --sizes 50,100,200,400,800 --classifiers tfidf,embeddings,hybrid
    python benchmarks/learning_curve.py ../shared/data/reuters/modapte_train.jsonl \
        --sizes 500,1000,2000 --classifiers tfidf
    python benchmarks/learning_curve.py ../shared/data/topics/train.jsonl --time-suggest \
        100000 --unlabelled ../shared/data/topics/unlabelled.jsonl

For each of ``--folds`` folds (multi-label stratified, seed 0) the other folds are the
pool: start from 50 random stories of it (``--start``), then add stories up to each size,
random ones, or the ones ``suggest`` picks with the model trained so far (``suggest``:
strategy balanced, ``uncertain``: strategy uncertain); the last point is the whole
pool. Macro-F1 on the held-out fold, averaged over folds. Also prints, per classifier,
the labels suggest needs to reach the random
curve's macro-F1 at the largest size (interpolated on a log scale) and the saving.
``--time-suggest N`` times one suggest call over N stories (the unlabelled file
repeated).
"""

from __future__ import annotations

import argparse
import math
import random
import time
from itertools import cycle, islice

import numpy as np

from newsclf import Document
from newsclf.active import suggest
from newsclf.classifiers.head import labels_matrix, multilabel_folds
from newsclf.metrics import score_labels
from newsclf.model import load_default_model
from newsclf.plugins import create_classifier
from newsclf.readers import read_inputs
from newsclf.types import gold_labels


def macro_f1(clf, docs: list[Document], gold: list[list[str]]) -> float:  # type: ignore[no-untyped-def]
    pred = [[lb.name for lb in labs] for labs in clf.predict(docs)]
    return score_labels(gold, pred).macro["f1"]


def curve(name: str, docs: list[Document], gold: list[list[str]], train_idx: np.ndarray,
          test_idx: np.ndarray, sizes: list[int], start: int, how: str,
          seed: int) -> list[float]:
    rng = random.Random(seed)
    pool = [int(i) for i in train_idx]
    labelled = rng.sample(pool, start)
    left = sorted(set(pool) - set(labelled))
    test_docs, test_gold = [docs[i] for i in test_idx], [gold[i] for i in test_idx]
    out = []
    clf = None  # the model trained so far (suggest asks it)
    for size in [*sizes, len(pool)]:
        need = min(size, len(pool)) - len(labelled)
        if need > 0 and size < len(pool):
            if how == "random":
                extra = rng.sample(left, need)
            else:
                counts: dict[str, int] = {}
                for i in labelled:
                    for label in gold[i]:
                        counts[label] = counts.get(label, 0) + 1
                by_id = {docs[i].id: i for i in left}
                picks = suggest(clf, [docs[i] for i in left], need, label_counts=counts,
                                strategy="uncertain" if how == "uncertain" else "balanced")
                extra = [by_id[p.document.id] for p in picks]
            labelled += extra
            left = sorted(set(left) - set(extra))
        elif size >= len(pool):
            labelled, left = pool, []
        clf = create_classifier(name).fit([docs[i] for i in labelled],
                                          [gold[i] for i in labelled])
        out.append(macro_f1(clf, test_docs, test_gold))
    return out


def labels_to_reach(sizes: list[int], values: list[float], target: float) -> float:
    """The smallest number of labels at which a curve reaches ``target`` (log-linear
    interpolation between measured sizes); inf if it never does."""
    for k, (n, v) in enumerate(zip(sizes, values)):
        if v >= target:
            if k == 0:
                return float(n)
            n0, v0 = sizes[k - 1], values[k - 1]
            frac = (target - v0) / (v - v0) if v != v0 else 1.0
            return math.exp(math.log(n0) + frac * (math.log(n) - math.log(n0)))
    return math.inf


def time_suggest(n: int, unlabelled: str) -> None:
    base = list(read_inputs([unlabelled]))
    stream = (Document(id=f"{d.id}-{i}", title=d.title, text=d.text)
              for i, d in enumerate(islice(cycle(base), n)))
    model = load_default_model()
    t = time.perf_counter()
    picks = suggest(model, stream, 20)
    seconds = time.perf_counter() - t
    print(f"suggest -n 20 over {n} stories (default model): {seconds:.1f} s, "
          f"{n / seconds:.0f} stories/s, {len(picks)} picks")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--labels", default="topics")
    ap.add_argument("--sizes", default="50,100,200,400,800")
    ap.add_argument("--start", type=int, default=50)
    ap.add_argument("--classifiers", default="tfidf,embeddings,hybrid")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--time-suggest", type=int, default=0)
    ap.add_argument("--unlabelled")
    args = ap.parse_args()
    if args.time_suggest:
        time_suggest(args.time_suggest, args.unlabelled)
        return
    docs = list(read_inputs([args.data]))
    gold = [gold_labels(d, args.labels) or [] for d in docs]
    sizes = [int(s) for s in args.sizes.split(",")]
    classes = sorted({name for names in gold for name in names})
    folds = multilabel_folds(labels_matrix(gold, classes), args.folds, 0)
    print(f"{len(docs)} documents, {len(classes)} labels, {args.folds} folds; "
          f"start {args.start} random")
    header = "".join(f"{s:>8}" for s in sizes) + f"{'all':>8}"
    for name in args.classifiers.split(","):
        rows = {}
        for how in ("random", "suggest", "uncertain"):
            t = time.perf_counter()
            runs = [curve(name, docs, gold, tr, te, sizes, args.start, how, seed=k)
                    for k, (tr, te) in enumerate(folds)]
            rows[how] = [float(np.mean(col)) for col in zip(*runs)]
            spread = [float(np.std(col)) for col in zip(*runs)]
            print(f"{name} {how} ({time.perf_counter() - t:.0f} s)"
                  f"\n  sizes   {header}\n  macroF1 "
                  + "".join(f"{v:>8.3f}" for v in rows[how])
                  + "\n  ± sd   " + "".join(f"{v:>8.3f}" for v in spread), flush=True)
        target = rows["random"][len(sizes) - 1]
        for how in ("suggest", "uncertain"):
            need = labels_to_reach(sizes, rows[how][: len(sizes)], target)
            print(f"  {name}: random reaches {target:.3f} with {sizes[-1]} labels; {how} "
                  f"with {need:.0f} ({100 * (1 - need / sizes[-1]):.0f}% fewer)", flush=True)


if __name__ == "__main__":
    main()
