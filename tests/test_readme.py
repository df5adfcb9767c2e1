"""The README's command lines run as written (on the seeds and small files made here):
what the README shows a new user is what the tool does."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclf.cli import cli

ROOT = Path(__file__).resolve().parents[1]
# lines that need an extra, a cluster or a server: shown, not run here
_NOT_HERE = ("pip install", "--backend dask", "newsclf serve")


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines()]
    return [line for line in lines
            if line.startswith("newsclf ") and not any(s in line for s in _NOT_HERE)]


def _files(folder: Path) -> None:
    """The inputs the README's lines name, made from the toy corpus and the seeds."""
    from newsclf.testing import toy_corpus

    shutil.copytree(ROOT / "seeds", folder / "seeds")
    docs, labels = toy_corpus()
    records = [{**d.to_dict(), "url": f"https://site{i % 3}.example/{i}", "topics": labs}
               for i, (d, labs) in enumerate(zip(docs, labels))]
    for name in ("data", "test", "huge"):
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    plain = "".join(json.dumps({"id": f"u{i}", "title": d.title, "text": d.text}) + "\n"
                    for i, d in enumerate(docs))
    for name in ("new", "stories", "unlabelled", "stream", "big"):
        (folder / f"{name}.jsonl").write_text(plain)
    (folder / "stories.csv").write_text(
        "id,title,text\n1,Japan raises tariffs,Tokyo said Japan would raise tariffs.\n")


def test_the_readme_has_command_lines() -> None:
    assert len(_readme_commands()) >= 15


def test_every_readme_command_line_runs(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for line in _readme_commands():
        args = shlex.split(line)[1:]
        stdin = stdout = None
        if "<" in args:
            k = args.index("<")
            stdin, args = Path(args[k + 1]).read_text(), args[:k] + args[k + 2:]
        if ">" in args:
            k = args.index(">")
            stdout, args = args[k + 1], args[:k] + args[k + 2:]
        result = runner.invoke(cli, args, input=stdin)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        assert "Traceback" not in result.output, line
        if stdout:
            Path(stdout).write_text(result.stdout)
            assert Path(stdout).stat().st_size > 0, line
    assert Path("seeds.html").read_text().startswith("<!doctype html>")
    assert Path("my2.joblib").exists() and Path("big.joblib").exists()


def test_the_readme_python_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = text.split("## Python", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})  # the project's own README
    assert capsys.readouterr().out.strip()
