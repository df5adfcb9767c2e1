"""Scraped text pages split into stories, with the page chrome removed.

A scraped page is a sequence of lines. The splitter tells the lines apart by their shape,
never by a particular site, section or title:

- *story starts*: a title line ending in a site name (``Title – Site``) when the same
  suffix recurs or opens the page; a title followed by ``Published`` / ``on`` lines (with
  the section label above it, such as ``ASIA``); an aggregator block of source name,
  relative age (``7 hours ago``), ``- Source`` and title; and otherwise the first line of
  the page, as on a page holding one story.
- *stops*: ``Continue Reading`` (also glued to a line's end) and widget headings
  (``Hashtags``, ``Comments``, ``Related Articles``, …) end a story's body; what follows
  up to the next story start is chrome. ``MOST READ`` and similar end the page.
- *chrome*: lines such as ``Connect with us``, ``Published``, ``on``, photo credits.

Everything else is body, subheadings included: a short line never starts a story on its
own. A teaser (a title and a one-paragraph stub cut off with ``…]``) is kept and marked
with ``meta["teaser"] = True``, because its few lines still carry topics and places.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from .decoding import repair_residue

__all__ = ["Story", "is_chrome", "split_page"]

_I = re.IGNORECASE
_CONTINUE = re.compile(
    r"^(?P<before>.*?)\s*(?:continue reading|read (?:the )?(?:full|more)(?: story| article)?"
    r"|keep reading)\W*$", _I)
_WIDGET = re.compile(
    r"^(?:hashtags|tags|comments?|no comments yet\W*|related (?:articles|stories|posts|news)"
    r"|try our ai features|share(?: this)?(?: article| story)?|you (?:may|might) also like"
    r"|recommended(?: for you)?|leave a (?:comment|reply)|more (?:from|on) .{1,40})\W*$", _I)
_PAGE_END = re.compile(
    r"^(?:most read|most popular|trending(?: now)?|top stories|latest news|editor'?s picks"
    r"|popular posts)\W*$", _I)
_CHROME = re.compile(
    r"^(?:connect with us|follow us(?: on .{1,30})?|published|updated|on|posted|advertisement"
    r"|sponsored|subscribe(?: now| to .{1,40})?|sign up(?: for .{1,40})?|skip to (?:main )?content"
    r"|explore what .{1,40} can do for you|share on \w+|print|email|menu|search|home"
    r"|no comments yet\.*|hashtags|comments?|related articles)\W*$", _I)
_PHOTO = re.compile(
    r"(?:^|[.!?]\s+)(?:photos?|images?|pictures?|credit|file photo)\s*:\s*[^.!?]{1,60}$", _I)
_AGE = re.compile(
    r"^(?:\d{1,3}\s+(?:sec(?:ond)?|min(?:ute)?|hour|hr|day|week|month|year)s?\s+ago|just now"
    r"|yesterday|an? (?:minute|hour|day|week) ago)$", _I)
_DASH_SOURCE = re.compile(r"^[-–—]\s*(?P<source>\S.{0,60})$")
_TITLE_SUFFIX = re.compile(
    r"^(?P<title>\S.{8,300}?)\s+[–—|]\s+(?P<site>[A-Z0-9][\w&.'’-]*(?:\s+[\w&.'’-]+){0,4})$")
_TITLE_SUFFIX_HYPHEN = re.compile(
    r"^(?P<title>\S.{8,300}?)\s+-\s+(?P<site>[A-Z0-9][\w&.'’]*(?:\s+[A-Z0-9][\w&.'’]*){0,3})$")
_SECTION = re.compile(r"^[A-Z][A-Z0-9&/'’ -]{1,40}$")
_DATE_LIKE = re.compile(
    r"^(?:on\s+)?(?:\w+,?\s+)?(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?(?:\W.{0,20})?$"
    r"|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}.{0,20}$", _I)
_PUBLISHED = re.compile(r"^(?:published|posted)\b", _I)
_GLUED_CONTINUE = re.compile(r"^(?P<before>.*\S)\s*Continue Reading\W*$")
_TEASER_END = re.compile(r"[\s\[\]….]*(?:…|\.\.\.)[\s\[\]….]*\]\s*$")


_SHORT = 80  # chrome, widget and stop lines are short; longer lines are never tried


def is_chrome(line: str) -> bool:
    """Whether a line is page chrome wherever it stands (navigation, widgets, credits)."""
    line = line.strip()
    if len(line) <= _SHORT and (_CHROME.match(line) or _WIDGET.match(line)
                                or _PAGE_END.match(line) or _is_continue(line)):
        return True
    return _is_photo_credit(line)


def _is_photo_credit(line: str) -> bool:
    return len(line) < 160 and ":" in line and bool(_PHOTO.search(line))


@dataclass
class Story:
    """One story found on a page."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    source: str | None = None
    section: str | None = None
    teaser: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class _Start:
    at: int  # index (into the page's lines) of the first line belonging to the story
    title_at: int
    body_from: int
    title: str
    source: str | None = None
    section: str | None = None


