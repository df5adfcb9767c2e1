"""Labelling on Dask: many processes or many machines, inputs read in partitions.

Two ways in:

- :func:`predict_files` — what ``newsclf predict --backend dask`` runs. The client only
  *plans* partitions (JSONL files are cut at line boundaries every ``partition_size``
  lines, by a scan that counts lines and keeps no text; other files go ``partition_size``
  files at a time); workers read their partition, label it and send the predictions
  back. The model is scattered to every worker once, not sent with each partition.
  Predictions come back in input order, label for label what :meth:`Model.predict_stream`
  gives, with a story whose id was seen before left out as the local run does.
- :func:`predict_bag`, :func:`predict_pandas` and :func:`predict_dataframe` — for users
  whose data already is in Dask (a bag of records, a dataframe) or in pandas partitions
  (what a Spark pandas UDF receives): they map the model over it and return labels as
  fields or columns.

Dask is an optional extra: ``pip install 'newsclf[dask]'``.
"""

from __future__ import annotations

import functools
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .errors import ConfigError, InputError
from .model import Model, _same, load_model, one_thread_per_worker
from .plugins import get_registry
from .readers import SeenIds, expand_input, read_inputs
from .readers.records import jsonl_stream
from .streams import MAX_CHARS, Tally, guarded
from .types import Document, Prediction

__all__ = ["Partition", "label_columns", "plan_partitions", "predict_bag",
           "predict_dataframe", "predict_files", "predict_pandas", "render_files"]

PARTITION_SIZE = 2_000
T = TypeVar("T")


@dataclass(frozen=True)
class Partition:
    """A piece of the input a worker reads by itself: lines ``first_line``… of a JSONL
    file between two byte offsets, or a few whole files."""

    paths: tuple[str, ...]
    start: int = 0
    end: int = -1
    first_line: int = 1

    @property
    def is_jsonl_slice(self) -> bool:
        return self.end >= 0


def plan_partitions(inputs: Iterable[str], partition_size: int = PARTITION_SIZE
                    ) -> Iterator[Partition]:
    """Partitions of the inputs in input order. JSONL files are cut every
    ``partition_size`` lines (a binary scan counting newlines: nothing is parsed or kept);
    other files (HTML, text, CSV) are grouped ``partition_size`` // 100 files at a time,
    at least one."""
    formats = get_registry().formats()
    pending: list[str] = []
    per_group = max(1, partition_size // 100)
    for item in inputs:
        if item == "-":
            raise ConfigError("the dask backend reads files, not standard input")
        for path in expand_input(item, formats):
            if path.suffix.lower() in (".jsonl", ".ndjson"):
                if pending:
                    yield Partition(tuple(pending))
                    pending = []
                yield from _jsonl_slices(path, partition_size)
            else:
                pending.append(str(path))
                if len(pending) >= per_group:
                    yield Partition(tuple(pending))
                    pending = []
    if pending:
        yield Partition(tuple(pending))


def _jsonl_slices(path: Path, partition_size: int) -> Iterator[Partition]:
    start, line, count = 0, 1, 0
    offset = 0
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), str(path)) from None
    with handle:
        for raw in handle:
            offset += len(raw)
            count += 1
            if count == partition_size:
                yield Partition((str(path),), start, offset, line)
                start, line, count = offset, line + count, 0
    if count:
        yield Partition((str(path),), start, offset, line)


def read_partition(part: Partition, on_error: Any = None) -> Iterator[Document]:
    """The documents of one partition (on a worker), errors named by file and line."""
    if not part.is_jsonl_slice:
        yield from read_inputs(part.paths, formats=get_registry().formats(), unique=False,
                               on_error=on_error)
        return
    path = part.paths[0]
    with open(path, "rb") as handle:
        handle.seek(part.start)
        data = handle.read(part.end - part.start)
    yield from jsonl_stream(data.splitlines(keepends=True), path, on_error,
                            start=part.first_line)


def _label_partition(model: Model, part: Partition, explain: bool, skip_errors: bool,
                     max_chars: int, render: Callable[[Prediction], T]
                     ) -> tuple[list[tuple[str, T]], Tally]:
    """On a worker: read, guard, label and render one partition; (id, rendered) pairs
    and the partition's tally come back."""
    one_thread_per_worker()
    tally = Tally()
    docs = guarded(read_partition(part, tally.skip if skip_errors else None), tally,
                   max_chars=max_chars)
    rendered = list(model.render_stream(docs, lambda p: (p.document_id, render(p)),
                                        explain=explain))
    return rendered, tally


def _client(scheduler: str | None, jobs: int) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError(f"--backend dask needs the dask extra: pip install "
                          f"'newsclf[dask]' ({exc})") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise ConfigError(f"no Dask scheduler at {scheduler} ({exc})") from None
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=max(1, jobs), threads_per_worker=1, processes=True,
        dashboard_address=":0", silence_logs=logging.ERROR)
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


def predict_files(model: Model, inputs: Sequence[str], *, scheduler: str | None = None,
                  jobs: int = 2, partition_size: int = PARTITION_SIZE,
                  explain: bool = False, tally: Tally | None = None,
                  skip_errors: bool = False, max_chars: int = MAX_CHARS,
                  client: Any = None) -> Iterator[Prediction]:
    """Predictions for the stories in ``inputs`` (files, folders, globs), labelled by Dask
    workers: those of the scheduler at ``scheduler``, of ``client`` if given, else of a
    local cluster of ``jobs`` processes. Input order; the same predictions as
    ``model.predict_stream(read_inputs(inputs))``. ``tally`` receives the workers' counts
    of empty, cut and (with ``skip_errors``) skipped records."""
    return render_files(model, inputs, _same, scheduler=scheduler, jobs=jobs,
                        partition_size=partition_size, explain=explain, tally=tally,
                        skip_errors=skip_errors, max_chars=max_chars, client=client)


