"""Throughput and memory of `newsclf predict`, next to a plain scikit-learn script.

    python benchmarks/throughput.py ../shared/data/reuters/modapte_train.jsonl \
        [--sizes 10000,100000] [--runs plain,tfidf,default,default-jobs2,default-dask]

Builds inputs of N stories by repeating the file's stories with new ids, then runs each
configuration as its own process over each input and reports stories/s, stories/s per
core used, and peak RSS (the run's processes summed, workers included), plus whether the
outputs of the local, --jobs 2 and Dask runs are identical. Runs:

- ``plain``: a hand-written script: load → TF-IDF → one-vs-rest LinearSVC → write JSONL,
  in batches of 256, with a model trained on the same file (what a user would write);
- ``tfidf``: ``newsclf predict --model`` a tfidf model trained on the file, --jobs 1;
- ``default``: the shipped default model (topics + countries), --jobs 1 (the static
  embeddings' HF tokenizer runs threads of its own, so this uses more than one core);
- ``default-1thread``: the same with ``TOKENIZERS_PARALLELISM=false``: one core, the
  per-core baseline;
- ``default-jobs2``: the same, --jobs 2;
- ``default-dask``: the same, --backend dask on a LocalCluster of 2 workers.

Not a test: figures, not assertions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAIN = r'''
import json, sys, joblib
vec, clf, classes = joblib.load(sys.argv[1])
out = sys.stdout
def flush(batch):
    X = vec.transform([(r.get("title") or "") + "\n" + (r.get("text") or "") for r in batch])
    Y = clf.predict(X)
    for r, row in zip(batch, Y):
        names = [classes[j] for j in row.nonzero()[0]]
        out.write(json.dumps({"id": r.get("id"), "labels": names}) + "\n")
batch = []
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        batch.append(json.loads(line))
        if len(batch) == 256:
            flush(batch); batch = []
if batch:
    flush(batch)
'''


def make_input(source: Path, n: int, folder: Path) -> Path:
    path = folder / f"stories-{n}.jsonl"
    if path.exists():
        return path
    records = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            r = dict(records[i % len(records)])
            r["id"] = f"g{i}"
            out.write(json.dumps(r) + "\n")
    return path


def train_plain(source: Path, folder: Path) -> Path:
    import joblib
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC

    records = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    texts = [(r.get("title") or "") + "\n" + (r.get("text") or "") for r in records]
    mlb = MultiLabelBinarizer().fit([r.get("topics") or [] for r in records])
    vec = TfidfVectorizer(sublinear_tf=True, min_df=2)
    clf = OneVsRestClassifier(LinearSVC()).fit(
        vec.fit_transform(texts), mlb.transform([r.get("topics") or [] for r in records]))
    path = folder / "plain.joblib"
    joblib.dump((vec, clf, list(mlb.classes_)), path)
    return path


def run(cmd: list[str], output: Path, env: dict[str, str] | None = None
        ) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the run: the resident memory of its process and
    all its children (workers) summed, sampled every 50 ms with psutil."""
    import psutil

    start = time.perf_counter()
    peak = 0
    with output.open("wb") as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err,
                                env={**os.environ, **(env or {})})
        parent = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed: {err.read().decode()[-500:]}")
    return seconds, peak / 1e6


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--runs", default="plain,tfidf,default,default-1thread,default-jobs2,"
                                      "default-dask")
    ap.add_argument("--workdir", help="keep inputs and models here (default: a temp dir)")
    args = ap.parse_args()
    source = Path(args.data)
    folder = Path(args.workdir or tempfile.mkdtemp(prefix="newsclf-throughput-"))
    folder.mkdir(parents=True, exist_ok=True)
    newsclf = [str(Path(sys.executable).with_name("newsclf"))]
    runs = args.runs.split(",")
    plain_model = train_plain(source, folder) if "plain" in runs else None
    tfidf_model = folder / "tfidf.joblib"
    if "tfidf" in runs and not tfidf_model.exists():
        subprocess.run([*newsclf, "train", str(source), "--classifier", "tfidf", "--labels",
                        "topics", "--folds", "0", "-o", str(tfidf_model), "-q"], check=True,
                       stdout=subprocess.DEVNULL)
    commands = {
        "plain": lambda inp: [sys.executable, "-c", PLAIN, str(plain_model), str(inp)],
        "tfidf": lambda inp: [*newsclf, "predict", str(inp), "--model", str(tfidf_model)],
        "default": lambda inp: [*newsclf, "predict", str(inp)],
        "default-1thread": lambda inp: [*newsclf, "predict", str(inp)],
        "default-jobs2": lambda inp: [*newsclf, "predict", str(inp), "--jobs", "2"],
        "default-dask": lambda inp: [*newsclf, "predict", str(inp), "--backend", "dask",
                                     "--jobs", "2"],
    }
    cores = {"default-jobs2": 2, "default-dask": 2}
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        inp = make_input(source, n, folder)
        hashes = {}
        for name in runs:
            out = folder / f"out-{name}-{n}.jsonl"
            env = {"TOKENIZERS_PARALLELISM": "false"} if name == "default-1thread" else None
            seconds, rss = run(commands[name](inp), out, env)
            hashes[name] = digest(out)
            rate = n / seconds
            rows.append((n, name, seconds, rate, rate / cores.get(name, 1), rss))
            print(f"{n:>8} {name:<15} {seconds:8.1f} s {rate:9.0f}/s "
                  f"{rate / cores.get(name, 1):9.0f}/s/core {rss:8.0f} MB", flush=True)
            out.unlink()
        same = {h for k, h in hashes.items() if k.startswith("default")}
        if len(same) > 0:
            print(f"{n:>8} default outputs identical across local / jobs 2 / dask: "
                  f"{len(same) == 1}", flush=True)
    print("\n| stories | run | seconds | stories/s | per core | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n, name, seconds, rate, per_core, rss in rows:
        print(f"| {n:,} | {name} | {seconds:.1f} | {rate:,.0f} | {per_core:,.0f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
