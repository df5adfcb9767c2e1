"""Build the shipped default model, models/default.joblib (+ default.json manifest).

    python scripts/build_default_model.py ../shared/data/topics/train.jsonl

Topics: the ``hybrid`` classifier (TF-IDF unigrams + static MiniLM embeddings + the
default keyword rules as features, one linear head with CV-tuned per-label thresholds),
trained on the given file's ``topics``. Countries and regions: the ``regions`` tagger.
The parameters below were chosen by 5-fold cross-validation on the same file
(benchmarks/topics.py); the manifest records the CV figures of exactly this
configuration.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsclf.classifiers.regions import RegionClassifier
from newsclf.model import Model, save_model
from newsclf.readers import read_inputs
from newsclf.training import train

ROOT = Path(__file__).resolve().parents[1]
TOPIC_PARAMS = {"dense_weight": 2.0, "rules_weight": 1.0, "ngram_max": 1, "C": 0.5, "repeats": 3}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", help="labelled stories (JSONL with a 'topics' field)")
    ap.add_argument("-o", "--output", default=str(ROOT / "models" / "default.joblib"))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    topics = train(read_inputs([args.data]), classifier="hybrid", labels_field="topics",
                   params=dict(TOPIC_PARAMS), folds=args.folds, seed=0,
                   log=lambda msg: print(msg, file=sys.stderr))
    model = Model([*topics.classifiers, RegionClassifier()],
                  {**topics.metadata, "built_by": "scripts/build_default_model.py",
                   "training_file": Path(args.data).name})
    save_model(model, args.output)
    cv = topics.metadata["cv_metrics"]
    print(f"saved {args.output}: CV micro-F1 {cv['micro_f1']:.3f}, "
          f"macro-F1 {cv['macro_f1']:.3f}")
    for name, row in cv["per_label"].items():
        print(f"  {name:<12} P {row['precision']:.3f}  R {row['recall']:.3f}  "
              f"F1 {row['f1']:.3f}  support {int(row['support'])}")


if __name__ == "__main__":
    main()
