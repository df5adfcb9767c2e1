"""The text each kind of feature reads from a story, and its sentences (for evidence)."""

from __future__ import annotations

import re

from ..types import Document

__all__ = ["bag_of_words_text", "embedding_text", "sentences"]

_SENTENCES = re.compile(r"(?<=[.!?…])\s+(?=[\"“‘'(\[A-Z0-9])|\n+")


def bag_of_words_text(doc: Document, title_weight: int = 2) -> str:
    """What a bag-of-words model reads: the title ``title_weight`` times, then the body."""
    return "\n".join([doc.title] * title_weight + [doc.text]) if doc.title else doc.text


def embedding_text(doc: Document) -> str:
    """What a sentence embedding reads: ``title. body``."""
    return f"{doc.title}. {doc.text}" if doc.title else doc.text


def sentences(document: Document) -> list[tuple[str, int, int]]:
    """The sentences of a story's ``full_text`` with their offsets."""
    text = document.full_text
    out, pos = [], 0
    for sentence in _SENTENCES.split(text):
        if not sentence.strip():
            continue
        start = text.find(sentence, pos)
        out.append((sentence, start, start + len(sentence)))
        pos = max(pos, start + len(sentence))
    return out
