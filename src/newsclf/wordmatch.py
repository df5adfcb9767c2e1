"""Place names as words of a text: an automaton's matches on word boundaries (in
character offsets), and whether a name stands beside another capitalised word.

Compiled with mypyc when the package is built as a wheel (see ``hatch_build.py``): it runs
for every place name in every story.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["PLACE_NOUNS", "next_to_name", "word_spans"]

# words that follow a place's name without making it a person's ("Liverpool City Council")
PLACE_NOUNS = frozenset({
    "City", "County", "Council", "Province", "Prefecture", "State", "Region", "Oblast",
    "District", "Airport", "Port", "Harbour", "Harbor", "Bay", "River", "Valley", "Island",
    "Islands", "Mountains", "Park", "Police", "University", "Stock", "Exchange", "Court",
    "Science", "Metro", "Municipal", "Municipality", "Governor", "Mayor", "Assembly",
    "Parliament", "Government", "Station", "Square", "Street", "Bridge", "Zone"})


def word_spans(automata: Sequence[tuple[Any, int]], text: str) -> list[tuple[int, int, int]]:
    """``(start, end, pattern)`` of each leftmost-longest match in ``text`` of ``automata``
    (``daachorse.DoubleArrayAhoCorasick`` over UTF-8 patterns, each with the number of
    its first pattern), in character offsets, keeping only matches that neither start nor
    end inside a word."""
    data = text.encode()
    found: list[tuple[int, int, int]] = []
    for automaton, first in automata:
        spans: list[tuple[int, int, int]] = automaton.find(data)
        if spans and first:
            spans = [(start, end, key + first) for start, end, key in spans]
        found = _leftmost(found, spans) if found and spans else found or spans
    if not found:
        return []
    if len(data) != len(text):  # not ASCII: byte offsets -> character offsets
        found = _char_offsets(data, found)
    n = len(text)
    out = []
    for span in found:
        start, end, _ = span
        if (end < n and text[end].isalnum()) or (start and text[start - 1].isalnum()):
            continue
        out.append(span)  # (the automaton's own tuple: fewer objects for the collector)
    return out


def _leftmost(a: list[tuple[int, int, int]], b: list[tuple[int, int, int]]
              ) -> list[tuple[int, int, int]]:
    """Two automata's matches as one automaton's: in order, and a match that starts inside
    an earlier one dropped (two names cannot start at one byte: one starts in lower case)."""
    out = []
    end = 0
    for span in sorted(a + b):
        if span[0] >= end:
            out.append(span)
            end = span[1]
    return out


def _char_offsets(data: bytes, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """``found`` (non-overlapping byte spans of UTF-8 ``data``, in order) in characters:
    the bytes between spans are decoded as the spans go (every span starts and ends on a
    character, since the patterns are UTF-8 too)."""
    out = []
    byte = char = 0
    for start, end, key in found:
        char += len(data[byte:start].decode())
        first = char
        char += len(data[start:end].decode())
        byte = end
        out.append((first, char, key))
    return out


def next_to_name(text: str, start: int, end: int) -> bool:
    """Whether a name stands beside another capitalised word, as in "Michael Jordan"
    or "Chad Smith" (a sentence start does not count)."""
    before = text[max(0, start - 30):start].rstrip()
    after = text[end:end + 30].lstrip()
    prev = before.split()[-1] if before.split() else ""
    nxt = after.split()[0] if after.split() else ""
    prev_is_name = bool(prev) and prev[0].isupper() and prev.isalpha() \
        and prev.lower() not in {"the", "in", "of", "and", "to", "from", "for", "a", "an"}
    nxt_is_name = bool(nxt) and nxt[0].isupper() and nxt.rstrip(".,;:").isalpha() \
        and nxt.lower() not in {"and", "the"} and nxt.rstrip(".,;:") not in PLACE_NOUNS
    return prev_is_name or nxt_is_name
