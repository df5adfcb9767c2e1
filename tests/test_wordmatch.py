"""Place names as words: matches on word boundaries, in character offsets whatever the
text's script, and names that stand beside another capitalised word."""

from __future__ import annotations

import pytest

from newsclf.gazetteer import load_gazetteer
from newsclf.wordmatch import _leftmost, next_to_name, word_spans


def names(text: str) -> list[tuple[str, str]]:
    """(the text matched, the gazetteer name) of each match."""
    return [(text[s:e], name) for s, e, name in load_gazetteer().matches(text)]


def test_matches_only_whole_words() -> None:
    assert names("Japan and Omaha") == [("Japan", "Japan"), ("Omaha", "Omaha")]
    assert names("Japanese") == [("Japanese", "Japanese")]  # the demonym, not "Japan"
    assert names("Omahas Japanx xJapan") == []
    assert names("éJapan Japanß") == []  # letters beyond ASCII are letters too


@pytest.mark.parametrize("prefix", ["", "“", "Zürich’s café — ", "日本の 😀 ", "é" * 40 + " "])
def test_offsets_are_characters_in_any_script(prefix: str) -> None:
    """Matching runs over UTF-8 bytes; offsets come back in characters."""
    text = f"{prefix}Japan’s trade with Côte d’Ivoire and São Paulo"
    found = names(text)
    assert ("Japan", "Japan") in found
    assert ("São Paulo", "São Paulo") in found
    assert any(name.startswith("Côte d") for _, name in found)
    for matched, _ in found:
        assert matched[0].isupper()  # the span starts where the name starts


def test_spans_are_the_automatons_own_matches_in_order() -> None:
    gaz = load_gazetteer()
    automata, targets = gaz.automaton
    text = "Talks in Berlin, then Paris, then Berlin again"
    spans = word_spans(automata, text)
    assert [targets[k] for _, _, k in spans] == ["Berlin", "Paris", "Berlin"]
    assert [s for s, _, _ in spans] == sorted(s for s, _, _ in spans)


def test_names_in_lower_case_come_in_order_with_the_others() -> None:
    """Names that start in lower case ("yen") have an automaton of their own; their
    matches and the others' come out as one automaton's would."""
    text = "Japan’s yen fell against China’s yuan as xAI traders in Barcelona watched"
    assert [name for _, name in names(text)] == ["Japan", "yen", "China", "yuan", "xAI",
                                                 "Barcelona"]


def test_a_match_inside_an_earlier_one_is_dropped() -> None:
    assert _leftmost([(0, 13, 1), (20, 25, 3)], [(5, 13, 2), (14, 18, 4)]) == [
        (0, 13, 1), (14, 18, 4), (20, 25, 3)]


@pytest.mark.parametrize("text, name, expected", [
    ("Michael Jordan scored.", "Jordan", True),
    ("Chad Smith played.", "Chad", True),
    ("Jordan said no.", "Jordan", False),  # a sentence's first word
    ("in Jordan today", "Jordan", False),
    ("the Liverpool City Council met", "Liverpool", False),  # a place noun follows
])
def test_next_to_name(text: str, name: str, expected: bool) -> None:
    start = text.index(name)
    assert next_to_name(text, start, start + len(name)) is expected
