"""The text each kind of feature reads from a story, and its sentences (for evidence).

A learned model should learn what a story is about, not which outlet wrote it: a
Guardian section name in the title (``… | Artificial intelligence (AI)``), a feed's
``The post … appeared first on Breitbart.``, a wire's ``(Reuters) -`` and ``Reporting by
…`` lines, newsletter and "Read more" prompts, e-mail addresses and links all tell the
outlet, and on an outlet the model never saw they are noise at best.
:func:`strip_boilerplate` removes them before the features are read (``clean=True``, the
default of the built-in blocks)."""

from __future__ import annotations

import re

from ..types import Document

__all__ = ["bag_of_words_text", "embedding_text", "sentences", "strip_boilerplate",
           "strip_title"]

_SENTENCES = re.compile(r"(?<=[.!?…])\s+(?=[\"“‘'(\[A-Z0-9])|\n+")

# (words one of which the text must hold, lower-cased; the pattern): a pattern runs
# only on a text that holds one of its words, so a clean story costs a few `in` tests
_BOILERPLATE = [
    (("appeared first on",),
     r"The post\b.{0,400}?\bappeared first on\b[^.\n]{0,80}\.?"),
    (("(reuters)", "(ap)", "(afp)", "(bloomberg)", "(upi)", "(dpa)", "(ians)", "(pti)",
      "(ani)"), r"\((?:Reuters|AP|AFP|Bloomberg|UPI|dpa|IANS|PTI|ANI)\)\s*[-–—]?"),
    (("reuter",), r"^\s*-?\s*REUTER\W*$"),
    (("reporting by", "writing by", "editing by", "compiled by"),
     r"^\s*\(?(?:Reporting|Additional reporting|Writing|Editing|Compiled) by\b.*$"),
    (("dow jones newswires",), r"^.*\bDow Jones Newswires\b.*$"),
    (("write to",), r"^\s*Write to\b.{0,120}@.*$"),
    (("copyright", "all rights reserved"),
     r"^.*\b(?:Copyright|All rights reserved)\b.{0,200}$"),
    (("read more", "related", "also read", "sign up", "subscribe", "follow us",
      "follow our", "click here", "check all", "check out", "advertisement", "share this",
      "key points"),
     r"^\s*(?:Read more|Related|Also read|Sign up|Subscribe|Follow (?:us|our)|Click here|"
     r"Check (?:all|out)|Advertisement|Share this|Key points)\b.{0,160}$"),
    (("http", "www.", "@"), r"https?://\S+|www\.\S+|\S+@\S+\.\w+"),
    (("+",), r"'\s*\+\s*\w+(?:\.\w+)*\s*\+\s*'"),  # a script fragment left by a scraper
]
_PATTERNS = [(words, re.compile(pattern, re.IGNORECASE | re.MULTILINE))
             for words, pattern in _BOILERPLATE]
_TITLE_SUFFIX = re.compile(r"(?:\s+\|\s+[^|]{1,60})+$")


def strip_boilerplate(text: str) -> str:
    """``text`` without the outlet's boilerplate (see the module doc)."""
    lower = text.lower()
    for words, pattern in _PATTERNS:
        if any(word in lower for word in words):
            text = pattern.sub(" ", text)
    return text


def strip_title(title: str) -> str:
    """A title without the ``| Section | Outlet`` parts an outlet appends (kept when
    fewer than three words would be left)."""
    short = _TITLE_SUFFIX.sub("", title)
    return short if len(short.split()) >= 3 else title


def _parts(doc: Document, clean: bool) -> tuple[str, str]:
    if not clean:
        return doc.title, doc.text
    return strip_title(doc.title), strip_boilerplate(doc.text)


def bag_of_words_text(doc: Document, title_weight: int = 2, clean: bool = False) -> str:
    """What a bag-of-words model reads: the title ``title_weight`` times, then the body
    (with ``clean``, both without the outlet's boilerplate)."""
    title, text = _parts(doc, clean)
    return "\n".join([title] * title_weight + [text]) if title else text


def embedding_text(doc: Document, clean: bool = False, lead: int | None = None) -> str:
    """What a sentence embedding reads: ``title. body`` (with ``clean``, both without
    the outlet's boilerplate; with ``lead``, the body's first ``lead`` characters)."""
    title, text = _parts(doc, clean)
    if lead is not None:
        text = text[:lead]
    return f"{title}. {text}" if title else text


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
