"""Build the shipped default model, models/default.joblib (+ default.json manifest).

    python scripts/build_default_model.py ../shared/data/topics/train.jsonl

Topics: the ``hybrid`` classifier (TF-IDF unigrams + static MiniLM embeddings + the
default keyword rules as features, read without the outlets' boilerplate; one linear
head with CV-tuned per-label thresholds and an off-taxonomy gate), trained on the given
file's ``topics``. Countries and regions: the ``regions`` tagger. The parameters below
were chosen by 5-fold cross-validation grouped by outlet on the same file
(``benchmarks/topics.py --grouped``); the manifest records both figures of exactly this
configuration: ``cv_metrics`` by random folds, ``cv_metrics_by_outlet`` by folds that
never split an outlet (the outlets as ``benchmarks/outlets.py`` reads them from the
data's README).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from newsclf.classifiers.regions import RegionClassifier
from newsclf.model import Model, save_model
from newsclf.outlets import outlet_of
from newsclf.plugins import create_classifier
from newsclf.readers import read_inputs
from newsclf.training import cross_validate, train
from newsclf.types import gold_labels

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from outlets import with_outlets  # noqa: E402  (benchmarks/ is not a package)

TOPIC_PARAMS = {"dense_weight": 2.0, "rules_weight": 1.0, "ngram_max": 1, "title_weight": 1,
                "C": 0.5, "repeats": 1, "clean": True, "abstain": True}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", help="labelled stories (JSONL with a 'topics' field)")
    ap.add_argument("-o", "--output", default=str(ROOT / "models" / "default.joblib"))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    docs = list(with_outlets(read_inputs([args.data])))
    log = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    topics = train(docs, classifier="hybrid", labels_field="topics",
                   params=dict(TOPIC_PARAMS), folds=args.folds, seed=0, log=log)
    labelled = [d for d in docs if not d.is_empty and gold_labels(d, "topics") is not None]
    gold = [gold_labels(d, "topics") or [] for d in labelled]
    outlets = [outlet_of(d) for d in labelled]
    by_outlet = cross_validate(create_classifier("hybrid", **TOPIC_PARAMS, random_state=0),
                               labelled, gold, args.folds, 0, log, groups=outlets)
    model = Model([*topics.classifiers, RegionClassifier()],
                  {**topics.metadata, "built_by": "scripts/build_default_model.py",
                   "training_file": Path(args.data).name,
                   "cv_metrics_by_outlet": by_outlet,
                   "cv_outlets": dict(sorted(Counter(outlets).items()))})
    save_model(model, args.output)
    for title, cv in (("random folds", topics.metadata["cv_metrics"]),
                      ("folds grouped by outlet", by_outlet)):
        print(f"{title}: micro-F1 {cv['micro_f1']:.3f}, macro-F1 {cv['macro_f1']:.3f}")
        for name, row in cv["per_label"].items():
            print(f"  {name:<12} P {row['precision']:.3f}  R {row['recall']:.3f}  "
                  f"F1 {row['f1']:.3f}  support {int(row['support'])}")
    print(f"saved {args.output}")


if __name__ == "__main__":
    main()
