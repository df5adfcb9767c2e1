"""The names a story gives: runs of capitalised words ("Reserve Bank of India", "Typhoon
Maysak", "Hormuz"), what two reports of one event share when their wording differs.

No tagger is run: a run of capitalised words, with ``of``/``de``/``al``… allowed inside,
is a name, less the function words that open a sentence ("The", "But"). A single word
that opens a sentence is left out ("Showers continued…"): it is capitalised for the
sentence, not as a name. What is common (``US``, ``Monday``, ``Reuters``) is not
filtered here: the event grouper weighs each name by how rare it is in its window.
"""

from __future__ import annotations

import re

from .types import Document

__all__ = ["story_names"]

_WORD = r"[A-Z][\w&'’.-]*[\w]|[A-Z]"
_RUN = re.compile(rf"(?:{_WORD})(?:\s+(?:(?:of|de|del|da|al|von|van|la|le|du|bin)\s+)?"
                  rf"(?:{_WORD}))*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘’()\[\]\n—–-]\s*)$")
_FUNCTION = frozenset("""a an and as at but by for from he her his i if in into is it its
    mr mrs ms dr no not of on or our she so that the their then there these they this
    those to was we what when where which while who why will with you your yes after
    before also however meanwhile about according""".split())
_MAX_WORDS = 5


def story_names(document: Document, chars: int = 4000) -> frozenset[str]:
    """The names in a story's title and the first ``chars`` characters of its body,
    lower-cased (``"reserve bank of india"``)."""
    found: set[str] = set()
    for text in (document.title, document.text[:chars]):
        for match in _RUN.finditer(text):
            words = match.group().split()
            start = match.start()
            while words and words[0].lower().strip(".") in _FUNCTION:
                start += len(words[0]) + 1
                words = words[1:]
            while words and words[-1].lower() in ("of", "de", "del", "da", "al", "la"):
                words = words[:-1]
            if not words or len(words) > _MAX_WORDS:
                continue
            if len(words) == 1 and (len(words[0]) < 2
                                    or _SENTENCE_START.search(text[max(0, start - 3):start])):
                continue
            found.add(" ".join(words).lower().rstrip(".’'"))
    return frozenset(found)
