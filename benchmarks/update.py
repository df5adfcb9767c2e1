"""``train --update`` against a full retrain: time and held-out macro-F1.

    python benchmarks/update.py ../shared/data/topics/train.jsonl [--classifier hybrid]

The labelled stories are shuffled (seed 0) into old (60 %), new (20 %) and test (20 %).
A model is trained on the old stories; then the old and new stories are given to
``update`` (features kept, only labels whose examples changed refitted) and, for
comparison, to a full retrain. Prints both times and both macro-F1 on the test part.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import time

from newsclf import train
from newsclf.metrics import score_labels
from newsclf.readers import read_inputs
from newsclf.training import update


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--labels", default="topics")
    ap.add_argument("--classifier", default="hybrid")
    args = ap.parse_args()
    docs = [d for d in read_inputs([args.data]) if args.labels in d.meta]
    random.Random(0).shuffle(docs)
    n = len(docs)
    old, new, test = docs[: int(.6 * n)], docs[int(.6 * n): int(.8 * n)], docs[int(.8 * n):]

    def f1(model) -> float:  # type: ignore[no-untyped-def]
        gold = [list(d.meta[args.labels]) for d in test]
        pred = [p.names("topic") for p in model.predict(test)]
        return score_labels(gold, pred).macro["f1"]

    base = train(old, classifier=args.classifier, labels_field=args.labels, folds=0)
    print(f"{args.classifier}: trained on {len(old)} old stories: test macro-F1 {f1(base):.3f}")
    t = time.perf_counter()
    updated = update(base, [*old, *new], labels_field=args.labels)
    t_update = time.perf_counter() - t
    t = time.perf_counter()
    full = train([*old, *new], classifier=args.classifier, labels_field=args.labels, folds=0)
    t_full = time.perf_counter() - t
    done = updated.metadata["update"]
    print(f"update with {len(new)} new stories: {t_update:.1f} s, refitted "
          f"{len(done['refit'])} of {len(done['refit']) + len(done['kept'])} labels, test "
          f"macro-F1 {f1(updated):.3f}")
    print(f"full retrain: {t_full:.1f} s, test macro-F1 {f1(full):.3f}; update takes "
          f"x{t_update / t_full:.2f} the time")
    # a new label on the same stories (East Asia, from the records' countries field):
    # update trains its column alone
    tagged = [dataclasses.replace(d, meta={**d.meta, args.labels: [
        *d.meta[args.labels], *(["east_asia"] if set(d.meta.get("countries") or [])
                                & {"CN", "JP", "KR", "TW"} else [])]}) for d in [*old, *new]]
    t = time.perf_counter()
    with_label = update(full, tagged, labels_field=args.labels)
    t_new = time.perf_counter() - t
    t = time.perf_counter()
    train(tagged, classifier=args.classifier, labels_field=args.labels, folds=0)
    t_all = time.perf_counter() - t
    done = with_label.metadata["update"]
    print(f"a new label: update {t_new:.1f} s (refitted {', '.join(done['refit'])}), full "
          f"retrain {t_all:.1f} s: x{t_new / t_all:.2f} the time")


if __name__ == "__main__":
    main()
