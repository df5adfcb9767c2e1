"""The ``newsclf`` command: a thin layer that parses options, calls the library, writes."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import ConfigError, NewsclfError
from .progress import progress
from .streams import MAX_CHARS, Tally, guarded
from .version import __version__

T = TypeVar("T")


class _Group(click.Group):
    """Turns newsclf errors into one line on stderr and an exit code, and adds the
    commands that plugins register (loaded once, on first use)."""

    _plugin_commands: dict[str, str] | None = None

    def _load_plugin_commands(self) -> None:
        if self._plugin_commands is None:
            from .plugins import Loader, get_registry

            self._plugin_commands = {}
            self._plugin_commands = Loader(get_registry()).register_commands(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None:
            self._load_plugin_commands()
            found = super().get_command(ctx, cmd_name)
        return found

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsclfError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            # what was written is whole lines; a model being saved is not half-written
            sys.stdout.flush()
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)


def _parse_params(values: Iterable[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--param {item!r}: expected KEY=VALUE")
        try:
            params[key.strip()] = json.loads(raw)
        except ValueError:
            params[key.strip()] = raw
    return params


def _grouped(docs: Iterable[Any], predict: Any) -> tuple[Any, Iterator[Any]]:
    """The stream with each story's near-duplicate group attached to its prediction
    (predictions come back in input order, so a queue pairs them)."""
    import dataclasses
    from collections import deque

    dedup, groups = _dedup_module("--dedup").Deduplicator(), deque[str]()

    def tagged() -> Iterator[Any]:
        for doc in docs:
            groups.append(dedup.add(doc)[0])
            yield doc

    def attached() -> Iterator[Any]:
        for prediction in predict(tagged()):
            yield dataclasses.replace(prediction, group=groups.popleft())

    return docs, attached()


def _queued(docs: Iterable[Any], queue: Any) -> Iterator[Any]:
    """The documents, each also put on ``queue`` as the model reads it (predictions
    come back in input order, so each meets its document again)."""
    for doc in docs:
        queue.append(doc)
        yield doc


def _with_events(queue: Any, predictions: Iterable[Any], batch_size: int) -> Iterator[Any]:
    from .events import with_events

    pairs = ((queue.popleft(), prediction) for prediction in predictions)
    return (prediction for _, prediction in with_events(pairs, batch_size=batch_size))


def _dedup_module(what: str) -> Any:
    """``newsclf.dedup``, or a one-line error when its extra (datasketch, imported only
    when a grouping starts) is not installed."""
    try:
        import datasketch  # noqa: F401

        from . import dedup
    except ImportError as exc:
        raise ConfigError(f"{what} needs the dedup extra: pip install 'newsclf[dedup]' "
                          f"({exc})") from None
    return dedup


def read_inputs(inputs: Iterable[str], **options: Any) -> Iterator[Any]:
    """:func:`newsclf.read_inputs`, with what it passes over (a folder's other files,
    an empty file, repeated ids) said in a line each on stderr, and the record fields
    the command's --text-field, --title-field and --id-field name."""
    from .plugins import read_inputs as read

    ctx = click.get_current_context(silent=True)
    fields = ctx.meta.get(_FIELDS) if ctx is not None else None
    return read(inputs, on_note=lambda note: click.echo(f"Note: {note}.", err=True),
                fields=fields or None, **options)


_FIELDS = "newsclf.fields"


def _field_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        name = (param.name or "").removesuffix("_field")
        ctx.meta.setdefault(_FIELDS, {})[name] = value


def fields_options(command: Any) -> Any:
    """--text-field, --title-field, --id-field: which field of a JSONL, JSON or CSV record
    holds the story's text, title and id (default: text, title, id, or a CSV's common
    headers)."""
    for field in ("id", "title", "text"):
        command = click.option(f"--{field}-field", f"{field}_field", metavar="NAME",
                               expose_value=False, callback=_field_callback,
                               help=f"The record field holding the story's {field} "
                                    f"(default: {field}).")(command)
    return command