def _lines(text: str) -> list[str]:
    """The page's non-empty lines, repaired; a glued ``Continue Reading`` becomes a line."""
    out: list[str] = []
    for raw in text.splitlines():
        line = repair_residue(raw)
        if not line:
            continue
        glued = _GLUED_CONTINUE.match(line) if "Continue Reading" in line else None
        if glued:
            out.append(glued.group("before"))
            out.append("Continue Reading")
            continue
        out.append(line)
    return out


def _is_continue(line: str) -> bool:
    if len(line) > _SHORT:
        return False
    m = _CONTINUE.match(line)
    return bool(m and not m.group("before"))


def _is_stop(line: str) -> bool:
    return len(line) <= _SHORT and (bool(_WIDGET.match(line)) or _is_continue(line))


def _skip_chrome(lines: list[str], i: int) -> bool:
    line = lines[i]
    return (len(line) <= _SHORT and bool(_CHROME.match(line))) or _is_photo_credit(line)


def _title_suffix(line: str) -> re.Match[str] | None:
    if len(line) > 400 or line.endswith((".", ":", ";", ",", "?”", ".”")):
        return None
    return _TITLE_SUFFIX.match(line) or _TITLE_SUFFIX_HYPHEN.match(line)


def _published_starts(lines: list[str]) -> Iterator[_Start]:
    for i, line in enumerate(lines):
        if len(line) > 60 or not _PUBLISHED.match(line):
            continue
        j = i - 1
        while j >= 0 and _skip_chrome(lines, j) and not _SECTION.match(lines[j]):
            j -= 1
        if j < 0 or _is_stop(lines[j]):
            continue
        body = i + 1
        while body < len(lines) and len(lines[body]) <= _SHORT and (
            _CHROME.match(lines[body]) or _DATE_LIKE.match(lines[body])
            or re.match(r"^by\s+\S+(?:\s+\S+){0,4}$", lines[body], _I)
        ):
            body += 1
        at, section = j, None
        if j > 0 and _SECTION.match(lines[j - 1]) and len(lines[j - 1].split()) <= 4:
            at, section = j - 1, lines[j - 1].title() if lines[j - 1].isupper() else lines[j - 1]
        yield _Start(at, j, body, lines[j], section=section)


def _suffix_starts(lines: list[str]) -> Iterator[_Start]:
    found = [(i, m) for i, line in enumerate(lines) if (m := _title_suffix(line))]
    counts = Counter(m.group("site") for _, m in found)
    first_content = next((i for i, line in enumerate(lines) if not _skip_chrome(lines, i)), -1)
    for i, m in found:
        followed = i + 1 < len(lines) and not _is_stop(lines[i + 1])
        if followed and (counts[m.group("site")] >= 2 or i == first_content):
            yield _Start(i, i, i + 1, m.group("title").strip(), source=m.group("site"))


def _aggregator_starts(lines: list[str]) -> Iterator[_Start]:
    for i, line in enumerate(lines):
        if not _AGE.match(line) or i == 0 or len(lines[i - 1].split()) > 8:
            continue
        source = lines[i - 1]
        t = i + 1
        if t < len(lines) and (m := _DASH_SOURCE.match(lines[t])):
            source = m.group("source").strip() or source
            t += 1
        if t >= len(lines):
            continue
        yield _Start(i - 1, t, t + 1, lines[t], source=source)


def _teaser(story: Story) -> bool:
    if len(story.paragraphs) != 1 or not _TEASER_END.search(story.paragraphs[0]):
        return False
    story.paragraphs[0] = _TEASER_END.sub("…", story.paragraphs[0])
    return True


def split_page(text: str) -> list[Story]:
    """The stories on a scraped page, in page order (see the module docstring)."""
    lines = _lines(text)
    end = next((i for i, line in enumerate(lines)
                if len(line) <= _SHORT and _PAGE_END.match(line)), len(lines))
    lines = lines[:end]
    starts: dict[int, _Start] = {}
    for finder in (_published_starts, _aggregator_starts, _suffix_starts):
        for start in finder(lines):
            taken = any(s.at <= start.title_at < s.body_from for s in starts.values())
            if not taken and start.at not in starts:
                starts[start.at] = start
    ordered = sorted(starts.values(), key=lambda s: s.at)
    first = next((i for i in range(len(lines))
                  if not _skip_chrome(lines, i) and not _is_stop(lines[i])), None)
    if first is not None and (not ordered or first < ordered[0].at):
        ordered.insert(0, _Start(first, first, first + 1, lines[first]))
    stories: list[Story] = []
    for k, start in enumerate(ordered):
        stop = ordered[k + 1].at if k + 1 < len(ordered) else len(lines)
        story = Story(title=start.title, source=start.source, section=start.section)
        for i in range(start.body_from, stop):
            if _is_stop(lines[i]):
                break
            if not _skip_chrome(lines, i):
                story.paragraphs.append(lines[i])
        if not story.paragraphs:
            continue
        story.teaser = _teaser(story)
        stories.append(story)
    if not stories and first is not None:
        # a page holding a headline alone: the headline is the story
        stories.append(Story(title=lines[first], paragraphs=[lines[first]]))
    return stories
