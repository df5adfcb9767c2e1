"""HTML articles: main text and title extracted by trafilatura."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..types import Document, story_id
from .decoding import read_text

__all__ = ["read_article"]


def read_article(path: Path) -> Document:
    """The article in an HTML file, as one Document (id: a hash of title and text)."""
    import trafilatura

    markup = read_text(path)
    extracted = trafilatura.bare_extraction(markup, include_comments=False,
                                            include_tables=False, with_metadata=True)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise InputError("no article text found in this HTML", str(path))
    title = getattr(extracted, "title", None) or ""
    source = getattr(extracted, "sitename", None)
    url = getattr(extracted, "url", None)
    published = getattr(extracted, "date", None)
    return Document(id=story_id(title, text), text=text, title=title, source=source, url=url,
                    published=published, meta={"page": path.name})
