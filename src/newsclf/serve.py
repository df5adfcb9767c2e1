"""``newsclf serve``: the story card as a small local web app, and a JSON endpoint.

An ASGI app (Starlette, run by uvicorn; ``pip install 'newsclf[serve]'``):

- ``GET /``: a page with a form to paste a story (title and text) or upload a ``.txt``
  page (split into stories) or a ``.jsonl`` file; ``POST /`` answers with their cards
  (``GET /?title=…&text=…`` too, so a link shows a card);
- ``POST /predict``: a JSON body ``{"title", "text"}`` or a list of them; the answer is
  the ``predict`` command's JSON shape (a list, or one object for one story);
- ``GET /health``: ``{"status": "ok", …}``.

The model is loaded once; predictions run in a worker thread, so requests do not block
each other on the event loop. Safe by default: loopback unless told otherwise, bodies
over ``max_bytes`` refused (413), more than ``max_stories`` a request refused (413),
every piece of story text escaped, errors with their status code (JSON, or the form page
with the message), never a traceback page.
"""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .cards import CARD_CSS, card, legend
from .errors import InputError, NewsclfError
from .model import Model
from .readers import BUILTIN_FORMATS, read_inputs
from .types import Document, story_id
from .version import __version__

__all__ = ["create_app"]

MAX_BYTES = 2_000_000
MAX_STORIES = 100
_FORM = """<form method="post" enctype="multipart/form-data">
<p><input name="title" placeholder="Title" size="80" value="{title}"></p>
<p><textarea name="text" rows="10" cols="90" placeholder="Paste a story">{text}</textarea></p>
<p>or a file (.txt page, .jsonl): <input type="file" name="file" accept=".txt,.jsonl">
<button type="submit">Label it</button></p></form>"""


_ABOUT = """<p>newsclf labels a news story by topic and by the countries and regions it is
about. Paste one below or upload a file; programs <code>POST /predict</code> a JSON story
<code>{"title": …, "text": …}</code> (or a list of them) and get its labels as JSON.</p>"""


def _page(body: str, title: str = "", text: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>newsclf</title><style>body{{font:14px system-ui,sans-serif;max-width:960px;
margin:0 auto;padding:16px;background:#f6f6f4}}.error{{color:#a11;font-weight:600}}
{CARD_CSS}</style></head><body>
<h1>newsclf</h1>{_ABOUT}{_FORM.format(title=html.escape(title, quote=True), text=html.escape(text))}
{legend()}<div id="cards">{body}</div></body></html>"""


def _documents(items: Any, max_stories: int) -> list[Document]:
    """Documents from a JSON body: an object or a list of objects with ``text``."""
    records = items if isinstance(items, list) else [items]
    if len(records) > max_stories:
        raise HTTPException(413, f"at most {max_stories} stories a request")
    docs = []
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise HTTPException(400, f"story {i}: expected an object with 'text'")
        try:
            doc = Document.from_dict(record)
        except InputError as exc:
            raise HTTPException(400, f"story {i}: {exc}") from None
        if not doc.id:
            doc = Document(id=story_id(doc.title, doc.text), text=doc.text, title=doc.title)
        docs.append(doc)
    return docs


async def _body(request: Request, max_bytes: int) -> bytes:
    size = int(request.headers.get("content-length") or 0)
    if size > max_bytes:
        raise HTTPException(413, f"request body over {max_bytes} bytes")
    body = await request.body()
    if len(body) > max_bytes:
        raise HTTPException(413, f"request body over {max_bytes} bytes")
    return body


def create_app(model: Model, *, max_bytes: int = MAX_BYTES,
               max_stories: int = MAX_STORIES) -> Starlette:
    """The app around a loaded ``model`` (see the module doc)."""

    def label(docs: list[Document], explain: bool) -> list[Any]:
        return model.predict(docs, explain=explain)

    async def predict(request: Request) -> Response:
        body = await _body(request, max_bytes)
        try:
            data = json.loads(body)
        except ValueError:
            raise HTTPException(400, "the body is not JSON") from None
        docs = _documents(data, max_stories)
        predictions = await run_in_threadpool(label, docs, False)
        out = [p.to_dict() for p in predictions]
        return JSONResponse(out if isinstance(data, list) else out[0])

    async def page(request: Request) -> Response:
        title, text, docs = request.query_params.get("title", ""), \
            request.query_params.get("text", ""), []
        if request.method == "POST":
            await _body(request, max_bytes)
            async with request.form(max_files=1, max_fields=10) as form:
                title, text = str(form.get("title") or ""), str(form.get("text") or "")
                upload = form.get("file")
                if upload is not None and not isinstance(upload, str) and upload.filename:
                    docs = await _uploaded(upload)
        if text.strip() or title.strip():
            docs = [Document(id=story_id(title, text), title=title, text=text), *docs]
        if len(docs) > max_stories:
            raise HTTPException(413, f"at most {max_stories} stories a request")
        predictions = await run_in_threadpool(label, docs, True) if docs else []
        body = "".join(card(d, p) for d, p in zip(docs, predictions))
        return HTMLResponse(_page(body, title, text))

    async def health(request: Request) -> Response:
        names = [getattr(c, "name", "?") for c in model.classifiers]
        return JSONResponse({"status": "ok", "version": __version__, "classifiers": names})

    async def error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            message, status = str(exc.detail), exc.status_code
        elif isinstance(exc, NewsclfError):
            message, status = str(exc), 400
        else:
            message, status = type(exc).__name__, 500
        if request.url.path == "/":  # the form's page: the page again, with the message
            shown = f'<p class="error">{html.escape(message)}</p>'
            return HTMLResponse(_page(shown), status_code=status)
        return JSONResponse({"error": message}, status_code=status)

    return Starlette(routes=[Route("/", page, methods=["GET", "POST"]),
                             Route("/predict", predict, methods=["POST"]),
                             Route("/health", health)],
                     exception_handlers={HTTPException: error, NewsclfError: error,
                                         Exception: error})


async def _uploaded(upload: Any) -> list[Document]:
    """The stories of an uploaded ``.txt`` page or ``.jsonl`` file."""
    suffix = Path(str(upload.filename)).suffix.lower()
    if suffix not in (".txt", ".jsonl"):
        raise HTTPException(415, "upload a .txt page or a .jsonl file")
    data = await upload.read()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return list(read_inputs([path], formats=BUILTIN_FORMATS))
        except InputError as exc:
            raise HTTPException(400, str(exc).replace(str(path), upload.filename)) from None
