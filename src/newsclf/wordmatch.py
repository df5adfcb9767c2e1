"""The matches of a byte automaton in a text, on word boundaries and in character offsets.

Compiled with mypyc when the package is built as a wheel (see ``hatch_build.py``): it runs
for every place name in every story.
"""

from __future__ import annotations

from typing import Any

__all__ = ["word_matches"]


def word_matches(automaton: Any, targets: list[str], text: str) -> list[tuple[int, int, str]]:
    """``(start, end, targets[pattern])`` of each match of ``automaton`` (a
    ``daachorse.DoubleArrayAhoCorasick`` over UTF-8 patterns) in ``text``, in character
    offsets, keeping only matches that neither start nor end inside a word."""
    data = text.encode()
    found: list[tuple[int, int, int]] = automaton.find(data)
    if not found:
        return []
    if len(data) != len(text):  # not ASCII: byte offsets -> character offsets
        import numpy as np

        # a character starts at every byte that is not a UTF-8 continuation byte
        starts = (np.frombuffer(data, np.uint8) & 0xC0) != 0x80
        chars: list[int] = np.concatenate(([0], np.cumsum(starts))).tolist()
        found = [(chars[start], chars[end], key) for start, end, key in found]
    n = len(text)
    out = []
    for start, end, key in found:
        if (end < n and text[end].isalnum()) or (start and text[start - 1].isalnum()):
            continue
        out.append((start, end, targets[key]))
    return out
