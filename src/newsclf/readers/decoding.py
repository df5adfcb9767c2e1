"""Bytes to clean text: encoding detection and repair of what scrapers leave behind."""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..errors import InputError

__all__ = ["decode_bytes", "read_text", "repair_residue"]

# Control bytes that never occur in text (NUL and friends), a sign of a binary file.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# Entities mangled by scrapers: "&nbsp," / "&amp," (comma instead of semicolon), and
# entities with no terminator at all before a space.
_MANGLED_ENTITY = re.compile(r"&(#\d{1,6}|#x[0-9a-fA-F]{1,5}|[a-zA-Z]{2,8})[,;]")
_BARE_ENTITY = re.compile(
    r"&(nbsp|amp|quot|apos|lt|gt|rsquo|lsquo|rdquo|ldquo|mdash|ndash|hellip)\b")
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


def decode_bytes(data: bytes, location: str) -> str:
    """Decode a page: UTF-8 first, otherwise the encoding charset-normalizer detects.

    Raises :class:`InputError` for binary data or text in no encoding it can tell.
    """
    head = data[:65536]
    if _BINARY.search(head) and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary file, not text", location)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None or best.encoding is None:
        raise InputError("cannot tell the text encoding (not UTF-8, none detected)", location)
    # Short pages fit several single-byte encodings about equally well; Western Windows /
    # Latin-1 is by far the most common of them on news sites, so it wins a near tie.
    for match in results:
        if match.encoding in _WESTERN and match.chaos <= best.chaos + 0.15 \
                and match.coherence >= best.coherence - 0.05:
            return str(match)
    return str(best)


def read_text(path: Path) -> str:
    """Read and decode a text file, with errors that name it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory", str(path)) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), str(path)) from None
    return decode_bytes(data, str(path))


def _entity(match: re.Match[str]) -> str:
    entity = f"&{match.group(1)};"
    decoded = html.unescape(entity)
    return match.group(0) if decoded == entity else decoded


def repair_residue(line: str) -> str:
    """Repair HTML residue in one line (``&nbsp,`` → space, ``&amp,`` → ``&``, stray
    entities) and collapse runs of spaces."""
    if "&" in line:
        line = _MANGLED_ENTITY.sub(_entity, line)
        line = _BARE_ENTITY.sub(lambda m: html.unescape(f"&{m.group(1)};"), line)
    # str.split() knows every Unicode space (no-break and ideographic ones included)
    return " ".join(line.replace("\u200b", " ").split())
