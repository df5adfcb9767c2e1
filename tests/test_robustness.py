"""Bad, odd and hostile input through the CLI and the library: a one-line error naming
the file (and line), a non-zero exit code, never a traceback, nothing of the user's lost
or overwritten; odd but valid input counted, never fatal; model files that never run
code; interrupted and concurrent runs that leave whole files."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import newsclf
from newsclf import Document, InputError, Model, ModelError, NewsclfError, load_model, plugins
from newsclf.classifiers.keywords import KeywordClassifier
from newsclf.classifiers.linear import TfidfClassifier
from newsclf.classifiers.regions import RegionClassifier
from newsclf.cli import cli
from newsclf.model import save_model
from newsclf.readers import read_inputs
from newsclf.readers.pages import split_page
from newsclf.testing import toy_corpus
from newsclf.types import gold_labels


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# -- bad input -------------------------------------------------------------------------

def test_a_folder_with_nothing_to_read_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("not news")
    code, out, err = run("predict", str(tmp_path), "--classifier", "regions")
    line = one_line_error(err)
    assert code == 2 and out == ""
    assert f"{tmp_path}: no file here that newsclf reads (looks for .csv, .gz, .htm" in line


def test_an_empty_file_is_valid(tmp_path: Path) -> None:
    (tmp_path / "e.jsonl").write_text("")
    assert run("predict", str(tmp_path / "e.jsonl"), "--classifier", "regions") == (
        0, "", f"Note: {tmp_path / 'e.jsonl'}: no story in it.\n")  # said, not an error


def test_an_empty_record_gets_no_labels_and_is_counted(tmp_path: Path) -> None:
    data = jsonl(tmp_path / "d.jsonl", {"id": "a", "text": "Tokyo said Japan would act."},
                 {"id": "b", "text": "", "title": ""}, {"id": "c", "text": "Japan again."})
    code, out, err = run("predict", str(data), "--classifier", "regions",
                         "--param", "regions=false")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[1]["labels"] == [] and rows[0]["labels"][0]["name"] == "JP"
    assert err == ("Note: 1 record(s) had neither title nor text (written with no "
                   "labels).\n")


def test_train_skips_empty_records_with_a_count(tmp_path: Path) -> None:
    docs, labels = toy_corpus()
    data = jsonl(tmp_path / "d.jsonl", *[{"id": d.id, "text": d.text, "topics": g}
                                         for d, g in zip(docs, labels)],
                 {"id": "empty", "text": " ", "topics": ["sport"]})
    code, _, err = run("train", str(data), "--labels", "topics", "--folds", "0",
                       "-o", str(tmp_path / "m.joblib"))
    assert code == 0
    assert "Note: 1 record(s) had neither title nor text (skipped)." in err
    assert load_model(tmp_path / "m.joblib").metadata["training"]["records"] == len(docs)


@pytest.mark.parametrize("content, suffix, message", [
    (b"\x00\x01\x02" * 30, ".txt", "{path}: binary file, not text"),
    (b'{"text": "ok"}\n{"id": 3}\n', ".jsonl", "{path}:2: record has no text field"),
    (b'{"text": "ok"}\n{"text": oops}\n', ".jsonl", "{path}:2: malformed JSON"),
    (b'{"text": "ok"}\n\xff\xfe{"text": "x"}\n', ".jsonl", "{path}:2: not UTF-8 text"),
    (b"id,summary\n1,x\n", ".csv", "{path}:1: CSV header has no text column"),
    (b"[1, 2]\n", ".jsonl", "{path}:1: expected a JSON object, got list"),
])
def test_bad_files_name_file_and_line(tmp_path: Path, content: bytes, suffix: str,
                                      message: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    code, _, err = run("predict", str(path), "--classifier", "regions")
    assert code == 2 and message.format(path=path) in one_line_error(err)
    with pytest.raises(InputError):  # the library raises the same, as a NewsclfError
        list(read_inputs([path]))


def test_byte_order_marks_and_latin1_are_read(tmp_path: Path) -> None:
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + b'{"id": "a", "text": "Caf\xc3\xa9 in Paris"}\n')
    csv_bom = tmp_path / "bom.csv"
    csv_bom.write_bytes(b"\xef\xbb\xbfid,text\n1,Caf\xc3\xa9\n")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Café crème\n\nLe café de Paris est ouvert. " .encode("latin-1") * 3)
    docs = list(read_inputs([bom, csv_bom, latin]))
    assert docs[0].text == "Café in Paris" and docs[1].text == "Café"
    assert "Café" in docs[2].full_text


def test_label_fields_that_are_missing_or_not_names(tmp_path: Path) -> None:
    data = jsonl(tmp_path / "d.jsonl", {"id": "a", "text": "x", "topics": "a"},
                 {"id": "b", "text": "y", "topics": {"a": 1}})
    code, _, err = run("train", str(data), "--labels", "nothing", "-o",
                       str(tmp_path / "m.joblib"))
    assert code == 2 and "no record has the label field 'nothing'" in one_line_error(err)
    code, _, err = run("train", str(data), "--labels", "topics", "-o",
                       str(tmp_path / "m.joblib"))
    assert code == 2
    assert "b: label field 'topics' must be a list of names or a string, not dict" in \
        one_line_error(err)
    with pytest.raises(InputError):
        gold_labels(Document(id="b", text="y", meta={"topics": {"a": 1}}), "topics")


def test_output_folder_missing_or_not_writable(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    model = Model([KeywordClassifier()])
    with pytest.raises(ModelError, match="no such directory"):
        save_model(model, tmp_path / "nowhere" / "m.joblib")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(ModelError, match=r"m.joblib: cannot write here \(Permission denied\)"):
        save_model(model, tmp_path / "m.joblib")
    assert not (tmp_path / "m.joblib").exists()


def test_skip_errors_counts_reports_and_says_so_in_the_exit_code(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text('{"id": "a", "text": "Japan"}\n{oops\n{"id": "c", "text": "Japan"}\n'
                    '{"id": 4}\n')
    code, out, err = run("predict", str(data), "--classifier", "regions", "--skip-errors")
    assert code == 3 and [json.loads(x)["id"] for x in out.splitlines()] == ["a", "c"]
    assert err.startswith("Note: 2 unreadable record(s) skipped (first: ")
    assert f"{data}:2: malformed JSON" in err and f"{data}:4: record has no text field" in err


def test_a_huge_single_line_story_is_classified_on_its_first_characters(
        tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    text = "Tokyo said Japan would act. " + "word " * 10_000_000  # 50 MB on one line
    jsonl(big, {"id": "big", "text": text}, {"id": "small", "text": "Japan acted."})
    code, out, err = run("predict", str(big), "--classifier", "regions",
                         "--param", "regions=false")
    assert code == 0 and [json.loads(x)["labels"][0]["name"] for x in out.splitlines()] == \
        ["JP", "JP"]
    assert "1 record(s) longer than the limit" in err


# -- model files -------------------------------------------------------------------------

class Evil:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_an_evil_pickle_never_runs(tmp_path: Path) -> None:
    import joblib

    marker = tmp_path / "pwned"
    path = tmp_path / "evil.joblib"
    joblib.dump(Evil(str(marker)), path)
    with pytest.raises(ModelError, match="no manifest"):
        load_model(path)
    path.with_suffix(".json").write_text(json.dumps(
        {"kind": "newsclf-model", "format_version": 2, "sha256": "0" * 64}))
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        load_model(path)
    code, _, err = run("predict", str(tmp_path), "--model", str(path))
    assert code != 0 and "Traceback" not in err
    assert not marker.exists()


class Untrusted:
    """A type nobody declared trusted."""


def test_a_tampered_skops_file_is_refused(tmp_path: Path) -> None:
    import hashlib

    import skops.io as sio

    path = tmp_path / "m.skops"
    save_model(Model([RegionClassifier()]), path)
    payload = sio.loads(path.read_bytes(), trusted=sio.get_untrusted_types(file=path))
    payload["classifiers"][0]["object"] = Untrusted()
    path.write_bytes(sio.dumps(payload))
    manifest = json.loads(path.with_suffix(".json").read_text())
    manifest["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()  # the attacker's
    path.with_suffix(".json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match=r"refusing to load untrusted types: .*Untrusted"):
        load_model(path)


def test_truncated_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    save_model(Model([RegionClassifier()]), path)
    path.write_bytes(path.read_bytes()[:20])
    code, _, err = run("predict", str(path), "--model", str(path))
    assert code == 1 and "SHA-256 does not match" in one_line_error(err)


# -- interrupted and concurrent runs ------------------------------------------------------

def test_ctrl_c_during_predict_exits_130_with_whole_lines(tmp_path: Path) -> None:
    def interrupting(path: Path) -> Iterator[Document]:
        for i in range(600):
            yield Document(id=str(i), text="Tokyo said Japan would act.")
        raise KeyboardInterrupt

    class Reader:
        @newsclf.hookimpl
        def newsclf_register_readers(self, register: object) -> None:
            register(".slow", interrupting)  # type: ignore[operator]

    pm = plugins.get_plugin_manager()
    pm.register(Reader(), name="slow")
    plugins.reset_registry(plugins.build_registry(pm, entry_points=False))
    try:
        (tmp_path / "a.slow").write_text("")
        code, out, err = run("predict", str(tmp_path / "a.slow"), "--classifier", "regions",
                             "--batch-size", "100")
    finally:
        plugins.reset_registry()
    assert code == 130 and err == "Interrupted.\n"
    lines = out.splitlines()
    assert len(lines) >= 500 and all(json.loads(line)["id"] for line in lines)


def test_an_interrupted_save_leaves_the_old_model(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import joblib

    path = tmp_path / "m.joblib"
    save_model(Model([RegionClassifier()], {"v": 1}), path)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(joblib, "dump", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_model(Model([RegionClassifier()], {"v": 2}), path)
    assert load_model(path).metadata == {"v": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".m.joblib.lock", "m.joblib", "m.json"]


def _save_many(path: str, tag: int) -> None:
    docs, labels = toy_corpus()
    model = Model([TfidfClassifier(folds=2).fit(docs, labels)], {"tag": tag})
    for _ in range(5):
        save_model(model, path)


def test_two_writers_never_leave_a_mixed_file(tmp_path: Path) -> None:
    path = str(tmp_path / "m.joblib")
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_save_many, args=(path, tag)) for tag in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    # writers take turns (a lock beside the file): model and manifest are one run's
    assert load_model(path).metadata["tag"] in (1, 2)
    assert not list(tmp_path.glob(".*tmp"))


# -- plugins -----------------------------------------------------------------------------

class Exploding(newsclf.EstimatorMixin):
    name = "exploding"
    facet = "topic"
    trainable = False

    def fit(self, documents: object = (), labels: object = ()) -> Exploding:
        return self

    def predict(self, documents: list[Document]) -> list[list[newsclf.Label]]:
        raise ZeroDivisionError("division by zero in a plugin")


def test_a_plugin_classifier_that_raises_fails_the_run_in_one_line(tmp_path: Path) -> None:
    class Plugin:
        @newsclf.hookimpl
        def newsclf_register_classifiers(self, register: object) -> None:
            register("exploding", Exploding)  # type: ignore[operator]

    pm = plugins.get_plugin_manager()
    pm.register(Plugin(), name="newsclf-exploding")
    plugins.reset_registry(plugins.build_registry(pm, entry_points=False))
    try:
        data = jsonl(tmp_path / "d.jsonl", {"id": "a", "text": "x"})
        code, _, err = run("predict", str(data), "--classifier", "exploding")
    finally:
        plugins.reset_registry()
    assert code == 1 and one_line_error(err) == (
        "Error: classifier 'exploding' (plugin 'newsclf-exploding') failed in predict: "
        "ZeroDivisionError: division by zero in a plugin")


# -- properties --------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.text())
def test_rules_regions_and_splitter_never_raise_on_any_text(text: str) -> None:
    doc = Document(id="x", text=text)
    RegionClassifier(places=True, mentions=True).predict([doc])
    KeywordClassifier().predict([doc])
    split_page(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_jsonl_bytes_give_documents_or_an_input_error(data: bytes) -> None:
    from newsclf.readers.records import jsonl_stream

    try:
        for doc in jsonl_stream(data.splitlines(keepends=True), "fuzz.jsonl"):
            assert isinstance(doc, Document)
    except NewsclfError as exc:
        assert isinstance(exc, InputError) and str(exc).startswith("fuzz.jsonl:")