def _report(tally: Tally, empty_means: str) -> None:
    summary = tally.summary(empty_means)
    if summary:
        click.echo(f"Note: {summary}.", err=True)


quiet_option = click.option(
    "--quiet", "-q", is_flag=True,
    help="No progress bar (it is drawn only when stderr is a terminal anyway).")

param_option = click.option(
    "--param", "params", multiple=True, metavar="KEY=VALUE",
    help="A classifier parameter (repeatable), e.g. --param C=4 --param ngram_max=2.")


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="newsclf")
def cli() -> None:
    """Label news stories by topic and by the countries and regions they are about."""


@cli.command()
@fields_options
@click.argument("inputs", nargs=-1, required=True)
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="A saved model (default: the shipped default model).")
@click.option("--classifier", "classifiers", multiple=True, metavar="NAME",
              help="Run classifiers that need no training (keywords, regions) without a model.")
@param_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]),
              default="jsonl", show_default=True, help="Output format.")
@click.option("--explain", is_flag=True, help="Give each label its evidence.")
@click.option("--batch-size", default=256, show_default=True, help="Documents per batch.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes.")
@click.option("--backend", type=click.Choice(["local", "dask"]), default="local",
              show_default=True,
              help="local: this machine's processes (--jobs); dask: Dask workers, of "
                   "--scheduler or of a local cluster of --jobs processes.")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --backend dask: the dask.distributed scheduler, e.g. "
                   "tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--skip-errors", is_flag=True,
              help="Skip unreadable records (counted, the first few reported at the end; "
                   "exit code 3 when any were skipped) instead of stopping.")
@click.option("--max-chars", default=MAX_CHARS, show_default=True,
              type=click.IntRange(min=1),
              help="Classify longer stories on their first this many characters.")
@click.option("--dedup", "dedup_", is_flag=True,
              help="Also group copies and near-duplicates: adds \"group\" to each object.")
@click.option("--events", "events_", is_flag=True,
              help="Also group the stories into events (see newsclf events): adds "
                   "\"event\" to each object.")
@quiet_option
def predict(inputs: tuple[str, ...], model_path: str | None, classifiers: tuple[str, ...],
            params: tuple[str, ...], fmt: str, explain: bool, batch_size: int, jobs: int,
            backend: str, scheduler: str | None, skip_errors: bool, max_chars: int,
            dedup_: bool, events_: bool, quiet: bool) -> None:
    """Label documents (files, folders, globs, or - for JSONL on stdin)."""
    from .model import Model, load_default_model, load_model
    from .plugins import create_classifier
    from .writers import jsonl_line, write_lines, write_predictions

    if model_path and classifiers:
        raise click.UsageError("use either --model or --classifier, not both")
    if classifiers:
        extra = _parse_params(params)
        model = Model([create_classifier(name, **extra) for name in classifiers])
        for clf in model.classifiers:
            if getattr(clf, "trainable", False):
                raise ConfigError(f"classifier {clf.name!r} needs training: train a model "
                                  "with `newsclf train` and pass --model")
    else:
        if params:
            raise click.UsageError("--param goes with --classifier")
        model = load_model(model_path) if model_path else load_default_model()
    tally = Tally()
    if scheduler and backend != "dask":
        raise click.UsageError("--scheduler goes with --backend dask")
    if backend == "dask":
        if dedup_ or events_:
            raise click.UsageError("--dedup and --events run with the local backend only")
        if click.get_current_context().meta.get(_FIELDS):
            raise click.UsageError("--text-field, --title-field and --id-field run with the "
                                   "local backend only")
        from .scaleout import predict_files, render_files

        options: dict[str, Any] = dict(scheduler=scheduler, jobs=jobs, explain=explain,
                                       tally=tally, skip_errors=skip_errors,
                                       max_chars=max_chars)
        if fmt == "jsonl":  # the workers render the lines; this process only writes
            write_lines(progress(render_files(model, inputs, jsonl_line, **options),
                                 "labelled", inputs=inputs, quiet=quiet),
                        sys.stdout)
        else:
            write_predictions(progress(predict_files(model, inputs, **options), "labelled",
                                       inputs=inputs, quiet=quiet),
                              sys.stdout, fmt, explain=explain)
    else:
        docs = guarded(read_inputs(inputs, on_error=tally.skip if skip_errors else None),
                       tally, max_chars=max_chars)
        docs = progress(docs, "labelled", inputs=inputs, quiet=quiet)
        if fmt == "jsonl" and not dedup_ and not events_:  # the workers render the lines
            write_lines(model.render_stream(docs, jsonl_line, batch_size=batch_size,
                                            explain=explain, jobs=jobs), sys.stdout)
        else:
            from collections import deque

            queue: deque[Any] = deque()
            if events_:
                docs = _queued(docs, queue)
            if dedup_:
                docs, predictions = _grouped(docs, lambda d: model.predict_stream(
                    d, batch_size=batch_size, explain=explain, jobs=jobs))
            else:
                predictions = model.predict_stream(docs, batch_size=batch_size,
                                                   explain=explain, jobs=jobs)
            if events_:
                predictions = _with_events(queue, predictions, batch_size)
            write_predictions(predictions, sys.stdout, fmt, explain=explain)
    _report(tally, "written with no labels")
    if tally.skipped:
        sys.exit(3)


