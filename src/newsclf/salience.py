"""How much a story is about each country, from its resolved place mentions: the inner
loop of the ``regions`` classifier (see :mod:`newsclf.classifiers.regions` for the rules).

Compiled with mypyc when the package is built as a wheel (see ``hatch_build.py``), like
:mod:`newsclf.geoparse`; the same source runs as plain Python.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from .gazetteer import KIND_WEIGHTS, Gazetteer, Mention
from .geoparse import NEVER, dateline, resolve
from .types import Evidence, Label

__all__ = ["BY_POPULATION", "DECAY", "country_labels", "country_salience", "government",
           "story_salience"]

# diminishing returns: the k-th mention of a country counts 1/sqrt(k)
DECAY: tuple[float, ...] = tuple(1 / math.sqrt(k) for k in range(1, 65))
BY_POPULATION = frozenset({"city", "altname"})  # kinds whose weight grows with population
_NAME_WEIGHT = KIND_WEIGHTS["name"]

# a capital or a seat of government that speaks or acts ("Beijing said", "the Kremlin
# warned", "Downing Street declined to comment"), a leader named by title ("President
# Lula") and a people's officials ("Japanese officials", "Bavarian police") are the
# government: they count as much as the country's name
_GOVERNMENT_KINDS = frozenset({"capital", "metonym"})
_SPEAKING_KINDS = _GOVERNMENT_KINDS | {"demonym"}
_ACTS = re.compile(
    r"\s*(?:,[^,]{1,40},\s*)?(?:has |had |have |would |will |is |was |also |on \w+ )?"
    r"(?:said|says|say|told|tells|announced|announces|warned|warns|accused|accuses|denied|"
    r"denies|rejected|rejects|urged|urges|demanded|demands|called|calls|condemned|"
    r"condemns|responded|responds|insisted|insists|agreed|agrees|threatened|threatens|"
    r"signed|signs|approved|approves|ordered|orders|imposed|imposes|vowed|vows|claimed|"
    r"claims|confirmed|confirms|declined|declines|hit back|retaliated|protested|summoned|"
    r"wants|sought|seeks|plans|pledged|pledges|arrested|held|holds|voted|votes|raised|"
    r"raises|cut|cuts|kept|keeps|passed|passes|launched|launches|charged|blocked|blocks|"
    r"banned|bans|released|issued|issues|reported|expelled|sanctioned|deployed|invited)\b")
# the people of a place as its state: "Japanese officials", "Bavarian police"
_OFFICIALS = re.compile(
    r"\s+(?:officials?|authorities|government|ministry|ministers?|police|forces|troops|"
    r"army|navy|military|lawmakers|legislators|regulators|prosecutors|diplomats|leaders?|"
    r"president|prime minister|premier|courts?|parliament|embassy|central bank|"
    r"negotiators|envoy|state media|warships|jets|soldiers)\b")
_TITLED = re.compile(r"\b(?:President|Prime Minister|Premier|Chancellor|King|Queen|"
                     r"Emperor|Supreme Leader|PM|Vice President|Foreign Minister)\s+$")


def government(text: str, m: Mention) -> bool:
    """Whether a capital, a seat of government or a people's officials stand for the
    country's government here (they then count as much as its name)."""
    if m.kind == "demonym":
        return bool(_OFFICIALS.match(text, m.end))
    return m.kind in _GOVERNMENT_KINDS and bool(
        _ACTS.match(text, m.end) or _TITLED.search(text, max(0, m.start - 30), m.start))


def story_salience(gaz: Gazetteer, text: str, body_start: int, min_population: int,
                   lead_chars: int, title_boost: float, lead_boost: float,
                   weights: dict[int, float], weight: Callable[[Mention], float]
                   ) -> tuple[dict[str, float], dict[str, list[Mention]]]:
    """:func:`country_salience` of the mentions that :func:`newsclf.geoparse.resolve`
    reads in a story's ``text`` (its ``full_text``, the body from ``body_start``)."""
    line = dateline(text, body_start)
    mentions = resolve(gaz, text, body_start, min_population, line)
    return country_salience(text, body_start, mentions, line[1] if line else -1,
                            lead_chars, title_boost, lead_boost, weights, weight)


def country_salience(text: str, body_start: int, mentions: list[Mention], dateline_end: int,
                     lead_chars: int, title_boost: float, lead_boost: float,
                     weights: dict[int, float], weight: Callable[[Mention], float]
                     ) -> tuple[dict[str, float], dict[str, list[Mention]]]:
    """Each country's salience and the mentions that count for it. A mention weighs
    ``KIND_WEIGHTS`` of its kind; a town, ``weights`` of its place row, or ``weight(m)``
    (by its population) the first time."""
    if not mentions:
        return {}, {}
    # backing: a country with a mention that needs none; or, for weak names, the title
    backed = {m.country for m in mentions if not m.support}
    lead_end = body_start + lead_chars
    weighed: dict[str, list[float]] = {}
    kept: dict[str, list[Mention]] = {}
    order = dict.fromkeys([m.country for m in mentions])  # the order of first mention
    for m in mentions:
        support = m.support
        in_title = m.start < body_start or m.end <= dateline_end
        if support and (support >= NEVER or (m.country not in backed
                                             and not (support == 1 and in_title))):
            continue
        kind = m.kind
        if kind in BY_POPULATION:
            w = weights.get(m.place, -1.0)
            if w < 0:
                w = weight(m)
        else:
            w = KIND_WEIGHTS.get(kind, 0.5)
        if kind in _SPEAKING_KINDS and government(text, m):
            w = max(w, _NAME_WEIGHT)
        if in_title:
            w *= title_boost
        elif m.start < lead_end:
            w *= lead_boost
        country = m.country
        if country in kept:
            kept[country].append(m)
            weighed[country].append(w)
        else:
            kept[country] = [m]
            weighed[country] = [w]
    scores: dict[str, float] = {}
    for country in order:
        ws = weighed.get(country)
        if ws is None:
            continue
        ws.sort(reverse=True)
        total = 0.0
        for k, w in enumerate(ws):
            total += w * DECAY[k] if k < len(DECAY) else w / math.sqrt(k + 1)
        scores[country] = total
    return scores, {c: kept[c] for c in scores}


def country_labels(scores: dict[str, float], kept: dict[str, list[Mention]],
                   min_salience: float, min_focus: float, relative: float, lead_end: int,
                   mentions: bool, source: str) -> tuple[list[Label], list[tuple[str, float]]]:
    """The labels of facet ``country`` (the countries a story is about: salience at least
    ``min_salience``, or ``min_focus`` for the top one when it is named before
    ``lead_end``, and ``relative`` × the top one's), most salient first, with their
    mentions as evidence, and of facet ``mention`` for the others when ``mentions``; and
    the ``(country, score)`` of the first. A score is ``salience / (salience + 2)``."""
    top = max(scores.values())
    labels: list[Label] = []
    about: list[tuple[str, float]] = []
    for country, s in sorted(scores.items(), key=_by_salience):
        is_about = s >= relative * top and (s >= min_salience or (
            s == top and s >= min_focus and any(m.start < lead_end for m in kept[country])))
        if not is_about and not mentions:
            continue
        evidence = tuple([tuple.__new__(Evidence, (m.text, m.start, m.end, None, m.kind))
                          for m in kept[country]])  # (as in geoparse.resolve: faster)
        score = s / (s + 2.0)
        if is_about:
            about.append((country, score))
        labels.append(Label(country, "country" if is_about else "mention", score, source,
                            evidence))
    return labels, about


def _by_salience(item: tuple[str, float]) -> float:
    return -item[1]
