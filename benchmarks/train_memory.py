"""Peak memory and time of `newsclf train` as the training set grows: the streaming
``hashing`` classifier next to the in-memory ``tfidf``.

    python benchmarks/train_memory.py ../shared/data/reuters/modapte_train.jsonl \
        [--times 1,10] [--classifiers hashing,tfidf]

Builds training files of 1× and 10× the given file (its stories repeated with new ids),
trains each classifier on each as its own process (``--folds 0``: no cross-validation)
and reports seconds and peak RSS (sampled with psutil). Not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import run


def scaled(source: Path, times: int, folder: Path) -> Path:
    path = folder / f"train-x{times}.jsonl"
    if path.exists():
        return path
    with path.open("w", encoding="utf-8") as out:
        for k in range(times):
            for line in source.open(encoding="utf-8"):
                if line.strip():
                    record = json.loads(line)
                    record["id"] = f"{record.get('id')}-{k}"
                    out.write(json.dumps(record) + "\n")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--times", default="1,10")
    ap.add_argument("--classifiers", default="hashing,tfidf")
    ap.add_argument("--labels", default="topics")
    ap.add_argument("--workdir")
    args = ap.parse_args()
    folder = Path(args.workdir or tempfile.mkdtemp(prefix="newsclf-train-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    newsclf = str(Path(sys.executable).with_name("newsclf"))
    print("| training set | stories | classifier | seconds | peak RSS MB |")
    print("| --- | --- | --- | --- | --- |")
    for times in [int(x) for x in args.times.split(",")]:
        data = scaled(Path(args.data), times, folder)
        n = sum(1 for _ in data.open(encoding="utf-8"))
        for name in args.classifiers.split(","):
            model = folder / f"{name}-x{times}.joblib"
            seconds, rss = run([newsclf, "train", str(data), "--classifier", name,
                                "--labels", args.labels, "--folds", "0", "-q", "-o",
                                str(model)], folder / "train.out")
            print(f"| {times}× | {n:,} | {name} | {seconds:.1f} | {rss:.0f} |", flush=True)


if __name__ == "__main__":
    main()