def render_files(model: Model, inputs: Sequence[str], render: Callable[[Prediction], T], *,
                 scheduler: str | None = None, jobs: int = 2,
                 partition_size: int = PARTITION_SIZE, explain: bool = False,
                 tally: Tally | None = None, skip_errors: bool = False,
                 max_chars: int = MAX_CHARS, client: Any = None) -> Iterator[T]:
    """:func:`predict_files` with ``render(prediction)`` applied on the workers (e.g.
    :func:`newsclf.writers.jsonl_line`): the client only writes what comes back."""
    own = client is None
    cluster = None
    if own:
        client, cluster = _client(scheduler, jobs)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        shipped = client.scatter(model, broadcast=True, hash=False)
        parts = plan_partitions(inputs, partition_size)
        pending: deque[Any] = deque()
        seen = SeenIds()

        def drain(future: Any) -> Iterator[T]:
            rendered, part_tally = future.result()
            if tally is not None:
                tally.add(part_tally)
            for key, value in rendered:
                if seen.add(key):
                    yield value

        for part in parts:
            pending.append(client.submit(_label_partition, shipped, part, explain,
                                         skip_errors, max_chars, render, pure=False))
            if len(pending) >= 2 * workers:
                yield from drain(pending.popleft())
        while pending:
            yield from drain(pending.popleft())
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


# -- data already in Dask or pandas ---------------------------------------------------

@functools.lru_cache(maxsize=4)
def _loaded(path: str, mtime: float) -> Model:
    return load_model(path)


def _model(model: Model | str | Path) -> Model:
    """A model object, or one loaded from a path once per worker process."""
    if isinstance(model, Model):
        return model
    path = Path(model)
    return _loaded(str(path), path.stat().st_mtime)


def _document(record: Mapping[str, Any], text: str, title: str | None, id: str | None,
              number: int) -> Document:
    return Document(id=str(record[id]) if id and record.get(id) is not None else str(number),
                    text=str(record.get(text) or ""),
                    title=str(record.get(title) or "") if title else "")


def _label_records(records: Iterable[Mapping[str, Any]], model: Model | str, text: str,
                   title: str | None, id: str | None) -> list[dict[str, Any]]:
    m = _model(model)
    rows = list(records)
    docs = [_document(r, text, title, id, i) for i, r in enumerate(rows)]
    out = []
    for row, prediction in zip(rows, m.predict(docs)):
        out.append({**row, "labels": [lb.to_dict() for lb in prediction.labels]})
    return out


def predict_bag(model: Model | str | Path, bag: Any, *, text: str = "text",
                title: str | None = "title", id: str | None = "id") -> Any:
    """A Dask bag of records (dicts) → the same records with ``labels`` added (the list
    of label objects of ``newsclf predict``). ``model`` is a :class:`Model` (sent to the
    workers once, as one task of the graph) or the path of a model file every worker can
    read (loaded once per worker process)."""
    from dask.delayed import delayed

    shipped = delayed(model) if isinstance(model, Model) else str(model)
    return bag.map_partitions(_label_records, shipped, text, title, id)


def label_columns(model: Model) -> list[str]:
    """The facets a model's labels can have, as the column names :func:`predict_pandas`
    adds (``topic``, ``country``, ``region``, …)."""
    facets: list[str] = []
    for clf in model.classifiers:
        for facet in getattr(clf, "facets", None) or (clf.facet,):
            if facet not in facets and facet not in ("mention", "place"):
                facets.append(facet)
    return facets


def predict_pandas(model: Model | str | Path, frame: Any, *, text: str = "text",
                   title: str | None = "title", id: str | None = None,
                   facets: Sequence[str] | None = None, scores: bool = False) -> Any:
    """A pandas DataFrame of stories → a copy with one column per facet (``topic``,
    ``country``, ``region``; or ``facets``), each a list of label names, best first; with
    ``scores`` also ``<facet>_scores``, the matching scores. ``text`` and ``title`` name
    the columns to read. This is the function a Spark pandas UDF or a Dask dataframe's
    ``map_partitions`` calls on each partition."""
    m = _model(model)
    columns = list(facets) if facets is not None else label_columns(m)
    records = frame.to_dict("records")
    docs = [_document(r, text, title, id, i) for i, r in enumerate(records)]
    predictions = m.predict(docs)
    out = frame.copy()
    for facet in columns:
        labels = [p.by_facet(facet) for p in predictions]
        out[facet] = [[lb.name for lb in labs] for labs in labels]
        if scores:
            out[f"{facet}_scores"] = [[lb.score for lb in labs] for labs in labels]
    return out


def predict_dataframe(model: Model | str | Path, frame: Any, *, text: str = "text",
                      title: str | None = "title", facets: Sequence[str] | None = None,
                      scores: bool = False) -> Any:
    """A Dask DataFrame → the same with label columns (see :func:`predict_pandas`),
    partition by partition."""
    from dask.delayed import delayed

    m = _model(model)
    columns = list(facets) if facets is not None else label_columns(m)
    import pandas as pd

    meta = frame._meta.copy()
    for facet in columns:
        meta[facet] = pd.Series([], dtype=object)
        if scores:
            meta[f"{facet}_scores"] = pd.Series([], dtype=object)
    shipped = delayed(m) if isinstance(model, Model) else str(model)
    return frame.map_partitions(_pandas_partition, shipped, text=text, title=title,
                                facets=columns, scores=scores, meta=meta)


def _pandas_partition(frame: Any, model: Model | str, **options: Any) -> Any:
    return predict_pandas(model, frame, **options)
