"""Near-duplicate grouping against a plain datasketch script, on copies made from real
stories.

    python benchmarks/dedup.py ../shared/data/topics/train.jsonl        # tune here
    python benchmarks/dedup.py ../shared/data/topics/unlabelled.jsonl
    python benchmarks/dedup.py ../shared/data/reuters/modapte_train.jsonl
    # held out: the Reuters stories that are not in the ModApte training split
    python benchmarks/dedup.py ../shared/data/reuters/places_train.jsonl \
        --exclude ../shared/data/reuters/modapte_train.jsonl

A share of the stories (``--copied``) get copies of the kinds copies really differ by:
site chrome and wire credits around the text, a rewritten or suffixed title
("UPDATE 1-… | Reuters"), truncation to the first paragraphs (a teaser), copy edits
(words changed, a sentence inserted); all the other stories (same topics, same outlets)
are the hard negatives (stories whose text is the same word for word are one group in
the gold: a corpus may hold a story twice under two ids). The stream is shuffled (a
copy may come before its original).
Pairwise precision and recall of the groups, stories/s and peak memory (tracemalloc),
for newsclf's grouping and for a plain datasketch script (word 5-shingles, 128
permutations, LSH threshold 0.5, a story joins the first candidate's group), in the
same run. ``--grid`` also prints the figures for a grid of thresholds.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import time
import tracemalloc
from collections import Counter, defaultdict

from newsclf import Document
from newsclf.dedup import group_duplicates
from newsclf.readers import read_inputs

CHROME_TOP = ["Home | World | Business | Markets | Tech", "Advertisement", "Skip to content"]
CHROME_BOTTOM = ["(Reporting by Jane Doe; Editing by John Smith)",
                 "© 2025 Thomson Reuters. All rights reserved.", "Read more: Top stories"]


KINDS = ["chrome", "title", "teaser", "edit"]


def copies(doc: Document, rng: random.Random, n: int, teaser: bool = True
           ) -> list[tuple[str, Document]]:
    """``n`` copies of ``doc`` with the kind each is. No teaser when ``teaser`` is
    false (the story's opening is not its own, see :func:`build`)."""
    paragraphs = [p for p in doc.text.split("\n") if p.strip()]
    words = doc.text.split()
    made = []
    for k in range(n):
        kind = rng.choice(KINDS if teaser else [k for k in KINDS if k != "teaser"])
        text, title = doc.text, doc.title
        if kind == "chrome":
            text = "\n".join([*rng.sample(CHROME_TOP, 2), doc.text,
                              *rng.sample(CHROME_BOTTOM, 2)])
        elif kind == "title":
            title = rng.choice(["UPDATE 1-", "EXCLUSIVE-", ""]) + doc.title + rng.choice(
                [" | Reuters", " - The Hill", " (updated)"])
        elif kind == "teaser" and len(words) > 120:
            take = paragraphs[:2] if len(paragraphs) > 3 else [" ".join(words[:70])]
            text = "\n".join(take) + "\nContinue reading"
        else:
            kind = "edit"
            edited = [w if rng.random() > 0.03 else rng.choice(["said", "the", "new"])
                      for w in words]
            at = rng.randrange(len(edited) + 1)
            edited[at:at] = "This story has been updated with comment from officials.".split()
            text = " ".join(edited)
        made.append((kind, Document(id=f"{doc.id}~{k}", title=title, text=text)))
    return made


def build(path: str, copied: float, seed: int, resends: int = 0,
          exclude: str | None = None
          ) -> tuple[list[Document], dict[str, str], dict[str, str]]:
    """The shuffled stream, the gold group of each story and the kind of each copy
    (``exclude``: a file whose stories are left out, to keep a held-out set apart from
    the one tuned on)."""
    rng = random.Random(seed)
    seen = {d.text for d in read_inputs([exclude])} if exclude else set()
    originals = [d for d in read_inputs([path])
                 if len(d.text.split()) >= 40 and d.text not in seen]
    # scraped pages of one site often open with the same menu or standard paragraph: a
    # "teaser" of such a page is the site's, not the story's, and is word for word the
    # teaser of every other page of the site; those stories get other kinds of copy
    openings = Counter(" ".join(d.text.split()[:70]) for d in originals)
    stream, gold, kinds = [], {}, {}
    # a corpus may hold the same text under two ids (Reuters-21578 does: 97 texts, 197
    # stories of the ModApte training split): those are one group in the gold too
    # with ``resends`` = N, stories that open with the same N words are one group too
    # (a wire's re-sends and corrections: "CORRECTED - …", a re-sent copy-edited text)
    first: dict[str, str] = {}
    for doc in originals:
        words = re.findall(r"\w+", doc.text.lower())
        same = first.setdefault(" ".join(words[:resends] if resends else words), doc.id)
        gold[doc.id] = same
        stream.append(doc)
        if rng.random() < copied:
            own = openings[" ".join(doc.text.split()[:70])] == 1
            for kind, c in copies(doc, rng, rng.randint(1, 4), teaser=own):
                gold[c.id], kinds[c.id] = gold[doc.id], kind
                stream.append(c)
    rng.shuffle(stream)
    return stream, gold, kinds


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float]:
    def pairs(assign: dict[str, str]) -> set[tuple[str, str]]:
        groups = defaultdict(list)
        for key, group in assign.items():
            groups[group].append(key)
        return {tuple(sorted(p)) for members in groups.values()  # type: ignore[misc]
                for p in itertools.combinations(members, 2)}
    p, g = pairs(pred), pairs(gold)
    return len(p & g) / max(len(p), 1), len(p & g) / max(len(g), 1)


