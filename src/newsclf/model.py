"""A model: an ordered set of classifiers plus metadata, and its safe persistence.

``save_model`` writes ``NAME.joblib`` (or ``NAME.skops``) atomically and a ``NAME.json``
manifest beside it. ``load_model`` reads the manifest first and checks the SHA-256 of the
model file *before* unpickling it, so a file that is not what the manifest says never runs.

The model file holds plain data, not pickled classes: for each classifier its registered
name, the version of its fitted state, its parameters and its fitted state (dicts, lists,
strings, numbers, NumPy arrays; :meth:`newsclf.EstimatorMixin.fitted_state`). Loading
builds each classifier again through the plugin registry by that name, so moving code
inside newsclf (or a plugin) never breaks a saved model, and a plugin's classifier is
saved and loaded like a built-in one. (A classifier that is not registered is recorded
with its import path as well.) Files of an older format are refused with the command
that rebuilds them.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import platform
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .errors import ClassifierError, ModelError, ModelVersionWarning, NewsclfError
from .paths import shipped_models_dir
from .plugins import Registry, get_registry
from .skops_format import dump_skops, load_skops, trusted_types
from .streams import batches, pooled
from .types import Document, Label, Prediction
from .typing import Classifier
from .version import __version__

T = TypeVar("T")

__all__ = [
    "FORMAT_VERSION",
    "Model",
    "classifier_errors",
    "default_model_path",
    "load_default_model",
    "load_model",
    "manifest_path",
    "save_model",
]

FORMAT_VERSION = 2
MANIFEST_KIND = "newsclf-model"
DEFAULT_MODEL_ENV = "NEWSCLF_DEFAULT_MODEL"
SUFFIXES = (".joblib", ".skops")


class Model:
    """Classifiers applied in order; each adds its labels to every document's prediction.

    ``metadata`` is what the model says of itself (training data fingerprint, CV
    metrics, …) and what a saved manifest records beside the file's own facts; a loaded
    model's ``manifest`` is the manifest it was read with (name, hash, creation time of
    *that* file), kept apart so that saving again writes a fresh one.
    """

    def __init__(self, classifiers: Sequence[Classifier],
                 metadata: dict[str, Any] | None = None) -> None:
        self.classifiers = list(classifiers)
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.manifest: dict[str, Any] | None = None

    def __repr__(self) -> str:
        names = ", ".join(getattr(c, "name", type(c).__name__) for c in self.classifiers)
        return f"Model([{names}])"

    @property
    def labels(self) -> dict[str, list[str]]:
        """The label names each classifier knows (what it learned, or its rules'), by
        classifier name."""
        out = {}
        for clf in self.classifiers:
            known = getattr(clf, "labels_", None)
            if known is None and isinstance(getattr(clf, "labels", None), list):
                known = clf.labels  # type: ignore[attr-defined]
            out[clf.name] = list(known or [])
        return out

    @property
    def facets(self) -> set[str]:
        """The facets its classifiers give labels of (``topic``, ``country``…)."""
        return {f for c in self.classifiers
                for f in getattr(c, "facets", (getattr(c, "facet", None),)) if f}

    def labels_field(self, given: str | None = None) -> str:
        """The record field that holds gold labels for this model: ``given`` if set,
        else the field it was trained on (its manifest's ``training.labels_field``),
        else ``labels``."""
        trained = (self.metadata.get("training") or {}).get("labels_field")
        return given or (trained if isinstance(trained, str) and trained else "labels")

    def scorer(self, facet: str) -> Any:
        """The first classifier that gives a score for every label of ``facet``
        (``predict_scores``), or None: what calibration and ``suggest`` read."""
        for clf in self.classifiers:
            if hasattr(clf, "predict_scores") and getattr(clf, "facet", None) == facet:
                return clf
        return None

    def predict(self, documents: Iterable[Document], *, explain: bool = False) -> list[Prediction]:
        """One :class:`Prediction` per document, in order.

        With ``explain`` each label carries the evidence that weighed most (classifiers
        with an ``explain`` method are asked per document; that is slower). A story with
        neither title nor text gets no labels (no classifier is asked). A classifier that
        raises anything but a newsclf error is reported as a :class:`ClassifierError`
        naming it and the plugin that registered it.
        """
        docs = list(documents)
        if not docs:
            return []
        todo = [i for i, doc in enumerate(docs) if not doc.is_empty]
        groups: list[list[list[Label]]] = [[] for _ in docs]
        if todo:
            batch = [docs[i] for i in todo]
            for clf in self.classifiers:
                with classifier_errors(clf, "predict"):
                    if explain and hasattr(clf, "explain"):
                        results = [clf.explain(doc) for doc in batch]
                    else:
                        results = clf.predict(batch)
                for i, labels in zip(todo, results):
                    groups[i].append(labels)
        return [Prediction.merge(doc, group) for doc, group in zip(docs, groups)]

    def predict_stream(self, documents: Iterable[Document], *, batch_size: int = 256,
                       explain: bool = False, jobs: int = 1) -> Iterator[Prediction]:
        """Predictions for a stream of documents, batch by batch (memory stays flat).

        With ``jobs > 1`` batches run in that many worker processes, each holding its own
        copy of the model; results come back in input order.
        """
        return self.render_stream(documents, _same, batch_size=batch_size,
                                  explain=explain, jobs=jobs)

    def render_stream(self, documents: Iterable[Document], render: Callable[[Prediction], T],
                      *, batch_size: int = 256, explain: bool = False,
                      jobs: int = 1) -> Iterator[T]:
        """``render(prediction)`` for each document of a stream, in input order, like
        :meth:`predict_stream`; with ``jobs > 1`` the worker processes render too (e.g.
        :func:`newsclf.writers.jsonl_line`), so the parent only writes what comes back.
        ``render`` must be picklable (a module-level function) for ``jobs > 1``."""
        if jobs <= 1:
            for batch in batches(documents, batch_size):
                yield from map(render, self.predict(batch, explain=explain))
            return
        work = partial(_predict_in_worker, explain=explain, render=render)
        for _, rendered in pooled(work, batches(documents, batch_size), jobs,
                                  initializer=_init_worker, initargs=(self,)):
            yield from rendered

    def describe(self) -> list[dict[str, Any]]:
        """Name, state version, facet and parameters of each classifier (for the
        manifest)."""
        out = []
        for clf in self.classifiers:
            params = clf.get_params(deep=False) if hasattr(clf, "get_params") else {}
            out.append({"name": clf.name, "state_version": getattr(clf, "state_version", 1),
                        "facet": clf.facet,
                        "params": {k: _jsonable(v) for k, v in params.items()}})
        return out


_WORKER_MODEL: Model | None = None


def _init_worker(model: Model) -> None:
    global _WORKER_MODEL
    _WORKER_MODEL = model
    one_thread_per_worker()


def one_thread_per_worker() -> None:
    """In a worker process of a pool as large as the machine, libraries' own threads
    (the HF tokenizer of static embeddings uses every core) only fight the other
    workers: keep them to one, unless the user chose otherwise."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _predict_in_worker(batch: list[Document], explain: bool,
                       render: Callable[[Prediction], T]) -> list[T]:
    assert _WORKER_MODEL is not None
    return [render(p) for p in _WORKER_MODEL.predict(batch, explain=explain)]


def _same(prediction: Prediction) -> Prediction:
    return prediction


@contextmanager
def classifier_errors(clf: Any, stage: str) -> Iterator[None]:
    """Turn an unexpected error raised by a classifier (a plugin's, usually) into a
    one-line :class:`ClassifierError` naming the classifier and its plugin."""
    try:
        yield
    except NewsclfError:
        raise
    except Exception as exc:
        name = getattr(clf, "name", type(clf).__name__)
        registration = get_registry().classifiers.get(str(name))
        plugin = f" (plugin {registration.plugin!r})" if registration else ""
        raise ClassifierError(f"classifier {name!r}{plugin} failed in {stage}: "
                              f"{type(exc).__name__}: {exc}") from exc


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
    """Write through a temporary file in the same folder, then rename it over ``path``:
    readers (and a second writer) see the old file or the new one, never a mix, and an
    interrupted write leaves the old file as it was."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ModelError(f"{path}: cannot write here ({exc.strerror or exc})") from None
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


def _record(clf: Classifier, registry: Registry) -> dict[str, Any]:
    """What the model file keeps of one classifier (plain data for newsclf's own), and
    the third-party plugin that registered it, so loading without it can say what to
    install."""
    record: dict[str, Any] = {"name": clf.name,
                              "state_version": getattr(clf, "state_version", 1)}
    registration = registry.classifiers.get(clf.name)
    if registration is None:
        record["class"] = f"{type(clf).__module__}:{type(clf).__qualname__}"
    else:
        info = registry.plugins.get(registration.plugin)
        if info is not None and not info.builtin:
            record["plugin"] = {"name": info.name, "version": info.version,
                                "distribution": info.distribution or info.name}
    if hasattr(clf, "get_params") and hasattr(clf, "fitted_state"):
        record["params"] = clf.get_params(deep=False)
        record["state"] = clf.fitted_state()
    else:  # a duck-typed classifier without the estimator contract: kept whole
        record["object"] = clf
    return record


def _payload(model: Model) -> dict[str, Any]:
    registry = get_registry()
    return {"format_version": FORMAT_VERSION,
            "classifiers": [_record(c, registry) for c in model.classifiers],
            "metadata": model.metadata}


def check_model_path(path: str | Path) -> Path:
    """``path`` if a model can be saved there (what :func:`save_model` checks first:
    call it before a long training run), else :class:`ModelError` saying why: a wrong
    suffix, a missing directory, or a file there or at its manifest's place that is not
    a newsclf model."""
    path = Path(path)
    if path.suffix not in SUFFIXES:
        raise ModelError(f"{path}: a model file must end in .joblib or .skops")
    mpath = manifest_path(path)
    for target in (path, mpath):
        if target.exists() and not _is_our_model(path):
            what = "the model" if target == path else "the model's manifest"
            raise ModelError(f"{target}: exists and is not a newsclf model; not overwriting "
                             f"it (it is where {what} would go: choose another -o)")
    if not path.parent.is_dir():
        raise ModelError(f"{path.parent}: no such directory")
    return path


def save_model(model: Model, path: str | Path) -> Path:
    """Save ``model`` to ``path`` (``.joblib``, or ``.skops`` for the safe format) with its
    manifest beside it. Writes are atomic; a file that is not a newsclf model (or its
    would-be manifest) is never overwritten. Returns the manifest's path."""
    path = check_model_path(path)
    mpath = manifest_path(path)
    payload = _payload(model)
    with _exclusive(path):
        _write_model(model, payload, path, mpath)
    return mpath


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold a lock beside ``path`` while writing it: two runs saving to one path write
    one after the other, so the model and its manifest always come from the same run."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: renames alone keep each file whole
        yield
        return
    lock = path.with_name(f".{path.name}.lock")
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_model(model: Model, payload: dict[str, Any], path: Path, mpath: Path) -> None:
    if path.suffix == ".skops":
        data = dump_skops(payload, trusted_types(model.classifiers))
        _atomic_write(path, lambda handle: handle.write(data))
    else:
        import joblib

        _atomic_write(path, lambda handle: joblib.dump(payload, handle, compress=3))
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
        **{k: v for k, v in model.metadata.items() if k not in _MANIFEST_KEYS},
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False, default=_jsonable) + "\n"
    _atomic_write(mpath, lambda handle: handle.write(text.encode("utf-8")))


_MANIFEST_KEYS = frozenset({"kind", "format_version", "file", "format", "sha256", "created",
                            "versions", "classifiers", "labels"})
_REBUILD = ("train it again with this newsclf (newsclf train …; the shipped default "
            "model: python scripts/build_default_model.py DATA)")


def read_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of the model at ``path``, checked for kind and format version."""
    path = Path(path)
    mpath = manifest_path(path)
    if not path.exists():
        raise ModelError(f"{path}: no such model file")
    if path.suffix == ".json":
        model_files = [p.name for p in (path.with_suffix(".joblib"), path.with_suffix(".skops"))
                       if p.exists()]
        hint = f"; pass {model_files[0]}" if model_files else ""
        raise ModelError(f"{path}: this is a model's manifest, not the model "
                         f"(the .joblib or .skops file beside it){hint}")
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
        raise ModelError(f"{mpath}: model format version "
                         f"{manifest.get('format_version')!r}; this newsclf reads version "
                         f"{FORMAT_VERSION}: {_REBUILD}")
    return manifest


def _factory(record: dict[str, Any], where: Path) -> Any:
    """How to build the classifier of a record: its registered factory, else its class."""
    name = record.get("name")
    registry = get_registry()
    if name in registry.classifiers:
        return registry.classifier(str(name))
    if "class" in record:
        module, _, qualname = str(record["class"]).partition(":")
        try:
            found: Any = importlib.import_module(module)
            for part in qualname.split("."):
                found = getattr(found, part)
            return found
        except (ImportError, AttributeError):
            pass
    plugin = record.get("plugin")
    if isinstance(plugin, dict) and plugin.get("distribution"):
        raise ModelError(f"{where}: classifier {name!r} comes from the plugin "
                         f"{plugin['distribution']!r} (version {plugin.get('version')}), "
                         f"which is not installed: pip install {plugin['distribution']}")
    raise ModelError(f"{where}: classifier {name!r} is not installed (is the plugin that "
                     "registers it installed?)")


def _rebuild(record: dict[str, Any], where: Path) -> Classifier:
    """A classifier from its record: built by name with its parameters, then given its
    fitted state (after checking the state's version)."""
    if "object" in record:
        clf: Classifier = record["object"]
        return clf
    clf = _factory(record, where)(**record["params"])
    expected = getattr(clf, "state_version", 1)
    if record.get("state_version", 1) != expected:
        raise ModelError(f"{where}: classifier {record['name']!r} was saved with state "
                         f"version {record.get('state_version')}, this newsclf reads "
                         f"{expected}; {_REBUILD}")
    try:
        clf.load_fitted_state(record["state"])  # type: ignore[attr-defined]
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{where}: classifier {record['name']!r}: unreadable fitted state "
                         f"({type(exc).__name__}: {exc})") from None
    return clf


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
            named = [c.get("name") for c in manifest.get("classifiers", [])]
            registry = get_registry()
            declared = [registry.classifier(n)() for n in named if n in registry.classifiers]
            payload = load_skops(path.read_bytes(), trusted_types(declared))
        else:
            import joblib

            payload = joblib.load(path)
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(f"{path}: cannot load model ({type(exc).__name__}: {exc})") from None
    if not isinstance(payload, dict) or payload.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{path}: not a newsclf model of format {FORMAT_VERSION}; {_REBUILD}")
    model = Model([_rebuild(r, path) for r in payload["classifiers"]],
                  payload.get("metadata") or {})
    model.manifest = manifest
    return model


def default_model_path() -> Path:
    """Where the shipped default model is: ``$NEWSCLF_DEFAULT_MODEL`` if set, else the copy
    installed inside the package (``newsclf/models/``), else ``models/`` of a source
    checkout."""
    if os.environ.get(DEFAULT_MODEL_ENV):
        return Path(os.environ[DEFAULT_MODEL_ENV])
    folder = shipped_models_dir("default.joblib")
    if folder is not None:
        return folder / "default.joblib"
    raise ModelError("the default model is not installed (models/default.joblib); "
                     "pass --model PATH")


def load_default_model() -> Model:
    """The model shipped with newsclf (topics, countries and regions)."""
    return load_model(default_model_path())
