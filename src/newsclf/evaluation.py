"""Evaluation: per-label precision, recall, F1 and support; micro and macro averages;
a readable table and a self-contained HTML report."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError
from .types import Document

__all__ = ["Metrics", "evaluate", "format_metrics", "score_labels", "write_report"]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class Metrics:
    """Scores of predicted against gold label sets."""

    per_label: dict[str, dict[str, float]]
    micro: dict[str, float]
    macro: dict[str, float]
    documents: int
    confused: list[tuple[str, str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """``micro_f1``, ``macro_f1``, ``per_label`` and the rest, JSON-ready."""
        return {
            "micro_f1": round(self.micro["f1"], 4),
            "macro_f1": round(self.macro["f1"], 4),
            "micro": {k: round(v, 4) for k, v in self.micro.items()},
            "macro": {k: round(v, 4) for k, v in self.macro.items()},
            "documents": self.documents,
            "per_label": {name: {k: (round(v, 4) if isinstance(v, float) else v)
                                 for k, v in row.items()}
                          for name, row in self.per_label.items()},
            "confused": [{"gold": a, "predicted": b, "count": n} for a, b, n in self.confused],
        }


def score_labels(gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]],
                 labels: Iterable[str] | None = None) -> Metrics:
    """Metrics of ``predicted`` label sets against ``gold`` ones. Macro averages run over
    the labels that occur in the gold sets (or ``labels`` when given)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    confused: Counter[tuple[str, str]] = Counter()
    for g_raw, p_raw in zip(gold, predicted, strict=True):
        g, p = set(g_raw), set(p_raw)
        for name in g & p:
            tp[name] += 1
        for name in p - g:
            fp[name] += 1
        for name in g - p:
            fn[name] += 1
            for wrong in p - g:
                confused[(name, wrong)] += 1
    names = sorted(set(labels) if labels is not None else (set(tp) | set(fn)))
    per_label: dict[str, dict[str, float]] = {}
    for name in names:
        p_, r_, f_ = _prf(tp[name], fp[name], fn[name])
        per_label[name] = {"precision": p_, "recall": r_, "f1": f_,
                           "support": tp[name] + fn[name]}
    mp, mr, mf = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    n = len(per_label) or 1
    macro = {k: sum(row[k] for row in per_label.values()) / n
             for k in ("precision", "recall", "f1")}
    return Metrics(per_label=per_label, micro={"precision": mp, "recall": mr, "f1": mf},
                   macro=macro, documents=len(gold),
                   confused=[(a, b, c) for (a, b), c in confused.most_common(10)])


def evaluate(model: Any, documents: Iterable[Document], *, labels_field: str = "labels",
             facet: str = "topic", batch_size: int = 256) -> Metrics:
    """Score ``model``'s labels of ``facet`` against the gold labels in ``labels_field``.
    Records without that field are an error naming them."""
    from .training import gold_labels

    gold: list[list[str]] = []
    predicted: list[list[str]] = []
    batch: list[Document] = []

    def flush() -> None:
        for pred in model.predict(batch):
            predicted.append(pred.names(facet))
        batch.clear()

    for doc in documents:
        labels = gold_labels(doc, labels_field)
        if labels is None:
            raise InputError(f"record has no label field {labels_field!r}", doc.id)
        gold.append(labels)
        batch.append(doc)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    if not gold:
        raise InputError("no records to evaluate on")
    facets = {f for c in getattr(model, "classifiers", [])
              for f in getattr(c, "facets", (getattr(c, "facet", None),)) if f}
    if not any(predicted) and facet not in facets:
        known = ", ".join(sorted(facets))
        raise ConfigError(f"the model gives no labels of facet {facet!r} (it gives: {known})")
    return score_labels(gold, predicted)


def format_metrics(metrics: dict[str, Any]) -> str:
    """A readable table of a metrics dict (as :meth:`Metrics.to_dict` gives)."""
    rows = [f"{'label':<28} {'prec':>6} {'rec':>6} {'f1':>6} {'support':>8}"]
    for name, row in metrics["per_label"].items():
        rows.append(f"{name[:28]:<28} {row['precision']:>6.3f} {row['recall']:>6.3f} "
                    f"{row['f1']:>6.3f} {int(row['support']):>8}")
    for avg in ("micro", "macro"):
        row = metrics[avg]
        rows.append(f"{avg + ' avg':<28} {row['precision']:>6.3f} {row['recall']:>6.3f} "
                    f"{row['f1']:>6.3f}")
    return "\n".join(rows)


def _bar_chart(per_label: dict[str, dict[str, float]]) -> str:
    names = sorted(per_label, key=lambda n: -per_label[n]["f1"])
    row_h, left, width = 18, 200, 360
    height = row_h * len(names) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" '
             f'height="{height}" role="img" aria-label="F1 per label">']
    for i, name in enumerate(names):
        f1 = per_label[name]["f1"]
        y = 10 + i * row_h
        hue = int(120 * f1)
        parts.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end" '
                     f'font-size="12">{html.escape(name)}</text>'
                     f'<rect x="{left}" y="{y}" width="{width * f1:.1f}" height="{row_h - 4}" '
                     f'fill="hsl({hue},60%,50%)"/>'
                     f'<text x="{left + width * f1 + 4:.1f}" y="{y + 12}" '
                     f'font-size="11">{f1:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_report(metrics: Metrics, path: Path) -> None:
    """A self-contained HTML page: the table, an F1 bar chart per label and the most
    confused label pairs."""
    data = metrics.to_dict()
    rows = "".join(
        f"<tr><td>{html.escape(n)}</td><td>{r['precision']:.3f}</td><td>{r['recall']:.3f}"
        f"</td><td>{r['f1']:.3f}</td><td>{int(r['support'])}</td></tr>"
        for n, r in data["per_label"].items())
    confused = "".join(
        f"<tr><td>{html.escape(c['gold'])}</td><td>{html.escape(c['predicted'])}</td>"
        f"<td>{c['count']}</td></tr>" for c in data["confused"]) or \
        "<tr><td colspan=3>none</td></tr>"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsclf evaluation</title>
<style>body{{font:14px system-ui,sans-serif;margin:2em;max-width:900px}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{padding:3px 10px;border-bottom:1px solid #ddd;
text-align:right}}td:first-child,th:first-child{{text-align:left}}</style></head><body>
<h1>newsclf evaluation</h1>
<p>{data['documents']} documents &middot; micro-F1 <b>{data['micro_f1']:.3f}</b> &middot;
macro-F1 <b>{data['macro_f1']:.3f}</b></p>
<h2>F1 per label</h2>{_bar_chart(metrics.per_label)}
<h2>Per label</h2><table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th>
<th>support</th></tr>{rows}</table>
<h2>Most confused pairs</h2><p>Gold label missed while another was wrongly given in the
same document.</p><table><tr><th>gold</th><th>predicted instead</th><th>documents</th></tr>
{confused}</table></body></html>
"""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