@cli.command()
@fields_options
@click.argument("data", nargs=-1, required=True)
@click.option("--classifier", "classifier", default="tfidf", show_default=True,
              help="The classifier to train.")
@click.option("--labels", "labels_field", metavar="FIELD",
              help="The record field holding the gold labels (a string or a list); "
                   "default: labels, or with --update the field the model was trained on.")
@param_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Where to save the model (.joblib, or .skops for the safe format).")
@click.option("--folds", default=5, show_default=True,
              help="Cross-validation folds for the reported metrics (0: none).")
@click.option("--seed", default=0, show_default=True, help="Random seed.")
@click.option("--group-by", "group_by", metavar="FIELD",
              help="Cross-validate by folds that never split a value of this record "
                   "field, to see what to expect on outlets the model never saw; 'outlet' "
                   "is the record's outlet, else its URL's site, else its source.")
@click.option("--unlabelled", multiple=True, metavar="FILE",
              help="Unlabelled stories for self-training (kept only if cross-validation "
                   "says they help).")
@click.option("--regions/--no-regions", default=True, show_default=True,
              help="Keep the built-in regions tagger in the model, so that it gives "
                   "countries and regions as well as what it learned.")
@click.option("--update", "update_path", type=click.Path(dir_okay=False), metavar="MODEL",
              help="Update this trained model with DATA (old and new labelled records) "
                   "instead of training anew: only changed and new labels are refitted.")
