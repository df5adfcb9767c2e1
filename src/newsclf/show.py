"""``newsclf show``: one self-contained HTML page of story cards (no network, no CDN),
with a legend, filters by topic and country over the whole file, and pages of
``per_page`` cards so that thousands of stories still open quickly (the filters and the
paging are a few lines of inline JavaScript; without it every card shows)."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TextIO

from .cards import CARD_CSS, card, legend
from .types import Document, Prediction

__all__ = ["event_block", "write_page"]

_PAGE_CSS = """
body{font:14px system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:8px 16px;
z-index:1}main{max-width:960px;margin:0 auto;padding:0 16px 40px}
select,button{font:inherit;margin-right:8px}.hidden{display:none}
.event{border-left:4px solid #8a6d3b;padding-left:12px;margin:16px 0}
.timeline{background:#fff8e6;border:1px solid #e8d9b0;border-radius:6px;padding:8px 12px}
.timeline ol{margin:4px 0 0;padding-left:20px}.timeline time{color:#666}
.timeline .outlet{color:#8a6d3b;margin-right:4px}
"""
_SCRIPT = """
const cards=[...document.querySelectorAll('.card')];const per=PER_PAGE;let page=0;
const topic=document.getElementById('topic'),country=document.getElementById('country');
const info=document.getElementById('info');
function matching(){return cards.filter(c=>(!topic.value||c.dataset.topics.split(' ')
.includes(topic.value))&&(!country.value||c.dataset.countries.split(' ')
.includes(country.value)));}
function show(){const m=matching();const pages=Math.max(1,Math.ceil(m.length/per));
page=Math.min(page,pages-1);cards.forEach(c=>c.classList.add('hidden'));
m.slice(page*per,page*per+per).forEach(c=>c.classList.remove('hidden'));
document.querySelectorAll('.event').forEach(e=>e.classList.toggle('hidden',
!e.querySelector('.card:not(.hidden)')));
info.textContent=m.length+' of '+cards.length+' stories · page '+(page+1)+' of '+pages;}
topic.onchange=country.onchange=()=>{page=0;show();};
document.getElementById('prev').onclick=()=>{page=Math.max(0,page-1);show();};
document.getElementById('next').onclick=()=>{page+=1;show();};show();
"""


def _options(values: Iterable[str], what: str) -> str:
    opts = "".join(f'<option value="{html.escape(v, quote=True)}">{html.escape(v)}</option>'
                   for v in sorted(set(values)))
    return f'<option value="">all {what}</option>{opts}'


def write_page(pairs: Iterable[tuple[Document, Prediction]], out: TextIO, *,
               title: str = "newsclf", per_page: int = 50) -> int:
    """Write the page of cards for (document, prediction) pairs; returns how many.
    Stories with an event (``prediction.event``, from :func:`newsclf.events.with_events`)
    shared by two or more are shown together, in the order of the event's first story,
    under the event's timeline."""
    topics: list[str] = []
    countries: list[str] = []
    order: dict[str, list[tuple[Document, Prediction]]] = {}
    for doc, pred in pairs:
        order.setdefault(pred.event or f"\0{doc.id}", []).append((doc, pred))
        topics += [lb.name for lb in pred.by_facet("topic")]
        countries += [lb.name for lb in pred.by_facet("country")]
    cards = [event_block(members) if len(members) > 1 else card(*members[0])
             for members in order.values()]
    n = sum(len(members) for members in order.values())
    out.write(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>{_PAGE_CSS}{CARD_CSS}</style></head><body>
<header><select id="topic">{_options(topics, "topics")}</select>
<select id="country">{_options(countries, "countries")}</select>
<button id="prev">‹ previous</button><button id="next">next ›</button>
<span id="info">{n} stories</span>{legend()}</header><main>
""")
    for html_card in cards:
        out.write(html_card + "\n")
    out.write(f"</main><script>{_SCRIPT.replace('PER_PAGE', str(int(per_page)))}</script>"
              "</body></html>\n")
    return n


def event_block(members: list[tuple[Document, Prediction]]) -> str:
    """The cards of one event's stories (in time order) under its timeline: date,
    outlet and title of each story."""
    from .dedup import published_time
    from .outlets import outlet_of

    members = sorted(members, key=lambda m: published_time(m[0].published) or 0.0)
    outlets = {outlet_of(doc) for doc, _ in members}
    rows = "".join(
        f"<li><time>{html.escape((doc.published or '')[:10])}</time> "
        f"<span class=\"outlet\">{html.escape(outlet_of(doc))}</span> "
        f"{html.escape(doc.title or doc.id)}</li>" for doc, _ in members)
    head = (f'<div class="timeline"><b>One event: {len(members)} stories, {len(outlets)} '
            f"outlet(s)</b><ol>{rows}</ol></div>")
    return (f'<section class="event">{head}'
            + "".join(card(doc, pred) for doc, pred in members) + "</section>")
