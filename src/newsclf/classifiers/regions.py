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
from pathlib import Path
from typing import Any

from ..estimator import EstimatorMixin
from ..gazetteer import KIND_WEIGHTS, Gazetteer, Mention, load_gazetteer
from ..geoparse import NEVER, dateline, resolve
from ..types import Document, Evidence, Label

__all__ = ["RegionClassifier"]

_DECAY = tuple(1 / math.sqrt(k) for k in range(1, 65))

# a capital or a seat of government that speaks or acts ("Beijing said", "the Kremlin
# warned", "Downing Street declined to comment"), a leader named by title ("President
# Lula") and a people's officials ("Japanese officials", "Bavarian police") are the
# government: they count as much as the country's name
_GOVERNMENT_KINDS = frozenset({"capital", "metonym"})
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


def _government(text: str, m: Mention) -> bool:
    """Whether a capital or a seat of government stands for its government here."""
    if m.kind == "demonym":
        return bool(_OFFICIALS.match(text, m.end))
    return m.kind in _GOVERNMENT_KINDS and bool(
        _ACTS.match(text, m.end) or _TITLED.search(text, max(0, m.start - 30), m.start))


class RegionClassifier(EstimatorMixin):
    """Countries and regions from a gazetteer, scored by salience (see the module doc).

    Parameters: ``gazetteer`` (a TOML file extending the built-in names), ``min_salience``,
    ``relative``, ``title_boost``, ``lead_boost``, ``lead_chars``, ``regions`` (also give
    sub-regions and regions), ``mentions`` (also give every other mentioned country, facet
    ``mention``), ``places`` (also give the named places, facet ``place``),
    ``min_population`` (a town smaller needs another mention of its country),
    ``big_city``, ``city_weight``, ``big_city_weight``. Nothing is learned; a saved model
    keeps the text of a user's gazetteer file (``gazetteer_toml_``).
    """

    name = "regions"
    facet = "country"
    facets = ("country", "region", "mention", "place")
    trainable = False

    def __init__(self, *, gazetteer: str | None = None, min_salience: float = 1.4,
                 relative: float = 0.45, title_boost: float = 3.0, lead_boost: float = 1.5,
                 lead_chars: int = 400, regions: bool = True, mentions: bool = False,
                 places: bool = False, min_population: int = 100_000,
                 big_city: int = 1_000_000, city_weight: float = 1.0,
                 big_city_weight: float = 1.0) -> None:
        self.gazetteer = gazetteer
        self.min_salience = min_salience
        self.relative = relative
        self.title_boost = title_boost
        self.lead_boost = lead_boost
        self.lead_chars = lead_chars
        self.regions = regions
        self.mentions = mentions
        self.places = places
        self.min_population = min_population
        self.big_city = big_city
        self.city_weight = city_weight
        self.big_city_weight = big_city_weight

    def _gazetteer(self) -> Gazetteer:
        """The gazetteer in use (built once per classifier; the built-in one is shared)."""
        def make() -> Gazetteer:
            text = self.__dict__.get("gazetteer_toml_")
            if text is not None:
                return load_gazetteer().extended_with(text, str(self.gazetteer))
            return load_gazetteer(self.gazetteer)

        return self._cached("gazetteer", make)

    def fit(self, documents: Sequence[Document] = (),
            labels: Sequence[Sequence[str]] = ()) -> RegionClassifier:
        """Nothing to learn: rules are ready as built. Returns ``self``."""
        return self

    def fitted_state(self) -> dict[str, Any]:
        if not self.gazetteer:
            return {}
        text = self.__dict__.get("gazetteer_toml_")
        if text is None:
            self._gazetteer()  # checks the file
            text = Path(self.gazetteer).read_text(encoding="utf-8")
        return {"gazetteer_toml_": text}

    def salience(self, document: Document) -> tuple[dict[str, float], dict[str, list[Mention]]]:
        """Each country's salience and the mentions that count for it (offsets into
        ``document.full_text``), after :func:`newsclf.geoparse.resolve` chose each name's
        reading."""
        text = document.full_text
        body_start = document.body_start
        gaz = self._gazetteer()
        line = dateline(text, body_start)
        mentions = resolve(gaz, text, body_start, self.min_population, line)
        by_country: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_country[m.country].append(m)
        dateline_end = line[1] if line else -1
        lead_end = body_start + self.lead_chars
        title_boost, lead_boost = self.title_boost, self.lead_boost
        scores: dict[str, float] = {}
        kept: dict[str, list[Mention]] = {}
        for country, found in by_country.items():
            # backing: a mention that needs none; or, for weak names, the title
            backed = any(m.support == 0 for m in found)
            weights = []
            counted = []
            for m in found:
                in_title = m.start < body_start or m.end <= dateline_end
                if m.support >= NEVER or (m.support and not backed
                                          and not (m.support == 1 and in_title)):
                    continue
                w = self._weight(m)
                if _government(text, m):
                    w = max(w, KIND_WEIGHTS["name"])
                if in_title:
                    w *= title_boost
                elif m.start < lead_end:
                    w *= lead_boost
                weights.append(w)
                counted.append(m)
            if weights:
                weights.sort(reverse=True)
                # diminishing returns: the k-th mention counts 1/sqrt(k)
                scores[country] = sum(w * _DECAY[k] if k < len(_DECAY) else w / math.sqrt(k + 1)
                                      for k, w in enumerate(weights))
                kept[country] = counted
        return scores, kept

    def _weight(self, m: Mention) -> float:
        """What one mention says: by kind, and for cities by population (a city of
        millions says as much as the country's name)."""
        w = KIND_WEIGHTS.get(m.kind, 0.5)
        # (not capitals: "London traders", "Paris talks" name markets and governments
        # as often as the country)
        if m.kind in ("city", "altname") and m.place >= 0:
            population = self._gazetteer().population(m.place)
            if population >= self.big_city:
                w = max(w, self.big_city_weight)
            elif population >= self.min_population or population < 0:  # < 0: the user's
                w = max(w, self.city_weight)
        return w

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
                                         self._gazetteer().region_of(country)):
                    if region:
                        key = (facet, region)
                        best[key] = max(best.get(key, 0.0), score)
            for (facet, region), score in best.items():
                members = tuple(Evidence(c, kind="country") for c, _ in about
                                if region in self._gazetteer().region_of(c))
                labels.append(Label(region, facet, score, self.name, members))
        if self.places:
            labels.extend(self._place_labels(by_country))
        return labels

    def _place_labels(self, by_country: dict[str, list[Mention]]) -> list[Label]:
        """The places named (facet ``place``), resolved, with their GeoNames id, kind,
        country, admin-1 code and coordinates; scored like countries, by salience."""
        gaz = self._gazetteer()
        by_place: dict[int, list[Mention]] = defaultdict(list)
        for found in by_country.values():
            for m in found:
                if m.place >= 0:
                    by_place[m.place].append(m)
        labels = []
        for index, found in by_place.items():
            place = gaz.place(index)
            weights = sorted((self._weight(m) for m in found), reverse=True)
            s = sum(w * _DECAY[min(k, len(_DECAY) - 1)] for k, w in enumerate(weights))
            attributes = {"geonameid": place.geonameid, "kind": place.kind,
                          "country": place.country, "admin1": place.admin1,
                          "lat": place.lat, "lon": place.lon}
            labels.append(Label(place.name, "place", s / (s + 2.0), self.name,
                                tuple(Evidence(m.text, m.start, m.end, kind=m.kind)
                                      for m in found), attributes))
        labels.sort(key=lambda lb: -lb.score)
        return labels

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]:
        """Countries (facet ``country``) and regions (facet ``region``) of each document."""
        return [self._labels(doc) for doc in documents]

    def explain(self, document: Document) -> list[Label]:
        """The same labels; their evidence is always the place mentions."""
        return self._labels(document)
