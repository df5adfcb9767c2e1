"""Story cards: one story, its labels and the evidence highlighted in its text, as HTML.

The same card is shown by ``newsclf show`` (a self-contained page) and ``newsclf serve``;
its facts come in the order of ``--format table``: topics with scores, countries (focus
first), regions, places. Evidence with offsets is highlighted in the text, a colour per
facet, with a tooltip naming the labels it supports (the way displaCy shows entities).
Every piece of story text is escaped: a story holding ``<script>`` shows it as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .types import Document, Prediction

__all__ = ["CARD_CSS", "FACET_COLOURS", "card", "highlighted"]

FACET_COLOURS = {"topic": "#ffe08a", "country": "#b8e3ff", "place": "#c9f2c7",
                 "mention": "#e6e6e6"}
CARD_CSS = """
.card{border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin:12px 0;background:#fff}
.card h2{font-size:17px;margin:0 0 6px}
.facts{font-size:13px;margin:4px 0 8px;display:flex;flex-wrap:wrap;gap:4px;align-items:center}
.facts b{margin-right:2px;color:#555;font-weight:600}
.chip{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px}
.chip.topic{background:#ffe08a}.chip.country{background:#b8e3ff}
.chip.region{background:#eee}.chip.place{background:#c9f2c7}
.text{font-size:14px;line-height:1.5;white-space:pre-wrap}
.teaser{font-size:12px;font-weight:400;background:#eee;border-radius:10px;padding:1px 8px;
margin-left:6px;color:#555}
mark{border-radius:3px;padding:0 1px}
mark.topic{background:#ffe08a}mark.country{background:#b8e3ff}mark.place{background:#c9f2c7}
.legend mark{margin-right:8px}
"""
_ORDER = ("topic", "country", "region", "place")


def highlighted(text: str, prediction: Prediction, start_at: int = 0,
                end_at: int | None = None) -> str:
    """``text[start_at:end_at]`` (of a story's ``full_text``: evidence offsets refer to
    it) as escaped HTML with each evidence span wrapped in ``<mark class=FACET
    title="supports …">``: a span with offsets, and every occurrence (a whole word, any
    case) of a topic's evidence term, with offsets or not; overlapping spans keep the
    first (topic before country before place)."""
    end_at = len(text) if end_at is None else end_at
    spans: dict[tuple[int, int], tuple[str, list[str]]] = {}
    rank = {facet: i for i, facet in enumerate(_ORDER)}
    for label in sorted(prediction.labels, key=lambda lb: rank.get(lb.facet, 9)):
        facet = "country" if label.facet in ("country", "mention") else label.facet
        if facet not in FACET_COLOURS:
            continue
        for ev in label.evidence:
            if ev.kind == "sentence":  # a whole sentence would drown the terms in it
                continue
            found: list[tuple[int, int]] = []
            if ev.start is not None and ev.end is not None and \
                    start_at <= ev.start < ev.end <= end_at:
                found.append((ev.start, ev.end))
            if facet == "topic" and len(ev.text.strip()) > 1:
                found += _occurrences(ev.text, text, start_at, end_at)
            for key in found:
                spans.setdefault(key, (facet, []))[1].append(f"{label.facet} {label.name}")
    out, pos = [], start_at
    for (start, end), (facet, supports) in sorted(spans.items()):
        if start < pos:  # overlaps a span already marked
            continue
        out.append(html.escape(text[pos:start]))
        tip = html.escape("supports " + ", ".join(dict.fromkeys(supports)), quote=True)
        out.append(f'<mark class="{facet}" title="{tip}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:end_at]))
    return "".join(out)


def _occurrences(term: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where ``term`` occurs in ``text[start:end]`` as whole words (not inside a
    hyphenated one), any case; a term of several words: any run of spaces between them."""
    words = [re.escape(w) for w in term.split()]
    pattern = re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]


def _chips(prediction: Prediction, facet: str, scores: bool) -> str:
    chips = []
    for label in prediction.by_facet(facet):
        if facet == "place" and label.attributes.get("kind") == "country":
            continue  # the countries have their own row
        text = f"{label.name} {label.score:.2f}" if scores else label.name
        chips.append(f'<span class="chip {facet}" title="{html.escape(label.classifier)}">'
                     f"{html.escape(text)}</span>")
    return "".join(chips) or "–"


def card(document: Document, prediction: Prediction) -> str:
    """One story's card (HTML), with ``data-topics``/``data-countries`` for filters."""
    topics = [lb.name for lb in prediction.by_facet("topic")]
    countries = [lb.name for lb in prediction.by_facet("country")]
    rows = [("topics", _chips(prediction, "topic", True)),
            ("countries", _chips(prediction, "country", False)),
            ("regions", _chips(prediction, "region", False))]
    if any(lb.attributes.get("kind") != "country" for lb in prediction.by_facet("place")):
        rows.append(("places", _chips(prediction, "place", False)))
    facts = "".join(f'<div class="facts"><b>{name}</b>{chips}</div>' for name, chips in rows)
    title = highlighted(document.full_text, prediction, 0, len(document.title)) \
        if document.title else html.escape(document.id)
    if document.meta.get("teaser"):
        title += ('<span class="teaser" title="a teaser: the page shows only the start '
                  'of this story">teaser</span>')
    data = (f'data-topics="{html.escape(" ".join(topics), quote=True)}" '
            f'data-countries="{html.escape(" ".join(countries), quote=True)}"')
    return (f'<article class="card" {data}><h2>{title}</h2>{facts}'
            f'<div class="text">{highlighted(document.full_text, prediction, document.body_start)}'
            "</div></article>")


def legend() -> str:
    """What the colours mean."""
    return ('<p class="legend">Evidence: <mark class="topic">topic</mark>'
            '<mark class="country">country</mark><mark class="place">place</mark>'
            "(hover a highlight to see the label it supports)</p>")


def cards(pairs: Iterable[tuple[Document, Prediction]]) -> list[str]:
    """The cards of several stories."""
    return [card(doc, pred) for doc, pred in pairs]
