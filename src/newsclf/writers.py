"""Writers: predictions as JSONL (the default, for pipes), CSV (for spreadsheets) or a
table for people, written batch by batch as they come."""

from __future__ import annotations

import csv
import json
import shutil
import textwrap
from collections.abc import Iterable
from typing import TextIO

from .types import Prediction

__all__ = ["FORMATS", "jsonl_line", "write_lines", "write_predictions"]

FORMATS = ("jsonl", "csv", "table")
_FACETS = ("topic", "country", "region")


def _names(prediction: Prediction, facet: str, scores: bool) -> str:
    labels = prediction.by_facet(facet)
    if scores:
        return ", ".join(f"{lb.name} {lb.score:.2f}" for lb in labels)
    return ";".join(lb.name for lb in labels)


def jsonl_line(prediction: Prediction) -> str:
    """One prediction as a line of ``predict``'s JSONL (newline included). Worker
    processes render lines with it, so the writing process only writes them."""
    return json.dumps(prediction.to_dict(), ensure_ascii=False) + "\n"


def write_lines(lines: Iterable[str], out: TextIO) -> int:
    """Write already rendered lines (see :func:`jsonl_line`); returns how many."""
    n = 0
    for line in lines:
        out.write(line)
        n += 1
    return n


def _jsonl(predictions: Iterable[Prediction], out: TextIO) -> int:
    return write_lines(map(jsonl_line, predictions), out)


def _csv(predictions: Iterable[Prediction], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "title", "topics", "topic_scores", "countries", "regions"])
    n = 0
    for p in predictions:
        n += 1
        topics = p.by_facet("topic")
        writer.writerow([p.document_id, p.title, ";".join(lb.name for lb in topics),
                         ";".join(f"{lb.score:.3f}" for lb in topics),
                         _names(p, "country", False), _names(p, "region", False)])
    return n


def _evidence_lines(prediction: Prediction, width: int) -> list[str]:
    lines = []
    for label in prediction.labels:
        if not label.evidence:
            continue
        terms = [e.text for e in label.evidence if e.kind not in ("sentence", "pattern")]
        quotes = [f"“{textwrap.shorten(e.text, 70, placeholder='…')}”"
                  for e in label.evidence if e.kind == "sentence"][:2]
        shown = ", ".join([*dict.fromkeys(terms[:8]), *quotes])
        lines.extend(textwrap.wrap(f"{label.facet} {label.name}: {shown}", width,
                                   initial_indent="    ", subsequent_indent="      "))
    return lines


def _table(predictions: Iterable[Prediction], out: TextIO, explain: bool) -> int:
    width = max(80, min(shutil.get_terminal_size((100, 24)).columns, 160))
    n = 0
    for p in predictions:
        n += 1
        title = p.title or p.document_id
        out.write(textwrap.shorten(title, width - 1, placeholder="…") + "\n")
        cells = [("topics", _names(p, "topic", True)),
                 ("countries", _names(p, "country", False).replace(";", ", ")),
                 ("regions", _names(p, "region", False).replace(";", ", "))]
        for name, value in cells:
            out.write(textwrap.fill(f"{name:>9}: {value or '-'}", width - 1,
                                    subsequent_indent=" " * 11) + "\n")
        if explain:
            for line in _evidence_lines(p, width - 1):
                out.write(line + "\n")
        out.write("\n")
    return n


def write_predictions(predictions: Iterable[Prediction], out: TextIO, fmt: str = "jsonl",
                      *, explain: bool = False) -> int:
    """Write predictions in ``fmt`` (one of :data:`FORMATS`); returns how many."""
    if fmt == "jsonl":
        return _jsonl(predictions, out)
    if fmt == "csv":
        return _csv(predictions, out)
    if fmt == "table":
        return _table(predictions, out, explain)
    raise ValueError(f"unknown output format {fmt!r} (known: {', '.join(FORMATS)})")