@quiet_option
def train(data: tuple[str, ...], classifier: str, labels_field: str | None,
          params: tuple[str, ...], output: str, folds: int, seed: int, group_by: str | None,
          unlabelled: tuple[str, ...], regions: bool, update_path: str | None,
          quiet: bool) -> None:
    """Fit a model on labelled records and save it with its manifest (with the regions
    tagger beside what it learned, unless --no-regions)."""
    from .model import check_model_path, load_model, save_model
    from .training import streams_training, train_stream, with_regions
    from .training import train as train_model
    from .training import update as update_model

    check_model_path(output)  # before training, which can take hours
    tally = Tally()
    docs = guarded(progress(read_inputs(data), "reading", inputs=data,
                            quiet=quiet), tally)
    log = (lambda msg: click.echo(msg, err=True)) if sys.stderr.isatty() and not quiet \
        else None
    if update_path:
        if params or unlabelled:
            raise click.UsageError("--update keeps the model's parameters; it takes no "
                                   "--param or --unlabelled")
        old = load_model(update_path)
        model = update_model(old, docs, labels_field=old.labels_field(labels_field),
                             log=log)
        save_model(model, output)
        _report(tally, "skipped")
        done = model.metadata["update"]
        click.echo(f"refitted: {', '.join(done['refit']) or 'none'}; new: "
                   f"{', '.join(done['new']) or 'none'}; kept: {len(done['kept'])} labels")
        click.echo(f"saved {output}", err=True)
        return
    if not unlabelled and streams_training(classifier, _parse_params(params)):
        passes: list[Tally] = []

        def read() -> Any:  # once per pass; the first pass's tally is reported
            passes.append(tally if not passes else Tally())
            return guarded(progress(read_inputs(data), f"pass {len(passes)}",
                                    inputs=data, quiet=quiet), passes[-1])

        model = train_stream(read, classifier=classifier,
                             labels_field=labels_field or "labels",
                             params=_parse_params(params), seed=seed, log=log)
        save_model(with_regions(model) if regions else model, output)
        _report(tally, "skipped")
        record = model.metadata["training"]
        click.echo(f"{classifier}: learned from {record['records']} records streamed; "
                   f"thresholds tuned on {record['held_back']} held-back records "
                   "(no cross-validation: the data need not fit in memory)")
        click.echo(f"saved {output}", err=True)
        return
    model = train_model(docs, classifier=classifier, labels_field=labels_field or "labels",
                        params=_parse_params(params), folds=folds, seed=seed,
                        unlabelled=read_inputs(unlabelled) if unlabelled else None,
                        group_by=group_by, log=log)
    save_model(with_regions(model) if regions else model, output)
    _report(tally, "skipped")
    report = model.metadata.get("self_training")
    if report:
        per_fold = report.get("pseudo_labelled_per_fold") or [0]
        tried = f"{min(per_fold)}–{max(per_fold)}" if min(per_fold) != max(per_fold) \
            else f"{per_fold[0]}"
        click.echo(f"self-training: {tried} of {report['unlabelled']} unlabelled stories "
                   f"pseudo-labelled per fold; CV macro-F1 "
                   f"{report['cv_macro_f1_without']:.3f} without them, "
                   f"{report['cv_macro_f1_with']:.3f} with them; "
                   + (f"kept: the model learned from {report['pseudo_labelled']} of them"
                      if report["kept"] else "not kept: the model learned from the "
                      "labelled stories only"))
    metrics = model.metadata.get("cv_metrics")
    if metrics:
        from .metrics import format_metrics

        grouped = model.metadata.get("cv_grouped_by")
        click.echo(f"{model.metadata['cv_folds']}-fold cross-validation"
                   + (f", no {grouped['field']} split ({grouped['groups']} values):"
                      if grouped else ":"))
        click.echo(format_metrics(metrics))
    click.echo(f"saved {output}", err=True)


@cli.command()
@fields_options
@click.argument("data", nargs=-1, required=True)
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="A saved model (default: the shipped default model).")
@click.option("--labels", "labels_field", metavar="FIELD",
              help="The record field holding the gold labels (default: the field the "
                   "model was trained on, else labels).")
@click.option("--facet", default="topic", show_default=True,
              help="Which facet of the predictions to score.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Also write a self-contained HTML report.")
@click.option("--by", "by", metavar="FIELD",
              help="Also give the figures per value of this record field (e.g. source; "
                   "'outlet': the record's outlet, else its URL's site, else its source).")
@quiet_option
def evaluate(data: tuple[str, ...], model_path: str | None, labels_field: str | None,
             facet: str,
             as_json: bool, report: str | None, by: str | None, quiet: bool) -> None:
    """Score a model against gold labels: per-label P/R/F1, micro and macro averages."""
    from .evaluation import evaluate as evaluate_model
    from .metrics import format_metrics
    from .model import load_default_model, load_model
    from .report import write_report

    model = load_model(model_path) if model_path else load_default_model()
    docs = progress(read_inputs(data), "scored", inputs=data, quiet=quiet)
    metrics = evaluate_model(model, docs, labels_field=model.labels_field(labels_field),
                             facet=facet, by=by)
    if as_json:
        click.echo(json.dumps(metrics.to_dict(), indent=None))
    else:
        click.echo(format_metrics(metrics.to_dict()))
    if report:
        write_report(metrics, Path(report))
        click.echo(f"wrote {report}", err=True)


