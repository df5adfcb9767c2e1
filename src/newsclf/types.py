"""The values that flow through newsclf: documents in, labels and predictions out.

All three are frozen dataclasses; beside them, the two facts about a record that every
layer needs: its gold labels (:func:`gold_labels`) and a story's stable id
(:func:`story_id`). ``to_dict`` / ``from_dict`` give the JSON shapes that the
command line reads and writes (see the command-line contract in the README).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from .errors import InputError

__all__ = ["Document", "Evidence", "Label", "Prediction", "gold_labels", "story_id"]

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _freeze(meta: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not meta:
        return _EMPTY
    return MappingProxyType(dict(meta))


@dataclass(frozen=True)
class Document:
    """One news story.

    ``text`` is the body; ``title`` is kept apart because classifiers weigh it more. ``meta``
    holds every other field of the record (gold labels for training among them) and is
    read-only.
    """

    id: str
    text: str
    title: str = ""
    source: str | None = None
    url: str | None = None
    published: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", _freeze(self.meta))

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["meta"] = dict(self.meta)  # a read-only view cannot be pickled
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "meta", _freeze(state.get("meta")))

    @property
    def full_text(self) -> str:
        """Title and body as one string, the title first (offsets in evidence refer to it)."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text

    @property
    def is_empty(self) -> bool:
        """Whether the story has neither title nor text (nothing to classify)."""
        return not self.title.strip() and not self.text.strip()

    @property
    def body_start(self) -> int:
        """Where the body starts in :attr:`full_text` (0 without a title)."""
        return len(self.title) + 2 if self.title else 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a document: ``id``, ``title``, ``text``, optional fields, ``meta``."""
        out: dict[str, Any] = {"id": self.id, "title": self.title, "text": self.text}
        for key in ("source", "url", "published"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.meta:
            out["meta"] = dict(self.meta)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        """Build a document from a record; unknown keys go to ``meta``.

        Raises :class:`~newsclf.errors.InputError` when ``text`` is missing or not a
        string. (A record with neither title nor text is a valid, empty story: predict
        gives it no labels, train skips it, both count it; a headline-only story is a
        story.)
        """
        text = data.get("text")
        if not isinstance(text, str):
            raise InputError("record has no text field" if text is None
                             else f"'text' must be a string, not {type(text).__name__}")
        known = {"id", "title", "text", "source", "url", "published", "meta"}
        meta = dict(data.get("meta") or {})
        meta.update({k: v for k, v in data.items() if k not in known})
        return cls(
            id=str(data.get("id", "")),
            text=text,
            title=str(data.get("title") or ""),
            source=_opt_str(data.get("source")),
            url=_opt_str(data.get("url")),
            published=_opt_str(data.get("published")),
            meta=meta,
        )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


class Evidence(NamedTuple):
    """Why a label was given: a matched span (with offsets into ``Document.full_text``) or a
    term with its weight in the decision. (An immutable named tuple: a story can have
    hundreds, and tuples are the cheapest immutable value to make.)"""

    text: str
    start: int | None = None
    end: int | None = None
    weight: float | None = None
    kind: str = "term"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "kind": self.kind}
        if self.start is not None:
            out["start"], out["end"] = self.start, self.end
        if self.weight is not None:
            out["weight"] = round(self.weight, 4)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(
            text=str(data["text"]),
            start=data.get("start"),
            end=data.get("end"),
            weight=data.get("weight"),
            kind=str(data.get("kind", "term")),
        )


@dataclass(frozen=True)
class Label:
    """A label given to a document: ``name`` within a ``facet`` (``topic``, ``country``,
    ``region`` or a plugin's own), a ``score`` in [0, 1], the ``classifier`` that gave it
    (written ``"source"`` in the JSON shape, as the command-line contract says) and its
    ``evidence``."""

    name: str
    facet: str = "topic"
    score: float = 1.0
    classifier: str = ""
    evidence: tuple[Evidence, ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a label needs a name")
        if math.isnan(self.score) or not 0.0 <= self.score <= 1.0:
            raise ValueError(f"label score must be in [0, 1], got {self.score!r}")
        object.__setattr__(self, "evidence", tuple(self.evidence))
        object.__setattr__(self, "attributes", _freeze(self.attributes))

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "attributes": dict(self.attributes)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("attributes", {})
        for key, value in state.items():
            object.__setattr__(self, key, _freeze(value) if key == "attributes" else value)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: ``name``, ``facet``, ``score``, ``source``, ``evidence``, and a
        label's ``attributes`` (a place's ``geonameid``, ``lat``…) beside them."""
        out = {
            "name": self.name,
            "facet": self.facet,
            "score": round(self.score, 4),
            "source": self.classifier,
        }
        out.update({k: v for k, v in self.attributes.items() if k not in _LABEL_KEYS})
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Label:
        return cls(
            name=str(data["name"]),
            facet=str(data.get("facet", "topic")),
            score=float(data.get("score", 1.0)),
            classifier=str(data.get("source", "")),
            evidence=tuple(Evidence.from_dict(e) for e in data.get("evidence", ())),
            attributes={k: v for k, v in data.items() if k not in _LABEL_KEYS},
        )


_LABEL_KEYS = frozenset({"name", "facet", "score", "source", "evidence"})


@dataclass(frozen=True)
class Prediction:
    """The labels given to one document."""

    document_id: str
    labels: tuple[Label, ...] = ()
    title: str = ""
    group: str | None = None  # with ``predict --dedup``: the id of its group's first story
    event: str | None = None  # with ``predict --events``: the id of its event's first story

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", tuple(self.labels))

    def by_facet(self, facet: str) -> tuple[Label, ...]:
        """The labels of one facet, highest score first."""
        return tuple(
            sorted((lb for lb in self.labels if lb.facet == facet), key=lambda lb: -lb.score)
        )

    def names(self, facet: str | None = None) -> list[str]:
        """Label names, optionally of one facet only."""
        return [lb.name for lb in self.labels if facet is None or lb.facet == facet]

    def to_dict(self) -> dict[str, Any]:
        """The JSONL shape of ``newsclf predict``: ``{"id", "title", "labels": [...]}``."""
        out: dict[str, Any] = {"id": self.document_id, "title": self.title}
        if self.group is not None:
            out["group"] = self.group
        if self.event is not None:
            out["event"] = self.event
        out["labels"] = [lb.to_dict() for lb in self.labels]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Prediction:
        return cls(
            document_id=str(data["id"]),
            title=str(data.get("title", "")),
            labels=tuple(Label.from_dict(lb) for lb in data.get("labels", ())),
            group=None if data.get("group") is None else str(data["group"]),
            event=None if data.get("event") is None else str(data["event"]),
        )

    @classmethod
    def merge(cls, document: Document, groups: Iterable[Iterable[Label]]) -> Prediction:
        """One prediction from the label lists several classifiers gave a document."""
        labels = [lb for group in groups for lb in group]
        return cls(document_id=document.id, title=document.title, labels=tuple(labels))


def gold_labels(document: Document, field: str) -> list[str] | None:
    """The gold labels a record holds in ``field``: a list, or a string (split on ``;``
    and ``|``; a JSON list in a CSV cell is read as a list). ``None`` when the record has
    no such field."""
    if field not in document.meta:
        return None
    value = document.meta[field]
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                pass
        if isinstance(value, str):
            parts = text.replace("|", ";").split(";")
            return [p.strip() for p in parts if p.strip()]
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int)) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    raise InputError(f"label field {field!r} must be a list of names or a string, not "
                     f"{type(value).__name__}", document.id)


def story_id(title: str, text: str) -> str:
    """A story's stable id: the first 16 hex digits of the SHA-256 of its title and text,
    so the same story gets the same id on every page and every run."""
    digest = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
    return digest[:16]
