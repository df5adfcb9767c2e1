"""``newsclf serve`` under load on loopback: latency of one story and 2,000 requests from
16 concurrent clients, against the shipped default model.

    pip install -e '.[serve,test]'
    python benchmarks/serve_load.py ../shared/data/topics/train.jsonl

Stories are taken from the given file (title and text). Prints the median latency of
200 one-at-a-time requests, then for the concurrent run: errors, median, 99th percentile
and slowest request, and requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from newsclf import load_default_model
from newsclf.serve import create_app


def start() -> tuple[str, uvicorn.Server]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(load_default_model()),
                                           host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(f"{url}/health")
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    return url, server


async def run(url: str, stories: list[dict[str, str]], total: int, clients: int) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        one = []
        for story in stories[:200]:
            t = time.perf_counter()
            (await client.post(f"{url}/predict", json=story)).raise_for_status()
            one.append(time.perf_counter() - t)
        print(f"one story at a time: median {1000 * statistics.median(one):.1f} ms over "
              f"{len(one)} requests")
        times: list[float] = []
        errors = 0
        queue = list(range(total))

        async def worker() -> None:
            nonlocal errors
            while queue:
                i = queue.pop()
                t = time.perf_counter()
                r = await client.post(f"{url}/predict", json=stories[i % len(stories)])
                times.append(time.perf_counter() - t)
                errors += r.status_code != 200

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - t0
        times.sort()
        print(f"{total} requests from {clients} clients: {errors} errors, median "
              f"{1000 * statistics.median(times):.1f} ms, p99 "
              f"{1000 * times[int(0.99 * len(times))]:.1f} ms, slowest "
              f"{1000 * times[-1]:.1f} ms, {total / wall:.0f} requests/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--url", help="a running `newsclf serve` (e.g. with --workers 2) "
                                  "instead of one started here")
    args = ap.parse_args()
    stories = [{"title": r.get("title", ""), "text": r["text"]} for r in
               (json.loads(line) for line in Path(args.data).read_text().splitlines())]
    if args.url:
        asyncio.run(run(args.url, stories, args.requests, args.clients))
        return
    url, server = start()
    asyncio.run(run(url, stories, args.requests, args.clients))
    server.should_exit = True


if __name__ == "__main__":
    main()
