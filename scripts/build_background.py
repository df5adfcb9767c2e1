"""Build the events' background vector, models/minilm-static/background.npy.

    python scripts/build_background.py ../shared/data/topics/train.jsonl \
        ../shared/data/topics/unlabelled.jsonl ../shared/data/reuters/modapte_train.jsonl

The mean of the stories' vectors (:func:`newsclf.events.story_vectors`, before
centring) over the given files, each file weighed equally, so that no era or outlet
(1987 wire, 2004 BBC, 2022 tech sites, 2025 wire) sets the direction alone. Mean token
vectors of news share one direction that dominates them (their first singular value is
about five times the second); taken out, two stories on one subject in general are no
longer as close as two reports of one event.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from newsclf.events import story_vectors
from newsclf.readers import read_inputs
from newsclf.streams import batches

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", nargs="+", help="JSONL files of stories")
    ap.add_argument("-o", "--output", default=str(ROOT / "models/minilm-static/background.npy"))
    args = ap.parse_args()
    means = []
    for path in args.data:
        total, count = None, 0
        for batch in batches(read_inputs([path]), 512):
            vectors = story_vectors(batch).astype(np.float64)
            total = vectors.sum(axis=0) if total is None else total + vectors.sum(axis=0)
            count += len(batch)
        assert total is not None
        means.append(total / count)
        print(f"{path}: {count} stories")
    np.save(args.output, np.mean(means, axis=0).astype(np.float32))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
