"""The command line through click's CliRunner: exact outputs, and one-line errors with
exit codes for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclf.cli import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def labelled(tmp_path: Path) -> Path:
    from newsclf.testing import toy_corpus

    docs, labels = toy_corpus()
    path = tmp_path / "train.jsonl"
    with path.open("w") as handle:
        for doc, labs in zip(docs, labels):
            handle.write(json.dumps({**doc.to_dict(), "topics": labs}) + "\n")
    return path


def test_help_lists_the_five_commands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("train", "predict", "evaluate", "split", "plugins"):
        assert f"  {command} " in result.output


def test_split_writes_jsonl_stories(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Kenya holds rates – Wire\n\nThe bank held rates.\n\nContinue Reading\n\n"
                    "Chile lifts output – Wire\n\nCopper output rose.\n")
    result = runner.invoke(cli, ["split", str(page)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["title"], r["text"], r["source"]) for r in rows] == [
        ("Kenya holds rates", "The bank held rates.", "Wire"),
        ("Chile lifts output", "Copper output rose.", "Wire")]
    assert rows[0]["meta"] == {"page": "page.txt", "index": 0}


def test_predict_with_rule_classifiers_exact_jsonl(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"id": "a", "title": "Japan", "text": "Tokyo spoke."}) + "\n")
    result = runner.invoke(cli, ["predict", str(data), "--classifier", "regions",
                                 "--param", "regions=false"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "id": "a", "title": "Japan", "labels": [
            {"name": "JP", "facet": "country", "score": 0.6641, "source": "regions",
             "evidence": [{"text": "Japan", "kind": "name", "start": 0, "end": 5},
                          {"text": "Tokyo", "kind": "metonym", "start": 7, "end": 12}]}]}


def test_train_predict_evaluate_round_trip(runner: CliRunner, labelled: Path,
                                           tmp_path: Path) -> None:
    model = tmp_path / "m.joblib"
    result = runner.invoke(cli, ["train", str(labelled), "--labels", "topics", "--folds", "3",
                                 "--param", "C=1", "-o", str(model)])
    assert result.exit_code == 0, result.output
    assert model.exists() and model.with_suffix(".json").exists()
    result = runner.invoke(cli, ["predict", str(labelled), "--model", str(model),
                                 "--format", "csv"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "id,title,topics,topic_scores,countries,regions"
    assert len(lines) == 34
    assert json.loads(model.with_suffix(".json").read_text())["classifiers"][1]["name"] \
        == "regions"  # train keeps the regions tagger unless --no-regions
    result = runner.invoke(cli, ["train", str(labelled), "--labels", "topics", "--folds", "0",
                                 "--no-regions", "-o", str(tmp_path / "bare.joblib")])
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in json.loads((tmp_path / "bare.json").read_text())[
        "classifiers"]] == ["tfidf"]
    result = runner.invoke(cli, ["evaluate", str(labelled), "--model", str(model),
                                 "--labels", "topics", "--json",
                                 "--report", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.splitlines()[0])
    assert set(metrics) >= {"micro_f1", "macro_f1", "per_label"}
    assert metrics["macro_f1"] > 0.9
    assert (tmp_path / "r.html").read_text().startswith("<!doctype html>")


def test_train_group_by_outlet_reports_the_split(runner: CliRunner, tmp_path: Path) -> None:
    from newsclf.testing import toy_corpus

    docs, labels = toy_corpus()
    path = tmp_path / "train.jsonl"
    with path.open("w") as handle:
        for i, (doc, labs) in enumerate(zip(docs, labels)):
            url = f"https://www.site{i % 4}.example/story/{i}"
            handle.write(json.dumps({**doc.to_dict(), "url": url, "topics": labs}) + "\n")
    model = tmp_path / "m.joblib"
    result = runner.invoke(cli, ["train", str(path), "--labels", "topics", "--folds", "3",
                                 "--group-by", "outlet", "-o", str(model)])
    assert result.exit_code == 0, result.output
    assert "3-fold cross-validation, no outlet split (4 values):" in result.output
    manifest = json.loads(model.with_suffix(".json").read_text())
    assert manifest["cv_grouped_by"] == {"field": "outlet", "groups": 4}
    result = runner.invoke(cli, ["train", str(path), "--labels", "topics",
                                 "--group-by", "id", "-o", str(model)])
    assert result.exit_code != 0 and "nearly one per record" in result.output


def test_the_labelling_loop_keeps_the_model_label_field(runner: CliRunner, labelled: Path,
                                                         tmp_path: Path) -> None:
    """train --labels topics → suggest → correct → train --update, as the README has it:
    suggest writes, and --update and evaluate read, the field the model was trained on."""
    model, model2 = tmp_path / "m.joblib", tmp_path / "m2.joblib"
    result = runner.invoke(cli, ["train", str(labelled), "--labels", "topics", "--folds", "3",
                                 "-o", str(model)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["suggest", str(labelled), "--model", str(model), "-n", "2"])
    assert result.exit_code == 0, result.output
    picks = [json.loads(line) for line in result.output.splitlines()]
    assert len(picks) == 2 and all("topics" in p and "labels" not in p for p in picks)
    corrected = tmp_path / "corrected.jsonl"
    corrected.write_text("".join(json.dumps({**p, "topics": ["sport"]}) + "\n"
                                 for p in picks))
    result = runner.invoke(cli, ["train", str(labelled), str(corrected), "--update",
                                 str(model), "-o", str(model2)])
    assert result.exit_code == 0, result.output
    assert "refitted:" in result.output
    result = runner.invoke(cli, ["evaluate", str(labelled), "--model", str(model2), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["macro_f1"] > 0.9


def test_self_training_says_what_it_measured(runner: CliRunner, labelled: Path,
                                             tmp_path: Path) -> None:
    from newsclf.testing import toy_corpus

    pool = tmp_path / "pool.jsonl"
    docs, _ = toy_corpus(repeat=2)
    pool.write_text("".join(json.dumps({"id": f"u{i}", "text": d.text}) + "\n"
                            for i, d in enumerate(docs)))
    model = tmp_path / "m.joblib"
    result = runner.invoke(cli, ["train", str(labelled), "--labels", "topics", "--folds", "3",
                                 "--unlabelled", str(pool), "-o", str(model)])
    assert result.exit_code == 0, result.output
    report = json.loads(model.with_suffix(".json").read_text())["self_training"]
    (line,) = [x for x in result.output.splitlines() if x.startswith("self-training:")]
    per_fold = report["pseudo_labelled_per_fold"]
    assert f" of {len(docs)} unlabelled stories pseudo-labelled per fold; " in line
    assert line.startswith(f"self-training: {min(per_fold)}")
    assert ("; kept: the model learned from" in line) == report["kept"]


def test_field_options_name_the_records_own_fields(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"guid": "g1", "headline": "Japan", "body": "Tokyo spoke."})
                    + "\n")
    table = tmp_path / "in.csv"
    table.write_text("guid;headline;body_text\nc1;Japan;Tokyo spoke.\n")
    for path, text in ((data, "body"), (table, "body_text")):
        result = runner.invoke(cli, ["predict", str(path), "--classifier", "regions",
                                     "--text-field", text, "--title-field", "headline",
                                     "--id-field", "guid"])
        assert result.exit_code == 0, result.output
        row = json.loads(result.stdout)
        assert (row["id"], row["title"]) == ("c1" if path.suffix == ".csv" else "g1", "Japan")
        assert [lb["name"] for lb in row["labels"] if lb["facet"] == "country"] == ["JP"]
    result = runner.invoke(cli, ["predict", str(data), "--classifier", "regions"])
    assert result.exit_code == 2 and f"{data}:1: record has no text field" in result.output


def test_default_model_predicts_the_seeds_as_a_table(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["predict", str(ROOT / "seeds"), "--format", "table"])
    assert result.exit_code == 0, result.output
    # the folder's gold labels file is passed over, and said so on stderr
    assert result.stderr.startswith(f"Note: {ROOT / 'seeds'}: 1 file(s) not read (1 .json")
    blocks = [b for b in result.stdout.split("\n\n") if b.strip()]
    assert len(blocks) == 18
    for block in blocks:
        lines = block.splitlines()
        assert all(len(line) <= 100 for line in lines)
        assert lines[1].strip().startswith("topics:")


@pytest.mark.parametrize("args, message, code", [
    (["predict", "missing.jsonl", "--classifier", "regions"],
     "Error: missing.jsonl: no such file or directory", 2),
    (["predict", "{bad}", "--classifier", "nope"], "Error: unknown classifier 'nope'", 2),
    (["predict", "{bad}", "--model", "{tmp}/none.joblib"],
     "Error: {tmp}/none.joblib: no such model file", 1),
    (["predict", "{bad}", "--classifier", "regions"],
     "Error: {bad}:2: malformed JSON", 2),
    (["predict", "{bad}", "--classifier", "tfidf"], "needs training", 2),
    (["train", "{bad}", "-o", "{tmp}/m.joblib"], "Error: {bad}:2: malformed JSON", 2),
    (["split", "{binary}"], "Error: {binary}: binary file, not text", 2),
    (["predict", "{bad}", "--param", "x"], "--param goes with --classifier", 2),
    (["predict", "{bad}", "--jobs", "0"], "Invalid value for '--jobs'", 2),
    (["predict", "{bad}", "--max-chars", "0"], "Invalid value for '--max-chars'", 2),
    (["predict", "{bad}", "--classifier", "regions", "--param", "bogus=1"],
     "Error: classifier 'regions' has no parameter 'bogus' (its parameters: big_city,", 2),
    (["train", "{bad}", "--param", "Cx=1", "-o", "{tmp}/m.joblib"],
     "Error: classifier 'tfidf' has no parameter 'Cx' (its parameters: C, abstain,", 2),
])
def test_errors_are_one_line(runner: CliRunner, tmp_path: Path, args: list[str],
                             message: str, code: int) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": oops}\n')
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02" * 20)
    subst = {"bad": str(bad), "tmp": str(tmp_path), "binary": str(binary)}
    args = [a.format(**subst) for a in args]
    result = runner.invoke(cli, args)
    assert result.exit_code == code
    assert message.format(**subst) in result.output
    assert "Traceback" not in result.output
    if message.startswith("Error:"):
        assert len(result.output.strip().splitlines()) == 1


def test_train_never_overwrites_user_data(runner: CliRunner, labelled: Path) -> None:
    before = labelled.read_bytes()
    result = runner.invoke(cli, ["train", str(labelled), "--labels", "topics",
                                 "-o", str(labelled)])
    assert result.exit_code != 0 and "must end in .joblib or .skops" in result.output
    assert labelled.read_bytes() == before


def test_train_checks_the_output_before_training(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "big.json"
    notes.write_text('{"mine": true}')
    # the data is missing too: the output is checked first, before any reading
    result = runner.invoke(cli, ["train", str(tmp_path / "missing.jsonl"), "--labels",
                                 "topics", "-o", str(tmp_path / "big.joblib")])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {notes}: exists and is not a newsclf model; "
                                     "not overwriting it (it is where the model's manifest "
                                     "would go: choose another -o)")
    assert notes.read_text() == '{"mine": true}'


def test_corrupt_model_is_refused(runner: CliRunner, labelled: Path, tmp_path: Path) -> None:
    model = tmp_path / "m.joblib"
    runner.invoke(cli, ["train", str(labelled), "--labels", "topics", "--folds", "0",
                        "-o", str(model)])
    manifest = model.with_suffix(".json")
    result = runner.invoke(cli, ["predict", str(labelled), "--model", str(manifest)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {manifest}: this is a model's manifest, not "
                                     "the model (the .joblib or .skops file beside it); "
                                     "pass m.joblib")
    model.write_bytes(b"garbage")
    result = runner.invoke(cli, ["predict", str(labelled), "--model", str(model)])
    assert result.exit_code == 1
    assert "SHA-256 does not match" in result.output


def test_evaluate_unknown_facet(runner: CliRunner, labelled: Path, tmp_path: Path) -> None:
    model = tmp_path / "m.joblib"
    runner.invoke(cli, ["train", str(labelled), "--labels", "topics", "--folds", "0",
                        "-o", str(model)])
    result = runner.invoke(cli, ["evaluate", str(labelled), "--model", str(model),
                                 "--labels", "topics", "--facet", "colour"])
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: the model gives no labels of facet 'colour' "
                                     "(it gives: country, mention, place, region, topic)")
