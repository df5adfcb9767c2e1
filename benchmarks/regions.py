"""The region tagger against geotext, on the same documents in one run.

    python benchmarks/regions.py ../shared/data/reuters/places_train.jsonl \
        --iso ../shared/data/reuters/places_iso.json
    python benchmarks/regions.py ../shared/data/topics/train.jsonl --labels countries

Prints micro-F1, F1 without ``usa`` (US), macro-F1 over countries and docs/s for each.
``--grid`` also prints the figures for a grid of the tagger's salience parameters (for
tuning on training data only).
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

from newsclf.classifiers.regions import RegionTagger
from newsclf.evaluation import score_labels
from newsclf.readers import read_inputs
from newsclf.training import gold_labels


def figures(gold: list[list[str]], pred: list[list[str]]) -> dict[str, float]:
    allm = score_labels(gold, pred)
    no_us = score_labels([[c for c in g if c != "US"] for g in gold],
                         [[c for c in p if c != "US"] for p in pred])
    return {"micro_f1": allm.micro["f1"], "f1_no_us": no_us.micro["f1"],
            "macro_f1": allm.macro["f1"]}


def geotext_countries(docs, names_to_iso):  # type: ignore[no-untyped-def]
    from geotext import GeoText

    out = []
    for d in docs:
        found = GeoText(d.full_text).country_mentions
        out.append(sorted({names_to_iso.get(c, c) for c in found}))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--labels", default="places")
    ap.add_argument("--iso", help="JSON mapping the data's place codes to ISO alpha-2")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--grid", action="store_true")
    args = ap.parse_args()
    docs = list(read_inputs([args.data]))
    if args.limit:
        docs = docs[: args.limit]
    mapping = json.loads(Path(args.iso).read_text()) if args.iso else None
    gold = []
    for d in docs:
        raw = gold_labels(d, args.labels) or []
        gold.append(sorted({mapping[c] for c in raw if c in mapping} if mapping else set(raw)))
    rows = {}
    tagger = RegionTagger(regions=False)
    tagger.predict(docs[:10])  # load the gazetteer outside the timing

    def best_rate(run):  # type: ignore[no-untyped-def]
        """docs/s of the fastest of 5 runs (the machine's noise only slows runs down)."""
        times = []
        for _ in range(5):
            t = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - t)
        return result, len(docs) / min(times)

    pred, rate = best_rate(lambda: [[lb.name for lb in labs] for labs in tagger.predict(docs)])
    rows["newsclf regions"] = {**figures(gold, pred), "docs_per_s": rate}
    try:
        geo, rate = best_rate(lambda: geotext_countries(docs, {}))  # ISO alpha-2 codes
        rows["geotext"] = {**figures(gold, geo), "docs_per_s": rate}
    except ImportError:
        print("geotext is not installed (pip install geotext); skipped")
    cols = ["micro_f1", "f1_no_us", "macro_f1", "docs_per_s"]
    print(f"{len(docs)} documents from {args.data}")
    print(f"{'system':<18}" + "".join(f"{c:>12}" for c in cols))
    for name, row in rows.items():
        print(f"{name:<18}" + "".join(f"{row[c]:>12.3f}" for c in cols))
    if rows.get("geotext"):
        print(f"speed ratio newsclf/geotext: "
              f"x{rows['newsclf regions']['docs_per_s'] / rows['geotext']['docs_per_s']:.2f}")
    if args.grid:
        for ms, rel, tb in itertools.product([0.8, 1.0, 1.2, 1.4, 1.8], [0.15, 0.3, 0.45],
                                             [2.0, 3.0]):
            tg = RegionTagger(regions=False, min_salience=ms, relative=rel, title_boost=tb)
            p = [[lb.name for lb in labs] for labs in tg.predict(docs)]
            f = figures(gold, p)
            print(f"min_salience={ms} relative={rel} title_boost={tb}: "
                  + " ".join(f"{k}={v:.3f}" for k, v in f.items()))


if __name__ == "__main__":
    main()
