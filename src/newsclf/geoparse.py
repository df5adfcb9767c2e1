"""From the place names found in a story to the places meant: disambiguation by context.

A name may stand for several places ("Paris": the French capital or a town in Texas;
"Georgia": the country or the US state) or be a word or a person as well ("Reading",
"Police", "Warren"). :func:`resolve` reads them the way a careful reader does:

1. A **qualifier** settles a name: "Paris, Texas", "Birmingham, Ala.", "London, Ontario",
   "Perth, Scotland" (the next place name after a comma, or a US state abbreviation).
2. A **wire dateline** (``CHARLOTTE, N.C. (AP) —``, ``BEIJING, Jan 5 (Reuters) -``) names
   the story's place even in capitals; it is read apart, since cities do not match in
   capitals elsewhere.
3. The story's **other places**: a reading in a country (or US state) that the story names
   unambiguously elsewhere wins, unless the prior reading is a country's own name or a
   place more than ``CONTEXT_RATIO`` times larger.
4. Otherwise the **prior**: the reading ranked first by the gazetteer (a country's own
   name, then by population); a name with no clear prior (``ambiguous``) is dropped.

Each mention also says how much backing it needs before it counts (``Mention.support``):
names that are English words (``common``: Reading, Mobile, Bath) count only with a
qualifier or in a dateline; towns under ``min_population`` people need another mention of
their country; weak names (Georgia, Korea) and other-language names (Peking) need that or
the title.
Names beside a given name ("Clint Eastwood"), after an honorific ("Mr. Warren") or before a
verb of saying ("Hamilton said") are people and dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .gazetteer import LOCAL_KINDS, Candidate, Gazetteer, Mention, NameInfo
from .wordmatch import next_to_name, word_spans

__all__ = ["dateline", "resolve"]

# CHARLOTTE, N.C. (AP) —   INDIANAPOLIS (AP) -   BEIJING, Jan 5 (Reuters) -   TOKYO, March 3 -
_DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Z.'’ -]{1,38}[A-Z.]|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})"
    r"(?:,\s*(?P<qual>[A-Z][A-Za-z.]{1,14}(?: [A-Z][A-Za-z.]+){0,2}))?"
    r"(?:,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"\s*(?:\((?:[A-Za-z][A-Za-z .&-]{1,30})\))?\s*[-–—]{1,2}\s")
_DATELINE_CHARS = 200  # a dateline is read within the first characters of the body
_DASH = re.compile(r"[-–—]\s")
_QUALIFIER = re.compile(r",\s*(?P<q>[A-Z][A-Za-z]{0,4}\.(?:\s?[A-Z][a-z]{0,2}\.)*|[A-Z]{2})"
                        r"(?![A-Za-z])")
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Col|Capt|Prof|Sir|Lady|Lord)\.?\s$")
_SPEECH = re.compile(r"(?:'s)?\s+(?:said|says|told|added|argued|wrote|tweeted)\b")
# capitalised words before a place's name that are not a given name ("Greater Manchester",
# "A Maryland man", "Rural Ohio"): directions, offices and the words that start sentences
_NOT_GIVEN_NAMES = frozenset({
    "Greater", "North", "South", "East", "West", "Central", "Northern", "Southern",
    "Eastern", "Western", "Downtown", "Upper", "Lower", "Inner", "Outer", "Metro",
    "Metropolitan", "Old", "New", "Rural", "Urban", "Suburban", "Coastal", "Mayor",
    "Governor", "City", "Province", "State", "Prefecture", "County",
    "A", "An", "The", "This", "That", "These", "Those", "Another", "Every", "Each", "Some",
    "Many", "Most", "All", "Both", "Several", "No", "One", "Two", "Three", "Our", "Their",
    "His", "Her", "Its", "My", "Your", "In", "At", "From", "Near", "Of", "To", "For", "And",
    "On", "By", "With", "As", "Across", "Around", "Outside", "Inside", "Over", "Under",
    "Into", "Within", "Throughout", "During", "Before", "After", "Since", "Until", "Like",
    "Unlike", "Against", "Among", "Between", "Beyond", "Despite", "Toward", "Towards",
    "Via", "But", "Or", "So", "Yet", "If", "When", "While", "Where", "Why", "How", "What",
    "Which", "Who", "Then", "Now", "Today", "Yesterday", "Last", "Next", "Former", "Only",
    "Even", "Also", "Meanwhile", "However", "Here", "There"})
CONTEXT_RATIO = 20  # how much smaller a place the story's context may choose over the prior
NEVER = 3  # support a common word needs: a qualifier or a dateline, nothing else
_PLACE_BEFORE = re.compile(r"\b(?:of|in|at|from|near|to|for|the)\s$")


Dateline = tuple[int, int, str, str | None]  # start, end, place, qualifier


class _Unset:
    """The type of "no dateline given: read it" (not a tuple: compiled, tuples are values
    and ``is`` cannot tell one from another)."""


_UNSET = _Unset()


def dateline(text: str, body_start: int) -> Dateline | None:
    """The place of a wire dateline at the start of the body: ``(start, end, place,
    qualifier)``, or None. The dateline must be followed by a dash. A story whose title
    is its only line may start with one too."""
    if _DASH.search(text, 0, body_start + _DATELINE_CHARS) is None:
        return None  # most stories: no dash where a dateline would be, title or body
    m = _dateline_at(text, body_start)
    if m is None and body_start:
        m = _dateline_at(text, 0)
    if m is None:
        return None
    return m.start("place"), m.end("place"), m.group("place"), m.group("qual")


def _dateline_at(text: str, pos: int) -> re.Match[str] | None:
    # finding no dash is cheaper than the dateline's pattern failing (it backtracks over
    # a title in capitals)
    end = pos + _DATELINE_CHARS
    if _DASH.search(text, pos, end) is None:
        return None
    return _DATELINE.match(text, pos, end)


def _qualifier(gaz: Gazetteer, text: str, end: int,
               following: tuple[int, int, str] | None) -> tuple[str, str | None] | None:
    """The country (and US state) that qualifies the name ending at ``end``: the next
    place name right after a comma ("Paris, Texas"), or a state abbreviation ("Ala.")."""
    if following is not None:
        start, _, name = following
        gap = text[end:start]
        if gap.strip() == "," and gap.startswith(","):
            cand = gaz.info(name).first
            if cand.kind != "blocked" and cand.country:
                admin1 = None
                if cand.kind == "admin1" and cand.place >= 0:
                    admin1 = gaz.admin1(cand.place)
                return cand.country, admin1
    m = _QUALIFIER.match(text, end)
    if m and m.group("q") in gaz.qualifiers:
        return gaz.qualifiers[m.group("q")]
    return None


def _pick(gaz: Gazetteer, cands: Sequence[Candidate], countries: set[str],
          admin1s: set[tuple[str, str | None]]) -> Candidate | None:
    """The first candidate in one of ``countries``, preferring one in a named US state."""
    inside = [c for c in cands if c.country in countries]
    for c in inside:
        if c.place >= 0 and (c.country, gaz.admin1(c.place)) in admin1s:
            return c
    return inside[0] if inside else None


def _by_context(gaz: Gazetteer, name: str, cands: Sequence[Candidate], countries: set[str],
                admin1s: set[tuple[str, str | None]]) -> Candidate | None:
    """The reading the story's other places point to. They do not overturn a country's
    own name ("Jamaica" is not the one in Queens) unless the name is weak ("Georgia"),
    nor a place far larger than the one they point to (Vienna, Austria, not Virginia)."""
    first = cands[0]
    if first.country in countries:
        return _pick(gaz, cands, {first.country}, admin1s)
    if first.kind not in LOCAL_KINDS and name not in gaz.weak:
        return None
    floor = gaz.population(first.place) / CONTEXT_RATIO
    inside = [c for c in cands if c.country in countries and
              (c.kind not in ("city", "altname") or gaz.population(c.place) >= floor)]
    for c in inside:
        if c.place >= 0 and (c.country, gaz.admin1(c.place)) in admin1s:
            return c
    return inside[0] if inside else None


def _is_person(text: str, start: int, end: int, ni: NameInfo) -> bool:
    """"Michael Jordan", "Mr. Warren", "Clint Eastwood", "Hamilton said": a person, not
    a place."""
    if ni.person and next_to_name(text, start, end):
        return True
    if not ni.local_word:
        return False
    if _HONORIFIC.search(text, max(0, start - 6), start):
        return True
    if ni.small and _after_name(text, start):
        return True
    # "Hamilton said", but not "the mayor of Liverpool said"
    return bool(_SPEECH.match(text, end)) and not _PLACE_BEFORE.search(text, max(0, start - 6),
                                                                        start)


def _after_name(text: str, start: int) -> bool:
    """Whether the word before ``start`` is a capitalised word inside a sentence, as a
    given name is ("Clint Eastwood"); "Greater Manchester", "Taiwan's Hsinchu" are not."""
    before = text[max(0, start - 25):start]
    if not before.endswith(" "):
        return False
    words = before.split()
    if not words:
        return False
    prev = words[-1]
    if not prev[0].isupper() or not prev.isalpha() or prev in _NOT_GIVEN_NAMES:
        return False
    # a capitalised word after a sentence's end is its first word
    return len(words) > 1 and not words[-2].endswith((".", "!", "?", ":", '"', "”"))


def _support(info: NameInfo, cand: Candidate, population: int, min_population: int) -> int:
    """The backing the reading ``cand`` of a name needs (``population``: its people)."""
    if info.common:
        return NEVER
    if cand.kind in ("city", "county") and 0 <= population < min_population:
        return 2
    if info.weak or cand.kind == "altname":
        return 1
    return 0


def resolve(gaz: Gazetteer, text: str, body_start: int = 0, min_population: int = 100_000,
            line: Dateline | _Unset | None = _UNSET) -> list[Mention]:
    """The place mentions of ``text`` (a story's ``full_text``; the body starts at
    ``body_start``), each with the reading chosen by qualifier, dateline, the story's
    other places and the prior (see the module doc). ``line`` is the story's
    :func:`dateline`, when the caller has read it already."""
    if isinstance(line, _Unset):
        line = dateline(text, body_start)
    raw = _names(gaz, text)
    if not raw and line is None:
        return []
    # a name read as a person once is that person throughout ("Charles Kennedy said …
    # Kennedy predicts"); a country's name only where it stands beside a name
    people = {n for s, e, n, ni in raw if ni.check_person and _is_person(text, s, e, ni)}
    if people:
        raw = [r for r in raw if r[2] not in people or (
            r[3].first.kind not in LOCAL_KINDS and not _is_person(text, r[0], r[1], r[3]))]
    chosen = _qualified(gaz, text, line, raw)
    extra = None
    if line is not None and not any(raw[i][0] == line[0] for i in chosen):
        extra = _dateline_only(gaz, line)
    # a name settled once (by a dateline or a qualifier) keeps that reading in every
    # mention of the story, the title's too: "ARLINGTON, Va. — … Arlington" is one place
    settled: dict[str, Candidate] = {}
    if extra is not None:
        settled[extra[0]] = extra[1]
    for i in sorted(chosen):
        settled.setdefault(raw[i][2], chosen[i][0])
    # the countries and US states that the story names without doubt (needed only for
    # the names with more than one reading)
    anchors: set[str] = set()
    admin1s: set[tuple[str, str | None]] = set()
    if any(len(ni.cands) > 1 for _, _, _, ni in raw):
        anchors = {c.country for c, _ in chosen.values()}
        anchors.update(ni.first.country for i, (_, _, _, ni) in enumerate(raw)
                       if ni.anchor and i not in chosen)
        admin1s = {(c.country, gaz.admin1(c.place)) for c, _ in chosen.values()
                   if c.kind == "admin1" and c.place >= 0}
        admin1s.update((ni.first.country, gaz.admin1(ni.first.place)) for _, _, _, ni in raw
                       if ni.anchor and ni.first.kind == "admin1" and ni.first.place >= 0)
    mentions = []
    for i, (start, end, name, ni) in enumerate(raw):
        if chosen and i in chosen:
            cand, support = chosen[i]
        elif settled and name in settled:
            cand, support = settled[name], 0
        else:
            cand = ni.first
            if len(ni.cands) > 1 and (not ni.single_country or admin1s):
                pick = _by_context(gaz, name, ni.cands, anchors, admin1s)
                if pick is None and ni.ambiguous:
                    continue
                cand = pick or cand
            support = _support(ni, cand, ni.population if cand == ni.first
                               else gaz.population(cand.place), min_population)
        # (tuple.__new__: a named tuple's own __new__ is a Python function, twice as slow)
        mentions.append(tuple.__new__(Mention, (text[start:end], start, end, cand.country,
                                                cand.kind, cand.place, support)))
    if extra is not None:
        mentions.insert(0, extra[2])
    return mentions


def _names(gaz: Gazetteer, text: str) -> list[tuple[int, int, str, NameInfo]]:
    """``(start, end, name, info)`` of the names in ``text`` that are not blocked (the
    names :meth:`Gazetteer.matches` finds, with :meth:`Gazetteer.info` of each, kept by
    pattern in ``gaz._key_infos``)."""
    automata, targets = gaz.automaton
    infos = gaz._key_infos
    out = []
    for start, end, key in word_spans(automata, text):
        ni = infos[key]
        if ni is None:
            ni = infos[key] = gaz.info(targets[key])
        if not ni.blocked:
            out.append((start, end, targets[key], ni))
    return out


def _qualified(gaz: Gazetteer, text: str, line: Dateline | None,
               raw: list[tuple[int, int, str, NameInfo]]) -> dict[int, tuple[Candidate, int]]:
    """Readings settled by a dateline or a qualifier: index in ``raw`` -> (reading, 0).
    A later qualifier that names only a country keeps the name's earlier reading in it:
    "plants at Newark, Del., … Newark, Sterling Heights and Jefferson" is one Newark."""
    chosen: dict[int, tuple[Candidate, int]] = {}
    if line is not None:
        chosen.update(_dateline_reading(gaz, [r[:3] for r in raw], line))
    earlier = {raw[i][2]: cand for i, (cand, _) in sorted(chosen.items())}
    n = len(text)
    for i, (_, end, name, ni) in enumerate(raw):
        if i in chosen or end >= n or text[end] != ",":
            continue
        q = _qualifier(gaz, text, end, raw[i + 1][:3] if i + 1 < len(raw) else None)
        if q is not None:
            before = earlier.get(name)
            if before is not None and before.country == q[0] and q[1] is None:
                pick: Candidate | None = before
            else:
                pick = _pick(gaz, ni.cands, {q[0]}, {q} if q[1] else set())
            if pick is not None:
                chosen[i] = (pick, 0)
                earlier.setdefault(name, pick)
    return chosen


def _dateline_reading(gaz: Gazetteer, raw: list[tuple[int, int, str]],
                      line: Dateline
                      ) -> dict[int, tuple[Candidate, int]]:
    """Readings for names inside the dateline: they count without backing."""
    out = {}
    qual = _dateline_qualifier(gaz, line[3])
    for i, (start, end, name) in enumerate(raw):
        if line[0] <= start and end <= line[1]:
            cands = gaz.candidates(name)
            pick = _pick(gaz, cands, {qual[0]}, {qual} if qual[1] else set()) if qual else None
            out[i] = (pick or cands[0], 0)
    return out


def _dateline_qualifier(gaz: Gazetteer, qual: str | None) -> tuple[str, str | None] | None:
    if not qual:
        return None
    if qual in gaz.qualifiers:
        return gaz.qualifiers[qual]
    name = qual if qual in gaz.names else gaz.lookup_upper(qual)
    if name is None:
        return None
    cand = gaz.info(name).first
    if cand.kind == "blocked" or not cand.country:
        return None
    admin1 = gaz.admin1(cand.place) if cand.kind == "admin1" and cand.place >= 0 else None
    return cand.country, admin1


def _dateline_only(gaz: Gazetteer, line: Dateline
                   ) -> tuple[str, Candidate, Mention] | None:
    """The dateline's place when no name matched there (cities in capitals:
    ``INDIANAPOLIS (AP)``): its gazetteer name, reading and mention."""
    start, end, span, qual = line
    name = gaz.lookup_upper(span)
    if name is None:
        return None
    cands = gaz.candidates(name)
    q = _dateline_qualifier(gaz, qual)
    pick = _pick(gaz, cands, {q[0]}, {q} if q[1] else set()) if q else None
    if pick is None:
        if name in gaz.ambiguous and q is None:
            return None
        pick = cands[0]
    if pick.kind == "blocked" or not pick.country:
        return None
    return name, pick, Mention(span, start, end, pick.country, pick.kind, pick.place, 0)
