"""The ``regions`` classifier: the countries (ISO 3166-1 alpha-2) and UN M49 regions a
story is about, with the place mentions that led to them as evidence.

Mentioned is not about: a story on Pakistan's IMF bailout names Saudi Arabia and China in
passing. Each country gets a salience from its mentions: the kind of name (a country's
name or demonym says more than a city), where it stands (title ×``title_boost``, the lead
×``lead_boost``, a dateline such as ``TOKYO, March 3 -`` like the title), and how many
mentions there are, with diminishing returns. A country is *about* when its salience
reaches ``min_salience`` and ``relative`` × the top country's; the top country, the
story's focus, needs only ``min_focus`` when the title or the lead names it (the lead
says where a story is). Its score is ``salience / (salience + 2)``. Countries only
mentioned are kept as labels of facet ``mention`` when ``mentions=True``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..estimator import EstimatorMixin
from ..gazetteer import KIND_WEIGHTS, Gazetteer, Mention, load_gazetteer
from ..salience import BY_POPULATION, DECAY, country_labels, story_salience
from ..types import Document, Evidence, Label

__all__ = ["RegionClassifier"]


class RegionClassifier(EstimatorMixin):
    """Countries and regions from a gazetteer, scored by salience (see the module doc).

    Parameters: ``gazetteer`` (a TOML file extending the built-in names), ``min_salience``,
    ``min_focus``, ``relative``, ``title_boost``, ``lead_boost``, ``lead_chars``,
    ``regions`` (also give sub-regions and regions), ``mentions`` (also give every other
    mentioned country, facet ``mention``), ``places`` (also give the named places, facet ``place``),
    ``min_population`` (a town smaller needs another mention of its country),
    ``big_city``, ``city_weight``, ``big_city_weight``. Nothing is learned; a saved model
    keeps the text of a user's gazetteer file (``gazetteer_toml_``).
    """

    name = "regions"
    facet = "country"
    facets = ("country", "region", "mention", "place")
    trainable = False

    def __init__(self, *, gazetteer: str | None = None, min_salience: float = 1.3,
                 min_focus: float = 0.8,
                 relative: float = 0.45, title_boost: float = 3.0, lead_boost: float = 1.5,
                 lead_chars: int = 400, regions: bool = True, mentions: bool = False,
                 places: bool = False, min_population: int = 100_000,
                 big_city: int = 1_000_000, city_weight: float = 1.0,
                 big_city_weight: float = 1.0) -> None:
        self.gazetteer = gazetteer
        self.min_salience = min_salience
        self.min_focus = min_focus
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
        return self._cached("gazetteer", self._load_gazetteer)

    def _load_gazetteer(self) -> Gazetteer:
        text = self.__dict__.get("gazetteer_toml_")
        if text is not None:
            return load_gazetteer().extended_with(text, str(self.gazetteer))
        return load_gazetteer(self.gazetteer)

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
        return story_salience(self._gazetteer(), document.full_text, document.body_start,
                              int(self.min_population), int(self.lead_chars), self.title_boost,
                              self.lead_boost, self._weights(), self._weight)

    def _weights(self) -> dict[int, float]:
        """The weights of towns and cities by place row, as :meth:`_weight` gives them
        (filled as stories name them)."""
        return self._cached("weights", dict)

    def _weight(self, m: Mention) -> float:
        """What one mention says: by kind, and for cities by population (a city of
        millions says as much as the country's name)."""
        w = KIND_WEIGHTS.get(m.kind, 0.5)
        # (not capitals: "London traders", "Paris talks" name markets and governments
        # as often as the country)
        if m.kind in BY_POPULATION and m.place >= 0:
            population = self._gazetteer().population(m.place)
            if population >= self.big_city:
                w = max(w, self.big_city_weight)
            elif population >= self.min_population or population < 0:  # < 0: the user's
                w = max(w, self.city_weight)
            self._weights()[m.place] = w
        return w

    def _labels(self, document: Document) -> list[Label]:
        scores, by_country = self.salience(document)
        if not scores:
            return []
        labels, about = country_labels(scores, by_country, self.min_salience, self.min_focus,
                                       self.relative, document.body_start + self.lead_chars,
                                       self.mentions, self.name)
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
            s = sum(w * DECAY[min(k, len(DECAY) - 1)] for k, w in enumerate(weights))
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
