"""Built-in plugin: the readers for scraped pages, HTML, JSONL and CSV."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..readers import BUILTIN_FORMATS
from ..typing import RegisterReader


@hookimpl
def newsclf_register_readers(register: RegisterReader) -> None:
    for suffix, reader in BUILTIN_FORMATS.items():
        register(suffix, reader)
