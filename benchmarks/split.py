"""Throughput of the page splitter: builds a large set of scraped pages in the three
layouts (from the stories of a JSONL file, or of seeds/ when none is given) and times
``newsclf split`` on it in this process.

    python benchmarks/split.py [../shared/data/topics/train.jsonl] [--mb 50]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from newsclf.readers import read_inputs


def pages(stories: list[tuple[str, str]], target: int) -> list[str]:
    out, size, k = [], 0, 0
    while size < target:
        chunk = [stories[(k + i) % len(stories)] for i in range(5)]
        k += 5
        layout = k // 5 % 3
        if layout == 0:
            text = "\n\n".join(f"{t} – Bench Times\n\n{b}\n\nContinue Reading" for t, b in chunk)
        elif layout == 1:
            text = "Connect with us\n\n" + "\n\n".join(
                f"WORLD\n\n{t}\n\nPublished\n\non\n\n{b}\n\nContinue Reading" for t, b in chunk
            ) + "\n\nMOST READ\n\nSomething"
        else:
            lead, *rest = chunk
            text = f"\n{lead[0]}\n{lead[1]}\nHashtags\n\nComments\nRelated Articles\n\n" + \
                "".join(f"Wire {i}\n{i + 1} hours ago\n- Wire {i}\n{t}\n{b[:300]}\n\n"
                        for i, (t, b) in enumerate(rest))
        out.append(text)
        size += len(text.encode())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", nargs="?", default=str(Path(__file__).parents[1] / "seeds"))
    ap.add_argument("--mb", type=float, default=50)
    args = ap.parse_args()
    stories = [(d.title or d.id, d.text) for d in read_inputs([args.data])]
    with tempfile.TemporaryDirectory() as tmp:
        total = 0
        for i, text in enumerate(pages(stories, int(args.mb * 1e6))):
            path = Path(tmp) / f"page{i:06d}.txt"
            path.write_text(text, encoding="utf-8")
            total += path.stat().st_size
        t = time.perf_counter()
        n = sum(1 for _ in read_inputs([tmp], unique=False))
        dt = time.perf_counter() - t
    print(f"{total / 1e6:.1f} MB in {i + 1} pages -> {n} stories in {dt:.1f}s: "
          f"{total / 1e6 / dt:.1f} MB/s, {n / dt:.0f} stories/s")


if __name__ == "__main__":
    main()