def plain_datasketch(stream: list[Document]) -> dict[str, str]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    group: dict[str, str] = {}
    for doc in stream:
        words = re.findall(r"\w+", doc.text.lower()) or re.findall(r"\w+", doc.title.lower())
        m = MinHash(num_perm=128)
        for i in range(max(1, len(words) - 4)):
            m.update(" ".join(words[i:i + 5]).encode())
        found = lsh.query(m)
        group[doc.id] = group[found[0]] if found else doc.id
        lsh.insert(doc.id, m)
    return group


def recall_by_kind(pred: dict[str, str], gold: dict[str, str], kinds: dict[str, str]
                   ) -> str:
    """The share of copies of each kind grouped with their original."""
    joined, made = Counter(), Counter()
    for key, kind in kinds.items():
        made[kind] += 1
        joined[kind] += pred[key] == pred[key.split("~")[0]]
    return "  ".join(f"{k} {joined[k] / made[k]:.3f}" for k in KINDS if made[k])


def measure(name, run, stream, gold, kinds, memory=True):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    pred = run(stream)
    seconds = time.perf_counter() - t
    peak = 0.0
    if memory:  # a second run: tracemalloc slows what it watches
        tracemalloc.start()
        run(stream)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    precision, recall = pairwise(pred, gold)
    print(f"{name:<22} precision {precision:.3f}  recall {recall:.3f}  "
          f"{len(stream) / seconds:>7.0f} stories/s  "
          f"peak {f'{peak:.0f} MB' if memory else '(not measured)'}", flush=True)
    print(f"{'':<22} copies joined: {recall_by_kind(pred, gold, kinds)}", flush=True)


def ours(**params):  # type: ignore[no-untyped-def]
    return lambda stream: {d.id: g for d, g, _ in group_duplicates(stream, **params)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--copied", type=float, default=0.4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--exclude", metavar="FILE",
                    help="leave out the stories of FILE (held out from a tuning set)")
    ap.add_argument("--resends", type=int, default=0, metavar="WORDS",
                    help="stories of the corpus that open with the same WORDS words are "
                         "one group in the gold (default: only the same whole text)")
    args = ap.parse_args()
    stream, gold, kinds = build(args.data, args.copied, args.seed, args.resends,
                                args.exclude)
    print(f"{len(stream)} stories, {len(set(gold.values()))} groups")
    measure("newsclf dedup", ours(), stream, gold, kinds)
    measure("newsclf dedup, 2 jobs", ours(jobs=2), stream, gold, kinds, memory=False)
    measure("plain datasketch", plain_datasketch, stream, gold, kinds)
    if args.grid:
        for jac, cont, lead in itertools.product([0.4, 0.5], [0.6, 0.7, 0.8], [25, 40]):
            measure(f"j{jac} c{cont} lead{lead}",
                    ours(jaccard=jac, containment=cont, lead_words=lead), stream, gold,
                    kinds, memory=False)


if __name__ == "__main__":
    main()