@cli.command()
@click.argument("pages", nargs=-1, required=True)
@click.option("--drop-teasers", is_flag=True, help="Leave out teasers (stub stories).")
def split(pages: tuple[str, ...], drop_teasers: bool) -> None:
    """The stories found in scraped pages, as JSONL."""

    for doc in read_inputs(pages):
        if drop_teasers and doc.meta.get("teaser"):
            continue
        record = doc.to_dict()
        record.setdefault("source", None)
        click.echo(json.dumps(record, ensure_ascii=False))


@cli.command()
@fields_options
@click.argument("inputs", nargs=-1, required=True)
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="A trained model (default: the shipped default model).")
@click.option("-n", "count", default=20, show_default=True, help="How many stories.")
@click.option("--strategy", type=click.Choice(["balanced", "uncertain", "diverse"]),
              default="balanced", show_default=True,
              help="balanced: near a threshold, rare labels first, spread out; uncertain: "
                   "nearest a threshold; diverse: spread out only.")
@click.option("--labels", "labels_field", metavar="FIELD",
              help="The field to write the model's current labels in, to correct and "
                   "train on (default: the field the model was trained on, else labels).")
@click.option("--facet", default="topic", show_default=True, help="Which labels to ask about.")
def suggest(inputs: tuple[str, ...], model_path: str | None, count: int, strategy: str,
            labels_field: str | None, facet: str) -> None:
    """The stories most worth labelling next, as JSONL records to correct."""
    from .active import suggest as pick
    from .model import load_default_model, load_model

    model = load_model(model_path) if model_path else load_default_model()
    picks = pick(model, progress(read_inputs(inputs), "reading", inputs=inputs),
                 count, strategy=strategy, facet=facet)
    for suggestion in picks:
        click.echo(json.dumps(suggestion.to_record(model.labels_field(labels_field)),
                              ensure_ascii=False))


def _duration(text: str | None, option: str = "--max-age") -> float | None:
    """Seconds of a duration written ``90``, ``90s``, ``45m``, ``72h`` or ``3d``."""
    if text is None:
        return None
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    raw = text.strip().lower()
    number, unit = (raw[:-1], raw[-1]) if raw[-1:] in units else (raw, "s")
    try:
        seconds = float(number) * units[unit]
    except ValueError:
        raise ConfigError(f"{option} {text!r}: expected a duration such as 72h or 3d") \
            from None
    if seconds <= 0:
        raise ConfigError(f"{option} {text!r}: must be positive")
    return seconds


@cli.command()
@fields_options
@click.argument("inputs", nargs=-1, required=True)
@click.option("--drop", is_flag=True,
              help="Write only each group's first story, as full records for predict.")
@click.option("--window", default=20_000, show_default=True,
              help="How many recent stories a new one is compared with.")
@click.option("--max-age", metavar="DURATION",
              help="Also a time window for stories with a published date (e.g. 72h, 3d): "
                   "stories further apart never join, older ones are forgotten.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl",
              show_default=True, help="table: the groups with their members, for people.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes reading the texts (the comparison is one process): "
                   "helps with long pages.")
@click.option("--skip-errors", is_flag=True,
              help="Skip unreadable records (counted, the first few reported at the end; "
                   "exit code 3 when any were skipped) instead of stopping.")
