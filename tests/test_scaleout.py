"""Labelling on Dask: partitions planned by line, the same predictions in the same order
as the local run (one process and several), errors named by file and line from a
worker, and the APIs for data already in Dask or pandas. Uses a LocalCluster."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")
pytest.importorskip("pandas")

from newsclf import Document, InputError, Model
from newsclf.classifiers.keywords import KeywordClassifier
from newsclf.classifiers.regions import RegionClassifier
from newsclf.cli import cli
from newsclf.readers import read_inputs
from newsclf.scaleout import (
    plan_partitions,
    predict_bag,
    predict_dataframe,
    predict_files,
    predict_pandas,
)
from newsclf.streams import Tally

STORIES = [
    ("Tariffs on steel", "Washington raised tariffs on Chinese steel imports and Beijing "
                         "said it would answer with duties on soybeans."),
    ("Chip plant", "Samsung will build a new chip factory near Seoul to make AI processors."),
    ("Election", "Voters in Brazil chose a new president after a tense campaign."),
    ("", ""),
    ("Missile test", "North Korea fired a missile into the sea east of the peninsula, "
                     "Japan's defence ministry said."),
]


def write_stories(path: Path, n: int, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(start, start + n):
            title, text = STORIES[i % len(STORIES)]
            body = f"{text} ({i})" if text else ""
            out.write(json.dumps({"id": f"s{i}", "title": title, "text": body}) + "\n")
    return path


@pytest.fixture(scope="module")
def model() -> Model:
    return Model([KeywordClassifier(), RegionClassifier()])


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=":0")
    with Client(cluster) as c:
        yield c
    cluster.close()


def dicts(predictions: Any) -> list[dict[str, Any]]:
    return [p.to_dict() for p in predictions]


def test_partitions_cut_jsonl_at_lines_and_group_other_files(tmp_path: Path) -> None:
    data = write_stories(tmp_path / "a.jsonl", 25)
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):
        (pages / f"p{i}.txt").write_text(f"Title {i}\n\nA story about trade {i}.")
    parts = list(plan_partitions([str(data), str(pages)], partition_size=10))
    assert [(p.first_line, p.end - p.start > 0) for p in parts[:3]] == \
        [(1, True), (11, True), (21, True)]
    assert parts[2].end == data.stat().st_size
    assert [p.paths for p in parts[3:]] == [(str(pages / f"p{i}.txt"),) for i in range(3)]
    grouped = list(plan_partitions([str(pages)], partition_size=300))  # 3 files a piece
    assert [p.paths for p in grouped] == [tuple(str(pages / f"p{i}.txt") for i in range(3))]


def test_same_predictions_in_input_order_as_local_runs(tmp_path: Path, model: Model,
                                                       client: Any) -> None:
    a = write_stories(tmp_path / "a.jsonl", 230)
    b = write_stories(tmp_path / "b.jsonl", 57, start=1000)
    inputs = [str(a), str(b)]
    local = dicts(model.predict_stream(read_inputs(inputs)))
    jobs = dicts(model.predict_stream(read_inputs(inputs), jobs=2, batch_size=16))
    tally = Tally()
    on_dask = dicts(predict_files(model, inputs, client=client, partition_size=20,
                                  tally=tally))
    assert [d["id"] for d in local] == [f"s{i}" for i in range(230)] + \
        [f"s{i}" for i in range(1000, 1057)]
    assert on_dask == local and jobs == local
    assert tally.empty == 46 + 11  # the empty stories, counted on the workers


def test_a_story_seen_twice_is_labelled_once_as_locally(tmp_path: Path, model: Model,
                                                       client: Any) -> None:
    a = write_stories(tmp_path / "a.jsonl", 12)
    again = write_stories(tmp_path / "again.jsonl", 3)
    local = dicts(model.predict_stream(read_inputs([str(a), str(again)])))
    assert dicts(predict_files(model, [str(a), str(again)], client=client,
                               partition_size=5)) == local
    assert len(local) == 12


def test_a_bad_line_on_a_worker_is_named_by_file_and_line(tmp_path: Path, model: Model,
                                                          client: Any) -> None:
    data = write_stories(tmp_path / "a.jsonl", 30)
    lines = data.read_text().splitlines()
    lines[22] = '{"id": "broken", "text": '
    data.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"a\.jsonl:23: malformed JSON"):
        list(predict_files(model, [str(data)], client=client, partition_size=10))
    tally = Tally()
    out = list(predict_files(model, [str(data)], client=client, partition_size=10,
                             skip_errors=True, tally=tally))
    assert len(out) == 29 and tally.skipped == 1
    assert tally.first_errors == [f"{data}:23: malformed JSON (Expecting value, column 1)"]


def test_cli_backend_dask_matches_local(tmp_path: Path) -> None:
    data = write_stories(tmp_path / "a.jsonl", 40)
    runner = CliRunner()
    args = ["predict", str(data), "--classifier", "keywords", "--classifier", "regions"]
    local = runner.invoke(cli, args)
    dask = runner.invoke(cli, [*args, "--backend", "dask", "--jobs", "2"])
    assert local.exit_code == 0 and dask.exit_code == 0, dask.output
    assert dask.stdout == local.stdout and len(local.stdout.splitlines()) == 40
    bad = runner.invoke(cli, [*args, "--scheduler", "tcp://127.0.0.1:1"])
    assert bad.exit_code == 2 and "--scheduler goes with --backend dask" in bad.output


def test_predict_bag_adds_labels_to_records(model: Model, client: Any) -> None:
    import dask.bag as db

    records = [{"id": f"r{i}", "headline": t, "body": x, "extra": i}
               for i, (t, x) in enumerate(STORIES)]
    bag = db.from_sequence(records, npartitions=2)
    out = predict_bag(model, bag, text="body", title="headline").compute()
    assert [r["id"] for r in out] == [r["id"] for r in records]
    assert out[0]["extra"] == 0
    expected = model.predict([Document(id=r["id"], title=r["headline"], text=r["body"])
                              for r in records])
    assert [[lb["name"] for lb in r["labels"]] for r in out] == \
        [[lb.name for lb in p.labels] for p in expected]


def test_predict_pandas_gives_label_columns_as_a_udf_would(model: Model,
                                                           tmp_path: Path) -> None:
    import pandas as pd

    from newsclf.model import save_model

    frame = pd.DataFrame({"title": [t for t, _ in STORIES], "text": [x for _, x in STORIES]})
    out = predict_pandas(model, frame, scores=True)
    assert list(out.columns[:2]) == ["title", "text"] and "topic" in out and "country" in out
    assert "trade" in out["topic"][0] and "CN" in out["country"][0]
    assert out["topic"][3] == [] and len(out["topic_scores"][0]) == len(out["topic"][0])
    # a model file path, as a Spark pandas UDF on a worker would pass (loaded once)
    save_model(model, tmp_path / "m.joblib")
    from_path = predict_pandas(str(tmp_path / "m.joblib"), frame)
    assert from_path["country"].tolist() == out["country"].tolist()


def test_predict_dataframe_maps_partitions(model: Model, client: Any) -> None:
    import dask.dataframe as dd
    import pandas as pd

    frame = pd.DataFrame({"title": [t for t, _ in STORIES] * 4,
                          "text": [x for _, x in STORIES] * 4})
    ddf = dd.from_pandas(frame, npartitions=3)
    out = predict_dataframe(model, ddf).compute()
    expected = predict_pandas(model, frame)
    assert out["topic"].tolist() == expected["topic"].tolist()
    assert out["region"].tolist() == expected["region"].tolist()
