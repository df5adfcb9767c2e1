"""Progress on stderr only when it is a terminal (and not with --quiet); the
long-document policy: a huge story is classified on its first --max-chars characters,
counted, and never stops the run."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclf.cli import cli
from newsclf.progress import count_records, progress
from newsclf.streams import Tally, guarded
from newsclf.types import Document


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(progress(range(500), "labelled", total=500)) == list(range(500))
    assert "labelled" in terminal.getvalue() and "500/500" in terminal.getvalue()
    quiet = Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert list(progress(range(5), "labelled", quiet=True)) == list(range(5))
    assert quiet.getvalue() == ""
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    assert list(progress(range(5), "labelled")) == list(range(5))
    assert pipe.getvalue() == ""


def test_count_records_when_cheap(tmp_path: Path) -> None:
    data = tmp_path / "a.jsonl"
    data.write_text('{"text": "a"}\n{"text": "b"}\n{"text": "c"}\n')
    page = tmp_path / "p.txt"
    page.write_text("hello")
    assert count_records([str(data), str(page)]) == 4
    assert count_records(["-"]) is None and count_records([str(tmp_path)]) is None


def test_predict_draws_no_bar_into_a_pipe(tmp_path: Path) -> None:
    data = tmp_path / "a.jsonl"
    data.write_text(json.dumps({"id": "1", "text": "Tariffs on steel from China."}) + "\n")
    out = CliRunner().invoke(cli, ["predict", str(data), "--classifier", "keywords"])
    assert out.exit_code == 0 and out.stderr == ""
    quiet = CliRunner().invoke(cli, ["predict", str(data), "--classifier", "keywords", "-q"])
    assert quiet.exit_code == 0 and quiet.stdout == out.stdout


def test_a_huge_story_is_cut_counted_and_the_run_goes_on(tmp_path: Path) -> None:
    filler = "The committee met again and nothing was decided. " * 60_000  # 3 MB
    data = tmp_path / "a.jsonl"
    data.write_text(json.dumps({"id": "huge", "title": "Tariffs on Chinese steel",
                                "text": "Tariffs on steel from China. " + filler}) + "\n"
                    + json.dumps({"id": "next", "text": "Japan's exports rose."}) + "\n")
    out = CliRunner().invoke(cli, ["predict", str(data), "--classifier", "keywords",
                                   "--classifier", "regions", "--max-chars", "20000",
                                   "--explain"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["huge", "next"]
    assert "CN" in [lb["name"] for lb in rows[0]["labels"]]
    spans = [ev for lb in rows[0]["labels"] for ev in lb["evidence"] if "start" in ev]
    assert spans and max(ev["end"] for ev in spans) <= 20_000 + len("Tariffs on Chinese steel") + 2
    assert "1 record(s) longer than the limit were classified on their first characters" \
        in out.stderr


def test_guarded_cuts_text_only() -> None:
    tally = Tally()
    docs = list(guarded([Document(id="a", title="T", text="x" * 50),
                         Document(id="b", text="")], tally, max_chars=10))
    assert docs[0].text == "x" * 10 and docs[0].title == "T"
    assert (tally.truncated, tally.empty) == (1, 1)