@quiet_option
def dedup(inputs: tuple[str, ...], drop: bool, window: int, max_age: str | None,
          fmt: str, jobs: int, skip_errors: bool, quiet: bool) -> None:
    """Group copies and near-duplicates: {"id", "title", "group", "similarity"} a story."""
    grouping = _dedup_module("newsclf dedup")

    if drop and fmt == "table":
        raise click.UsageError("--drop writes records; it does not go with --format table")
    tally = Tally()
    docs = guarded(read_inputs(inputs, on_error=tally.skip if skip_errors else None), tally)
    grouped = grouping.group_duplicates(progress(docs, "compared", inputs=inputs, quiet=quiet),
                                        jobs=jobs, window=window, max_age=_duration(max_age))
    if fmt == "table":
        for line in grouping.format_groups(grouped):
            click.echo(line)
    else:
        for doc, group, similarity in grouped:
            if drop:
                if group == doc.id:
                    click.echo(json.dumps(doc.to_dict(), ensure_ascii=False))
                continue
            click.echo(json.dumps({"id": doc.id, "title": doc.title, "group": group,
                                   "similarity": round(similarity, 4)}, ensure_ascii=False))
    _report(tally, "each its own group")
    if tally.skipped:
        sys.exit(3)


@cli.command()
@fields_options
@click.argument("inputs", nargs=-1, required=True)
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="The model whose topics and countries keep apart stories that share "
                   "neither (default: the shipped default model).")
@click.option("--no-labels", is_flag=True,
              help="Group on the text alone (no model is run: faster, no gate).")
@click.option("--window", default="3d", show_default=True, metavar="DURATION",
              help="An event closes when no story has joined it for this long "
                   "(of the stories' published dates).")
@click.option("--window-stories", default=10_000, show_default=True,
              type=click.IntRange(min=1),
              help="For stories without a date: an event closes after this many stories "
                   "with none for it.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl",
              show_default=True, help="table: the events with their timelines, for people.")
@click.option("--summary", is_flag=True,
              help="With jsonl: one record per event (id, first, last, stories, outlets, "
                   "topics, countries, title), written as each event closes.")
@click.option("--copies", is_flag=True,
              help="Also run dedup: a copy joins its story's event at once (extra dedup; "
                   "about three times slower).")
@click.option("--skip-errors", is_flag=True,
              help="Skip unreadable records (counted, the first few reported at the end; "
                   "exit code 3 when any were skipped) instead of stopping.")
@quiet_option
def events(inputs: tuple[str, ...], model_path: str | None, no_labels: bool, window: str,
           window_stories: int, fmt: str, summary: bool, copies: bool, skip_errors: bool,
           quiet: bool) -> None:
    """Group stories into the events they report: {"id", "title", "event", "similarity"}
    a story (the event's id is the id of its first story)."""
    from collections import deque

    from .events import EventRecord, format_events, group_events

    if summary and fmt == "table":
        raise click.UsageError("--summary writes records; it does not go with --format table")
    labels = None
    if not no_labels:
        from .model import load_default_model, load_model

        model = load_model(model_path) if model_path else load_default_model()
        labels = lambda batch: [p.labels for p in model.predict(batch)]  # noqa: E731
    elif model_path:
        raise click.UsageError("--no-labels runs no model: leave out --model")
    tally = Tally()
    docs = guarded(read_inputs(inputs, on_error=tally.skip if skip_errors else None), tally)
    closed: deque[EventRecord] = deque()
    joined = group_events(progress(docs, "grouped", inputs=inputs, quiet=quiet),
                          labels=labels, on_close=closed.append,
                          window=_duration(window, "--window"),
                          window_stories=window_stories, copies=copies)
    if fmt == "table":
        for line in format_events(joined):
            click.echo(line)
    else:
        for doc, found in joined:
            if not summary:
                click.echo(json.dumps({"id": doc.id, "title": doc.title, "event": found.event,
                                       "similarity": round(found.similarity, 4)},
                                      ensure_ascii=False))
            while summary and closed:
                click.echo(json.dumps(closed.popleft().to_dict(), ensure_ascii=False))
        while summary and closed:
            click.echo(json.dumps(closed.popleft().to_dict(), ensure_ascii=False))
    _report(tally, "each its own event")
    if tally.skipped:
        sys.exit(3)


