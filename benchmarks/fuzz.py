"""A long fuzz session (hypothesis, many examples) over what reads untrusted input: the
JSONL and CSV readers, the page splitter, the keyword rules and the region tagger.

    python benchmarks/fuzz.py --minutes 10

Each must return normally or raise a ``NewsclfError`` (an ``InputError`` for readers);
anything else is a bug and is printed with the input that caused it.
"""

from __future__ import annotations

import argparse
import io
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclf import Document, NewsclfError
from newsclf.classifiers.keywords import KeywordClassifier
from newsclf.classifiers.regions import RegionClassifier
from newsclf.readers.pages import split_page
from newsclf.readers.records import jsonl_stream

LINE = st.one_of(st.text(max_size=80), st.sampled_from(
    ["", "Continue Reading", "MOST READ", "Published", "2 hours ago", "- Reuters",
     "Advertisement", "Tokyo said Japan would act.", "Reading, England (AP) —",
     "BEIJING, Jan 5 (Reuters) - Exports rose.", "Title – Site", "{", '{"text": 1}']))
PAGE = st.lists(LINE, max_size=40).map("\n".join)
REGIONS = RegionClassifier(places=True, mentions=True)
RULES = KeywordClassifier()


def check_text(text: str) -> None:
    doc = Document(id="f", title=text[:60], text=text)
    REGIONS.predict([doc])
    RULES.predict([doc])
    split_page(text)


def check_jsonl(data: bytes) -> None:
    try:
        list(jsonl_stream(io.BytesIO(data), "fuzz.jsonl"))
    except NewsclfError:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--minutes", type=float, default=10)
    args = ap.parse_args()
    deadline = time.monotonic() + 60 * args.minutes
    found: list[str] = []
    rounds = examples = 0
    common = dict(deadline=None, database=None, derandomize=False,
                  suppress_health_check=list(HealthCheck))
    while time.monotonic() < deadline:
        rounds += 1
        for name, strategy, check in (("text", st.text(), check_text),
                                      ("page", PAGE, check_text),
                                      ("jsonl", st.binary(max_size=600), check_jsonl)):
            test = settings(max_examples=2000, **common)(given(strategy)(check))
            try:
                test()
            except Exception as exc:  # a bug: keep the input hypothesis shrank it to
                found.append(f"{name}: {type(exc).__name__}: {exc}")
            examples += 2000
    print(f"{rounds} rounds, about {examples} examples in {args.minutes} min; "
          f"{len(found)} failures")
    for line in found:
        print(" ", line[:300])


if __name__ == "__main__":
    main()
