"""Checked as a person would: ``newsclf serve`` on a free loopback port opened in headless
Chromium (a story submitted through the page's form, the rendered chips and highlights
read from the DOM), and ``newsclf show`` output rendered to a screenshot.

Runs in its own tox env (``tox -e browser``), which CI runs after installing Debian's
``chromium``. Without Chromium the tests skip, saying so; in CI (``CI=true``) they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("no Chromium in CI: .ci/run installs Debian's chromium before this env")
    pytest.skip("no Chromium found (install Debian's chromium package to run this test)")


def _run(chromium: str, tmp: Path, *args: str) -> str:
    out = subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
                         capture_output=True, text=True, timeout=120, check=True)
    return out.stdout


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    uvicorn = pytest.importorskip("uvicorn")
    from newsclf import load_default_model
    from newsclf.serve import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = load_default_model()
    for clf in model.classifiers:
        if clf.name == "regions":
            clf.set_params(places=True)  # type: ignore[attr-defined]
    config = uvicorn.Config(create_app(model), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    srv.should_exit = True
    thread.join(10)


def test_a_story_submitted_in_the_page_shows_its_card(server: str, tmp_path: Path) -> None:
    chromium = _chromium()
    story = {"title": "Japan raises tariffs on steel <script>alert(1)</script>",
             "text": "Tokyo said Japan would raise tariffs on imports of steel, hitting "
                     "exports from Shenzhen and trade with the United States."}
    # the form's own GET submission: what a person's click sends
    dom = _run(chromium, tmp_path, "--dump-dom", f"{server}/?{urllib.parse.urlencode(story)}")
    assert '<article class="card"' in dom
    assert '<span class="chip topic"' in dom and "trade" in dom
    assert '<span class="chip country"' in dom and ">JP<" in dom
    assert '<mark class="country"' in dom and '<mark class="topic"' in dom
    assert "<script>alert(1)</script>" not in dom  # shown as text, never run


def test_show_output_renders(tmp_path: Path) -> None:
    chromium = _chromium()
    from click.testing import CliRunner

    from newsclf.cli import cli

    page = tmp_path / "seeds.html"
    assert CliRunner().invoke(cli, ["show", str(ROOT / "seeds"), "-o", str(page)]).exit_code == 0
    shot = tmp_path / "seeds.png"
    _run(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1100,1400",
         page.as_uri())
    assert shot.stat().st_size > 20_000
    dom = _run(chromium, tmp_path, "--dump-dom", page.as_uri())
    assert "18 of 18 stories" in dom  # the page's script ran: filters and paging work
