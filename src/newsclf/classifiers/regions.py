"""The ``regions`` classifier: the countries (ISO 3166-1 alpha-2) and UN M49 regions a
story is about, with the place mentions that led to them as evidence.

Mentioned is not about: a story on Pakistan's IMF bailout names Saudi Arabia and China in
passing. Each country gets a salience from its mentions: the kind of name (a country's
name or demonym says more than a city), where it stands (title ×``title_boost``, the lead
×``lead_boost``, a dateline such as ``TOKYO, March 3 -`` like the title), and how many
mentions there are, with diminishing returns. A country is *about* when its salience
reaches ``min_salience`` and ``relative`` × the top country's. Its score is
``salience / (salience + 2)``. Countries only mentioned are kept as labels of facet
``mention`` when ``mentions=True``.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..gazetteer import KIND_WEIGHTS, Gazetteer, Mention, load_gazetteer
from ..types import Document, Evidence, Label
from .params import Params

__all__ = ["RegionTagger"]

_DECAY = tuple(1 / math.sqrt(k) for k in range(1, 65))
_DATELINE = re.compile(r"^\s*(?:\(\w+\)\s*)?[A-Z][A-Za-z .'-]{1,40}(?:,\s*[A-Za-z .]{2,30})?"
                       r"(?:,|\s)\s*(?:\w{3,9}\.? \d{1,2}|\(\w+\))?\s*[-–—]\s")


class RegionTagger(Params):
    """Countries and regions from a gazetteer, scored by salience (see the module doc).

    Parameters: ``gazetteer`` (a TOML file extending the built-in names), ``min_salience``,
    ``relative``, ``title_boost``, ``lead_boost``, ``lead_chars``, ``regions`` (also give
    sub-regions and regions), ``mentions`` (also give every other mentioned country, facet
    ``mention``).
    """

    name = "regions"
    facet = "country"
    facets = ("country", "region", "mention")
    trainable = False

    def __init__(self, *, gazetteer: str | None = None, min_salience: float = 1.4,
                 relative: float = 0.45, title_boost: float = 3.0, lead_boost: float = 1.5,
                 lead_chars: int = 400, regions: bool = True, mentions: bool = False) -> None:
        self.gazetteer = gazetteer
        self.min_salience = min_salience
        self.relative = relative
        self.title_boost = title_boost
        self.lead_boost = lead_boost
        self.lead_chars = lead_chars
        self.regions = regions
        self.mentions = mentions

    @property
    def gazetteer_(self) -> Gazetteer:
        cached: Gazetteer | None = self.__dict__.get("_gazetteer")
        if cached is None:
            cached = load_gazetteer(self.gazetteer)
            self.__dict__["_gazetteer"] = cached
        return cached

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_gazetteer", None)  # the built-in one is package data: load it anew
        return state

    def fit(self, documents: Sequence[Document] = (),
            labels: Sequence[Sequence[str]] = ()) -> RegionTagger:
        """Nothing to learn: rules are ready as built. Returns ``self``."""
        return self

    def salience(self, document: Document) -> tuple[dict[str, float], dict[str, list[Mention]]]:
        """Each mentioned country's salience and its mentions (offsets into
        ``document.full_text``)."""
        text = document.full_text
        body_start = len(document.title) + 2 if document.title else 0
        mentions = self.gazetteer_.find(text)
        by_country: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_country[m.country].append(m)
        dateline = _DATELINE.match(text, body_start) if mentions else None
        dateline_end = dateline.end() if dateline else -1
        weak = self.gazetteer_.weak
        lead_end = body_start + self.lead_chars
        title_boost, lead_boost = self.title_boost, self.lead_boost
        scores: dict[str, float] = {}
        for country, found in by_country.items():
            # a weak name (or a province) counts only beside a strong one, or in the title
            strong = any(kind != "province" and span not in weak
                         for span, _, _, _, kind in found)
            weights = []
            for span, start, end, _, kind in found:
                in_title = start < body_start or end <= dateline_end
                if not (strong or in_title) and (kind == "province" or span in weak):
                    continue
                w = KIND_WEIGHTS.get(kind, 0.5)
                if in_title:
                    w *= title_boost
                elif start < lead_end:
                    w *= lead_boost
                weights.append(w)
            if weights:
                weights.sort(reverse=True)
                # diminishing returns: the k-th mention counts 1/sqrt(k)
                scores[country] = sum(w * _DECAY[k] if k < len(_DECAY) else w / math.sqrt(k + 1)
                                      for k, w in enumerate(weights))
        return scores, by_country

    def _labels(self, document: Document) -> list[Label]:
        scores, by_country = self.salience(document)
        if not scores:
            return []
        top = max(scores.values())
        labels: list[Label] = []
        about: list[tuple[str, float]] = []
        for country, s in sorted(scores.items(), key=lambda kv: -kv[1]):
            is_about = s >= self.min_salience and s >= self.relative * top
            if not is_about and not self.mentions:
                continue
            evidence = tuple(Evidence(m.text, m.start, m.end, kind=m.kind)
                             for m in by_country[country])
            score = s / (s + 2.0)
            if is_about:
                about.append((country, score))
            labels.append(Label(country, "country" if is_about else "mention", score,
                                self.name, evidence))
        if self.regions:
            best: dict[tuple[str, str], float] = {}
            for country, score in about:
                for facet, region in zip(("region", "region"),
                                         self.gazetteer_.region_of(country)):
                    if region:
                        key = (facet, region)
                        best[key] = max(best.get(key, 0.0), score)
            for (facet, region), score in best.items():
                members = tuple(Evidence(c, kind="country") for c, _ in about
                                if region in self.gazetteer_.region_of(c))
                labels.append(Label(region, facet, score, self.name, members))
        return labels

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]:
        """Countries (facet ``country``) and regions (facet ``region``) of each document."""
        return [self._labels(doc) for doc in documents]

    def explain(self, document: Document) -> list[Label]:
        """The same labels; their evidence is always the place mentions."""
        return self._labels(document)
