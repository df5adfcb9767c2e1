"""A model: an ordered set of classifiers plus metadata, and its safe persistence.

``save_model`` writes ``NAME.joblib`` (or ``NAME.skops``) atomically and a ``NAME.json``
manifest beside it. ``load_model`` reads the manifest first and checks the SHA-256 of the
model file *before* unpickling it, so a file that is not what the manifest says never runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any

from .errors import ModelError, ModelVersionWarning
from .types import Document, Label, Prediction

__all__ = [
    "FORMAT_VERSION",
    "Model",
    "default_model_path",
    "load_default_model",
    "load_model",
    "manifest_path",
    "save_model",
]

FORMAT_VERSION = 1
MANIFEST_KIND = "newsclf-model"
DEFAULT_MODEL_ENV = "NEWSCLF_DEFAULT_MODEL"
SUFFIXES = (".joblib", ".skops")


class Model:
    """Classifiers applied in order; each adds its labels to every document's prediction.

    ``metadata`` is what the manifest records (training data fingerprint, CV metrics, …).
    """

    def __init__(self, classifiers: Sequence[Any], metadata: dict[str, Any] | None = None):
        self.classifiers = list(classifiers)
        self.metadata: dict[str, Any] = dict(metadata or {})

    def __repr__(self) -> str:
        names = ", ".join(getattr(c, "name", type(c).__name__) for c in self.classifiers)
        return f"Model([{names}])"

    @property
    def labels(self) -> dict[str, list[str]]:
        """The label names each trained classifier knows, by classifier name."""
        return {getattr(c, "name", type(c).__name__): list(getattr(c, "labels_", []))
                for c in self.classifiers}

    def predict(self, documents: Iterable[Document], *, explain: bool = False) -> list[Prediction]:
        """One :class:`Prediction` per document, in order.

        With ``explain`` each label carries the evidence that weighed most (classifiers
        with an ``explain`` method are asked per document; that is slower).
        """
        docs = list(documents)
        if not docs:
            return []
        groups: list[list[list[Label]]] = [[] for _ in docs]
        for clf in self.classifiers:
            if explain and hasattr(clf, "explain"):
                results = [clf.explain(doc) for doc in docs]
            else:
                results = clf.predict(docs)
            for group, labels in zip(groups, results):
                group.append(labels)
        return [Prediction.merge(doc, group) for doc, group in zip(docs, groups)]

    def predict_stream(self, documents: Iterable[Document], *, batch_size: int = 256,
                       explain: bool = False, jobs: int = 1) -> Iterator[Prediction]:
        """Predictions for a stream of documents, batch by batch (memory stays flat).

        With ``jobs > 1`` batches run in that many worker processes, each holding its own
        copy of the model; results come back in input order.
        """
        it = iter(documents)
        batches = iter(lambda: list(islice(it, batch_size)), [])
        if jobs <= 1:
            for batch in batches:
                yield from self.predict(batch, explain=explain)
            return
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(self,)) as pool:
            pending: list[Any] = []
            for batch in batches:
                pending.append(pool.submit(_predict_in_worker, batch, explain))
                if len(pending) >= 2 * jobs:
                    yield from pending.pop(0).result()
            for future in pending:
                yield from future.result()

    def describe(self) -> list[dict[str, Any]]:
        """Name, facet and parameters of each classifier (for the manifest)."""
        out = []
        for clf in self.classifiers:
            params = clf.get_params(deep=False) if hasattr(clf, "get_params") else {}
            out.append({"name": getattr(clf, "name", type(clf).__name__),
                        "class": f"{type(clf).__module__}.{type(clf).__qualname__}",
                        "facet": getattr(clf, "facet", ""),
                        "params": {k: _jsonable(v) for k, v in params.items()}})
        return out


_WORKER_MODEL: Model | None = None


def _init_worker(model: Model) -> None:
    global _WORKER_MODEL
    _WORKER_MODEL = model


def _predict_in_worker(batch: list[Document], explain: bool) -> list[Prediction]:
    assert _WORKER_MODEL is not None
    return _WORKER_MODEL.predict(batch, explain=explain)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return repr(value)


def manifest_path(path: str | Path) -> Path:
    """The manifest beside a model file: ``NAME.json``."""
    return Path(path).with_suffix(".json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sklearn_version() -> str:
    # the installed version, without importing scikit-learn (seconds) to ask it
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scikit-learn")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        return "not installed"


def _versions() -> dict[str, str]:
    from . import __version__

    return {"newsclf": __version__, "scikit-learn": _sklearn_version(),
            "python": platform.python_version()}


def _is_our_model(path: Path) -> bool:
    """Whether an existing file may be replaced: a newsclf model with its manifest."""
    if path.suffix not in SUFFIXES:
        return False
    try:
        manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("kind") == MANIFEST_KIND


def _atomic_write(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_model(model: Model, path: str | Path) -> Path:
    """Save ``model`` to ``path`` (``.joblib``, or ``.skops`` for the safe format) with its
    manifest beside it. Writes are atomic; a file that is not a newsclf model (or its
    would-be manifest) is never overwritten. Returns the manifest's path."""
    path = Path(path)
    if path.suffix not in SUFFIXES:
        raise ModelError(f"{path}: a model file must end in .joblib or .skops")
    mpath = manifest_path(path)
    for target in (path, mpath):
        if target.exists() and not _is_our_model(path):
            raise ModelError(f"{target}: exists and is not a newsclf model; not overwriting it")
    if not path.parent.is_dir():
        raise ModelError(f"{path.parent}: no such directory")
    if path.suffix == ".skops":
        from .safe_format import dump_skops

        _atomic_write(path, lambda handle: handle.write(dump_skops(model)))
    else:
        import joblib

        _atomic_write(path, lambda handle: joblib.dump(model, handle, compress=3))
    manifest = {
        "kind": MANIFEST_KIND,
        "format_version": FORMAT_VERSION,
        "file": path.name,
        "format": path.suffix.lstrip("."),
        "sha256": _sha256(path),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": _versions(),
        "classifiers": model.describe(),
        "labels": model.labels,
        **{k: v for k, v in model.metadata.items() if k not in ("kind", "sha256")},
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    _atomic_write(mpath, lambda handle: handle.write(text.encode("utf-8")))
    return mpath


def read_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of the model at ``path``, checked for kind and format version."""
    path = Path(path)
    mpath = manifest_path(path)
    if not path.exists():
        raise ModelError(f"{path}: no such model file")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: no manifest {mpath.name} beside it; refusing to load "
                         "a model file of unknown origin") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{mpath}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != MANIFEST_KIND:
        raise ModelError(f"{mpath}: not a newsclf model manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{mpath}: unknown model format version "
                         f"{manifest.get('format_version')!r} (this newsclf reads "
                         f"{FORMAT_VERSION})")
    return manifest


def load_model(path: str | Path) -> Model:
    """Load a saved model, refusing (with :class:`ModelError`) a missing manifest, an
    unknown format version or a file whose SHA-256 differs from the manifest's, all
    before any byte of the model file is unpickled."""
    path = Path(path)
    manifest = read_manifest(path)
    actual = _sha256(path)
    if actual != manifest.get("sha256"):
        raise ModelError(f"{path}: SHA-256 does not match its manifest; the file was "
                         "changed or corrupted, refusing to load it")
    trained_with = manifest.get("versions", {}).get("scikit-learn")
    running = _sklearn_version()
    if trained_with and trained_with != running:
        warnings.warn(f"{path}: trained with scikit-learn {trained_with}, running "
                      f"{running}; predictions may differ", ModelVersionWarning,
                      stacklevel=2)
    try:
        if path.suffix == ".skops":
            from .safe_format import load_skops

            model = load_skops(path.read_bytes())
        else:
            import joblib

            model = joblib.load(path)
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(f"{path}: cannot load model ({type(exc).__name__}: {exc})") from None
    if not isinstance(model, Model):
        raise ModelError(f"{path}: holds a {type(model).__name__}, not a newsclf Model")
    model.metadata = {**manifest, **model.metadata}
    return model


def default_model_path() -> Path:
    """Where the shipped default model is: ``$NEWSCLF_DEFAULT_MODEL`` if set, else the copy
    installed inside the package (``newsclf/models/``), else ``models/`` of a source
    checkout."""
    if os.environ.get(DEFAULT_MODEL_ENV):
        return Path(os.environ[DEFAULT_MODEL_ENV])
    here = Path(__file__).resolve().parent
    for candidate in (here / "models", here.parents[1] / "models"):
        if (candidate / "default.joblib").exists():
            return candidate / "default.joblib"
    raise ModelError("the default model is not installed (models/default.joblib); "
                     "pass --model PATH")


def load_default_model() -> Model:
    """The model shipped with newsclf (topics, countries and regions)."""
    return load_model(default_model_path())
