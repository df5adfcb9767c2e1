"""Built-in plugin: the readers for scraped pages, HTML, JSONL and CSV."""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl
from ..readers import csv_records, html_article, jsonl_records, text_page


@hookimpl
def newsclf_register_readers(register: Callable[..., None]) -> None:
    register(".txt", text_page)
    register(".html", html_article)
    register(".htm", html_article)
    register(".jsonl", jsonl_records)
    register(".ndjson", jsonl_records)
    register(".csv", csv_records)
