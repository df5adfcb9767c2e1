"""The evaluation report: one self-contained HTML page (table, F1 bar chart, most confused
pairs; no external resources)."""

from __future__ import annotations

import html
from pathlib import Path

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