@cli.command()
@fields_options
@click.argument("inputs", nargs=-1, required=True)
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="A saved model (default: the shipped default model).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The HTML page to write.")
@click.option("--per-page", default=50, show_default=True, help="Cards per page.")
@click.option("--events/--no-events", "events_", default=True, show_default=True,
              help="Show the stories of one event together, under its timeline.")
def show(inputs: tuple[str, ...], model_path: str | None, output: str, per_page: int,
         events_: bool) -> None:
    """One self-contained HTML page: a card per story, the evidence highlighted."""
    from .model import load_default_model, load_model
    from .show import write_page

    model = load_model(model_path) if model_path else load_default_model()
    _with_places(model)
    tally = Tally()
    docs = list(guarded(read_inputs(inputs), tally))
    pairs: Iterable[tuple[Any, Any]] = zip(docs, model.predict_stream(docs, explain=True))
    if events_:
        from .events import with_events

        pairs = with_events(pairs)
    path = Path(output)
    if path.exists() and path.suffix.lower() not in (".html", ".htm"):
        raise ConfigError(f"{output}: exists and is not an HTML page; not overwriting it")
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        n = write_page(pairs, handle, title=f"newsclf: {len(docs)} stories",
                       per_page=per_page)
    tmp.replace(path)
    _report(tally, "shown with no labels")
    click.echo(f"wrote {output}: {n} stories", err=True)


def _with_places(model: Any) -> None:
    """Show the named places too (the region classifier's place facet)."""
    for clf in model.classifiers:
        if getattr(clf, "name", "") == "regions" and hasattr(clf, "set_params"):
            clf.set_params(places=True)


@cli.command()
@click.option("--model", "model_path", type=click.Path(dir_okay=False),
              help="A saved model (default: the shipped default model).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (loopback unless you say otherwise).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--quiet", "-q", is_flag=True, help="No access log line per request.")
def serve(model_path: str | None, host: str, port: int, quiet: bool) -> None:
    """A local page to paste a story and see its card, and POST /predict (JSON)."""
    try:
        import uvicorn

        from .serve import create_app
    except ImportError as exc:
        raise ConfigError(f"newsclf serve needs the serve extra: pip install "
                          f"'newsclf[serve]' ({exc})") from None
    from .model import load_default_model, load_model

    _check_port(host, port)  # before the model loads: a busy port is said at once
    model = load_model(model_path) if model_path else load_default_model()
    _with_places(model)
    from uvicorn.config import LOGGING_CONFIG

    logging = copy.deepcopy(LOGGING_CONFIG)
    logging["loggers"]["uvicorn.error"]["level"] = "WARNING"  # start-up lines: ours is below
    logging["loggers"]["uvicorn.access"]["level"] = "WARNING" if quiet else "INFO"
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"newsclf serve: http://{shown}:{port} (Ctrl-C to stop)", err=True)
    uvicorn.run(create_app(model), host=host, port=port, log_config=logging,
                log_level=None, access_log=not quiet)


def _check_port(host: str, port: int) -> None:
    """A :class:`ConfigError` (exit 2) when ``host:port`` cannot be listened on."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: "
                              f"{exc.strerror or exc} (is another server running there? "
                              "try --port)") from None


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins(as_json: bool) -> None:
    """Installed plugins, what each registers, and any that failed to load."""
    from .plugins import describe_plugins, get_registry

    registry = get_registry()
    ctx = click.get_current_context()
    root = ctx.find_root().command
    commands: dict[str, str] = {}
    if isinstance(root, _Group):
        root._load_plugin_commands()
        commands = dict(root._plugin_commands or {})
    info = describe_plugins(registry, commands)
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    for plugin in info["plugins"]:
        kind = "built-in" if plugin["builtin"] else "plugin"
        click.echo(f"{plugin['name']} {plugin['version']} ({kind})")
        for what in ("classifiers", "readers", "commands"):
            if plugin[what]:
                click.echo(f"  {what}: {', '.join(plugin[what])}")
    for failure in info["failures"]:
        click.echo(f"FAILED {failure['plugin']} ({failure['stage']}): {failure['error']}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="newsclf")
