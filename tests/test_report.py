"""The evaluation report: one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

from newsclf.metrics import score_labels
from newsclf.report import write_report


def test_report_is_self_contained(tmp_path: Path) -> None:
    m = score_labels([["a"], ["b"]], [["a"], ["a"]])
    page = tmp_path / "r.html"
    write_report(m, page)
    text = page.read_text()
    assert "<svg" in text and "Most confused pairs" in text and "http" not in \
        text.replace("http://www.w3.org/2000/svg", "")
