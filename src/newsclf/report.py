"""The evaluation report: one self-contained HTML page (table, F1 bar chart, reliability
diagrams, figures per group, most confused pairs; inline SVG, no external resources)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from .metrics import Metrics

__all__ = ["write_report"]


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


def _reliability(name: str, table: dict[str, Any], size: int = 150) -> str:
    """A reliability diagram: mean score (x) against the share of true labels (y) per
    score bin, dot area by count, the diagonal for perfect calibration."""
    pad = 24
    inner = size - 2 * pad
    total = sum(b["count"] for b in table["bins"]) or 1
    parts = [f'<figure><svg xmlns="http://www.w3.org/2000/svg" width="{size}" '
             f'height="{size}" role="img" aria-label="reliability of {html.escape(name)}">',
             f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" fill="none" '
             'stroke="#bbb"/>',
             f'<line x1="{pad}" y1="{pad + inner}" x2="{pad + inner}" y2="{pad}" '
             'stroke="#bbb" stroke-dasharray="3,3"/>']
    points = []
    for b in table["bins"]:
        x = pad + b["mean_score"] * inner
        y = pad + (1 - b["accuracy"]) * inner
        r = 2 + 8 * (b["count"] / total) ** 0.5
        points.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#3b7dd8" '
                     f'fill-opacity="0.6"><title>scores {b["lo"]:.1f}–{b["hi"]:.1f}: '
                     f'{b["count"]} labels, mean {b["mean_score"]:.2f}, true '
                     f'{b["accuracy"]:.2f}</title></circle>')
    if len(points) > 1:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#3b7dd8"/>')
    parts.append(f'<text x="{pad}" y="{size - 6}" font-size="10">score →</text>'
                 f'<text x="4" y="{pad - 8}" font-size="10">true ↑</text></svg>'
                 f'<figcaption>{html.escape(name)} · ECE {table["ece"]:.3f}</figcaption>'
                 '</figure>')
    return "".join(parts)


def _calibration_section(data: dict[str, Any]) -> str:
    if "calibration" not in data:
        return ""
    figures = "".join(_reliability("all labels" if name == "_all" else name, table)
                      for name, table in data["calibration"].items())
    return (f"<h2>Calibration</h2><p>Expected calibration error {data['ece']:.3f}: how far a "
            "score is, on average, from the share of labels at that score that are right "
            "(10 bins).</p><div class=figs>" + figures + "</div>")


def _groups_section(data: dict[str, Any]) -> str:
    if "by" not in data:
        return ""
    rows = "".join(f"<tr><td>{html.escape(value)}</td><td>{g['documents']}</td>"
                   f"<td>{g['micro_f1']:.3f}</td><td>{g['macro_f1']:.3f}</td></tr>"
                   for value, g in data["by"].items())
    return ("<h2>Per group</h2><table><tr><th>group</th><th>documents</th><th>micro-F1</th>"
            f"<th>macro-F1</th></tr>{rows}</table>")


def write_report(metrics: Metrics, path: Path) -> None:
    """A self-contained HTML page: the table, an F1 bar chart per label, reliability
    diagrams (when the metrics have calibration), figures per group (when evaluated
    ``by`` a field) and the most confused label pairs."""
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
text-align:right}}td:first-child,th:first-child{{text-align:left}}
.figs{{display:flex;flex-wrap:wrap;gap:8px}}figure{{margin:0}}figcaption{{font-size:12px}}
</style></head><body>
<h1>newsclf evaluation</h1>
<p>{data['documents']} documents &middot; micro-F1 <b>{data['micro_f1']:.3f}</b> &middot;
macro-F1 <b>{data['macro_f1']:.3f}</b></p>
<h2>F1 per label</h2>{_bar_chart(metrics.per_label)}
<h2>Per label</h2><table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th>
<th>support</th></tr>{rows}</table>
{_calibration_section(data)}
{_groups_section(data)}
<h2>Most confused pairs</h2><p>Gold label missed while another was wrongly given in the
same document.</p><table><tr><th>gold</th><th>predicted instead</th><th>documents</th></tr>
{confused}</table></body></html>
"""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
