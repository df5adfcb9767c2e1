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

__all__ = ["write_page"]

_PAGE_CSS = """
body{font:14px system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:8px 16px;
z-index:1}main{max-width:960px;margin:0 auto;padding:0 16px 40px}
select,button{font:inherit;margin-right:8px}.hidden{display:none}
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
    """Write the page of cards for (document, prediction) pairs; returns how many."""
    cards, topics, countries = [], [], []
    for doc, pred in pairs:
        cards.append(card(doc, pred))
        topics += [lb.name for lb in pred.by_facet("topic")]
        countries += [lb.name for lb in pred.by_facet("country")]
    out.write(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>{_PAGE_CSS}{CARD_CSS}</style></head><body>
<header><select id="topic">{_options(topics, "topics")}</select>
<select id="country">{_options(countries, "countries")}</select>
<button id="prev">‹ previous</button><button id="next">next ›</button>
<span id="info">{len(cards)} stories</span>{legend()}</header><main>
""")
    for html_card in cards:
        out.write(html_card + "\n")
    out.write(f"</main><script>{_SCRIPT.replace('PER_PAGE', str(int(per_page)))}</script>"
              "</body></html>\n")
    return len(cards)
