"""``newsclf serve``: the page, the JSON endpoint (the predict command's shape), health,
limits, escaping, and errors as JSON."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
pytest.importorskip("httpx", reason="starlette's test client needs httpx")

from starlette.testclient import TestClient

from newsclf import Document, Model
from newsclf.classifiers.keywords import KeywordClassifier
from newsclf.classifiers.regions import RegionClassifier
from newsclf.serve import create_app

STORY = {"title": "Japan raises tariffs on steel",
         "text": "Tokyo said Japan would raise tariffs on imports of steel and exports."}


@pytest.fixture(scope="module")
def client() -> TestClient:
    model = Model([KeywordClassifier(), RegionClassifier(places=True)])
    return TestClient(create_app(model, max_bytes=20_000, max_stories=3),
                      raise_server_exceptions=False)


def test_predict_answers_the_cli_shape(client: TestClient) -> None:
    one = client.post("/predict", json=STORY)
    assert one.status_code == 200
    expected = Model([KeywordClassifier(), RegionClassifier(places=True)]).predict(
        [Document.from_dict({**STORY, "id": one.json()["id"]})])[0].to_dict()
    assert one.json() == json.loads(json.dumps(expected))
    many = client.post("/predict", json=[STORY, {"text": "Shares fell in Frankfurt."}])
    assert [len(r["labels"]) > 0 for r in many.json()] == [True, True]


def test_limits_and_bad_bodies_are_json_errors(client: TestClient) -> None:
    assert client.post("/predict", json=[STORY] * 4).json() == {
        "error": "at most 3 stories a request"}
    big = client.post("/predict", content=b'{"text": "' + b"x" * 30_000 + b'"}')
    assert big.status_code == 413 and "over 20000 bytes" in big.json()["error"]
    bad = client.post("/predict", content=b"{nope")
    assert bad.status_code == 400 and bad.json() == {"error": "the body is not JSON"}
    no_text = client.post("/predict", json=[{"text": 5}])
    assert no_text.status_code == 400 and no_text.headers["content-type"].startswith(
        "application/json")
    title_only = client.post("/predict", json={"title": "x"})
    assert title_only.status_code == 400
    assert title_only.json() == {"error": "story 0: record has no text field"}
    assert client.get("/nowhere").status_code == 404


def test_page_shows_the_card_and_escapes_everything(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<form" in page.text
    assert "<code>POST /predict</code>" in page.text
    posted = client.post("/", data={"title": "<script>alert(1)</script>",
                                    "text": STORY["text"] + " <img src=x onerror=alert(2)>"})
    assert posted.status_code == 200
    assert "<script>alert" not in posted.text and "<img src=x" not in posted.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in posted.text
    assert '<span class="chip country"' in posted.text and '<mark class="country"' in posted.text


def test_upload_a_page(client: TestClient) -> None:
    page = "Japan raises tariffs\n\nTokyo said Japan would raise tariffs on steel.\n"
    posted = client.post("/", files={"file": ("page.txt", page.encode(), "text/plain")})
    assert posted.status_code == 200 and posted.text.count('<article class="card"') == 1
    wrong = client.post("/", files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert wrong.status_code == 415 and wrong.headers["content-type"].startswith("text/html")
    assert '<p class="error">upload a .txt page or a .jsonl file</p>' in wrong.text
    assert "<form" in wrong.text  # the page again, to try once more
    binary = client.post("/", files={"file": ("b.txt", b"\x00\x01\x02" * 50, "text/plain")})
    assert binary.status_code == 400 and "binary file, not text" in binary.text
    assert "<form" in binary.text


def test_health(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"


def test_a_busy_port_is_a_one_line_error() -> None:
    import socket

    from click.testing import CliRunner

    from newsclf.cli import cli

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.output.strip() == (f"Error: cannot listen on 127.0.0.1:{port}: Address "
                                     "already in use (is another server running there? "
                                     "try --port)")
