"""Event grouping on hand-judged events, against dedup's copy-only grouping in the same run.

    python benchmarks/events.py ../shared/data/topics/train.jsonl \
        ../shared/data/topics/unlabelled.jsonl
    python benchmarks/events.py … --set similarity=0.6 --set gate=false
    python benchmarks/events.py … --stream 500      # a day's stream, a window of 500 stories
    python benchmarks/events.py … --scale 100000,1000000     # memory and speed at scale

The gold (``benchmarks/events_gold.json``): events found by hand in the two files (how,
in its ``about``); every third is held out and was never looked at while tuning. The
stream is the files in order, with no dates, all in one window: two years of technology
news with no time to tell them apart, harder than any feed. ``--stream W`` makes a
feed of it instead: the stories shuffled, the stories of each event within ``--spread``
of each other, and a window of ``W`` stories. The copies
``dedup`` groups are one event in the gold too (a copy is a report of its event); the
"few words" rows count only the hand-judged pairs that ``dedup`` does not group.

Figures: pairwise precision, recall and F1, the adjusted Rand index over all stories;
stories/s of the grouping (its own embedding of the texts included; the labels computed
before, as ``predict --events`` has them); for dedup, stories/s of its grouping.
``--scale`` streams N stories cycled from the pool (new ids) through the grouper and
reports stories/s and the peak memory of the grouper (tracemalloc) at each N: flat
means the window, not the stream, sets it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from newsclf import Document
from newsclf.dedup import group_duplicates
from newsclf.events import EventGrouper
from newsclf.model import load_default_model
from newsclf.readers import read_inputs

HERE = Path(__file__).resolve().parent


def pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    out = set()
    for members in groups.values():
        out.update(tuple(sorted(p)) for p in itertools.combinations(members, 2))
    return out


def clusters(assigned: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for story, event in assigned.items():
        out[event].append(story)
    return out


def scores(predicted: set[tuple[str, str]], gold: set[tuple[str, str]],
           keep: Callable[[tuple[str, str]], bool] | None = None
           ) -> tuple[float, float, float]:
    if keep is not None:
        predicted = {p for p in predicted if keep(p)}
        gold = {p for p in gold if keep(p)}
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def ari(assigned: dict[str, str], gold_of: dict[str, str]) -> float:
    from sklearn.metrics import adjusted_rand_score

    keys = list(assigned)
    return float(adjusted_rand_score([gold_of[k] for k in keys], [assigned[k] for k in keys]))


def parse_value(raw: str) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="+")
    ap.add_argument("--gold", default=str(HERE / "events_gold.json"))
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="an EventGrouper parameter (repeatable); several runs: --grid")
    ap.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2",
                    help="run every combination of these values")
    ap.add_argument("--scale", default="", help="stream sizes for the memory run")
    ap.add_argument("--scale-data", nargs="*", default=[],
                    help="more stories for the memory run (so that its stream repeats a "
                         "story only after more than a window of others)")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--stream", type=int, default=0, metavar="W",
                    help="a day's stream: the stories shuffled, each event's stories "
                         "within --spread of each other, and a window of W stories "
                         "(default 0: the files in order, all in one window)")
    ap.add_argument("--spread", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show-wrong", type=int, default=0, metavar="N",
                    help="print N found events that join stories of different gold events")
    args = ap.parse_args()

    docs: list[Document] = [d for path in args.data for d in read_inputs([path])]
    ids = [d.id for d in docs]
    model = load_default_model()
    labels = [p.labels for p in model.predict_stream(docs)]

    t0 = time.perf_counter()
    copy_groups = {d.id: g for d, g, _ in group_duplicates(docs)}
    t_dedup = time.perf_counter() - t0
    gold_events = json.load(open(args.gold, encoding="utf-8"))["events"]
    hand = {f"h{k}": e["ids"] for k, e in enumerate(gold_events)}
    held = {i for e in gold_events if e["held_out"] for i in e["ids"]}
    gold_of = {i: i for i in ids}
    for k, members in hand.items():
        for i in members:
            gold_of[i] = k
    # copies are one event: merge dedup's groups into the gold
    for story, group in copy_groups.items():
        if group != story:
            a, b = gold_of[story], gold_of[group]
            if a != b:
                for i, g in gold_of.items():
                    if g == a:
                        gold_of[i] = b
    gold = pairs(clusters(gold_of))
    hand_pairs = pairs(hand)
    few = {p for p in hand_pairs if copy_groups[p[0]] != copy_groups[p[1]]}
    if args.stream:
        docs, labels = as_stream(docs, labels, gold_of, args.stream, args.spread, args.seed)
    print(f"{len(docs)} stories; {len(hand)} hand-judged events ({len(hand_pairs)} pairs, "
          f"{len(few)} not copies), {len(gold) - len(hand_pairs)} copy pairs; "
          f"{sum(e['held_out'] for e in gold_events)} events held out")

    def tuned(p: tuple[str, str]) -> bool:
        return p[0] not in held and p[1] not in held

    def heldout(p: tuple[str, str]) -> bool:
        return p[0] in held or p[1] in held

    def row(name: str, assigned: dict[str, str], seconds: float, extra: str = "") -> None:
        predicted = pairs(clusters(assigned))
        figures = []
        for keep in (tuned, heldout):
            p, r, f = scores(predicted, gold, keep)
            _, r_few, _ = scores(predicted, few, keep)
            figures.append(f"{p:.3f} {r:.3f} {f:.3f} {r_few:.3f}")
        print(f"| {name} | {' | '.join(figures)} | {ari(assigned, gold_of):.3f} | "
              f"{len(docs) / seconds:,.0f}{extra} |")

    print("| run | tuned P R F1 R(few words) | held-out P R F1 R(few words) | ARI | stories/s |")
    print("|---|---|---|---|---|")
    row("dedup (copies only)", copy_groups, t_dedup)
    base = {k: parse_value(v) for k, v in (s.split("=", 1) for s in args.set)}
    grid = [[(k, parse_value(v)) for v in vs.split(",")]
            for k, vs in (g.split("=", 1) for g in args.grid)]
    for combo in itertools.product(*grid) if grid else [()]:
        params = {**base, **dict(combo)}
        if args.stream:
            params.setdefault("window_stories", args.stream)
        grouper = EventGrouper(**params)
        t0 = time.perf_counter()
        assigned = {}
        for start in range(0, len(docs), args.batch_size):
            chunk = slice(start, start + args.batch_size)
            for doc, joined in zip(docs[chunk], grouper.add_batch(docs[chunk],
                                                                  labels[chunk])):
                assigned[doc.id] = joined.event
        grouper.close()
        seconds = time.perf_counter() - t0
        name = ", ".join(f"{k}={v}" for k, v in params.items()) or "events (defaults)"
        row(name, assigned, seconds)
        if args.show_wrong:
            show_wrong(docs, assigned, gold_of, args.show_wrong)
    if args.scale:
        pool = docs + [d for path in args.scale_data for d in read_inputs([path])]
        for size in [int(s) for s in args.scale.split(",")]:
            scale_run(pool, size, args.batch_size, base)


def show_wrong(docs: list[Document], assigned: dict[str, str], gold_of: dict[str, str],
               limit: int) -> None:
    title = {d.id: d.title for d in docs}
    shown = 0
    for event, members in clusters(assigned).items():
        if len(members) > 1 and len({gold_of[m] for m in members}) > 1 and shown < limit:
            shown += 1
            print(f"  found {event}: " + " || ".join(
                f"{title[m][:40]} [{gold_of[m][:4]}]" for m in members[:6]))


def as_stream(docs: list[Document], labels: list, gold_of: dict[str, str], window: int,
              spread: int, seed: int) -> tuple[list[Document], list]:
    """The stories in a random order in which the stories of each gold event (and each
    group of copies) come within ``spread`` stories of each other, as the reports of
    an event come within days in a feed (the window then holds ``window`` stories)."""
    rng = np.random.default_rng(seed)
    n = len(docs)
    base: dict[str, float] = {}
    keys = []
    for doc in docs:
        event = gold_of[doc.id]
        if event not in base:
            base[event] = float(rng.random())
        jitter = float(rng.random()) * spread / n if event != doc.id else 0.0
        keys.append(base[event] + jitter)
    order = np.argsort(keys, kind="stable")
    return [docs[i] for i in order], [labels[i] for i in order]


def scale_run(pool: list[Document], size: int, batch_size: int, params: dict) -> None:
    """N stories cycled from the pool in order, with new ids (no labels: the gate is
    open, the hardest case for memory)."""
    grouper = EventGrouper(**params)
    tracemalloc.start()
    t0 = time.perf_counter()
    done = 0
    while done < size:
        n = min(batch_size, size - done)
        batch = [Document(id=f"s{done + k}", title=pool[(done + k) % len(pool)].title,
                          text=pool[(done + k) % len(pool)].text) for k in range(n)]
        grouper.add_batch(batch)
        done += n
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"scale {size:,}: {size / seconds:,.0f} stories/s, peak {peak / 2**20:.1f} MiB, "
          f"{len(grouper._events):,} events open")


if __name__ == "__main__":
    main()
