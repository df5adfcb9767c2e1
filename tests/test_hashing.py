"""The hashing classifier: the contract, learning from a stream chunk by chunk (one read
per pass), thresholds tuned on held-back stories before they are learned, and
``newsclf train --classifier hashing`` streaming its input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from click.testing import CliRunner

from newsclf import Document, load_model
from newsclf.classifiers.hashing import HashingClassifier
from newsclf.cli import cli
from newsclf.testing import check_classifier, toy_corpus
from newsclf.training import train_stream


def small(**params: Any) -> HashingClassifier:
    return HashingClassifier(n_features=2**12, chunk_size=16, **params)


def test_contract(tmp_path: Path) -> None:
    check_classifier(small, tmp_path, *toy_corpus(10))


def test_learns_and_keeps_only_used_columns() -> None:
    docs, labels = toy_corpus(10)
    clf = small(holdout_every=5).fit(docs, labels)
    got = clf.predict([Document(id="a", text="The striker scored and the team won the cup"),
                       Document(id="b", text="Bond yields rose as the central bank raised rates")])
    assert [labs[0].name for labs in got] == ["sport", "markets"]  # best first
    assert 0 < len(clf.columns_) < clf.n_features and clf.W_.shape == (len(clf.columns_), 2)
    assert clf.holdout_size_ == len(docs) // 5 and clf.n_trained_ == len(docs)


def test_stream_is_read_once_per_pass_in_chunks() -> None:
    docs, labels = toy_corpus(10)
    reads: list[int] = []

    def examples() -> Any:
        reads.append(0)
        for pair in zip(docs, labels):
            reads[-1] += 1
            yield pair

    clf = small(epochs=3).fit_stream(examples)
    assert reads == [len(docs)] * 3
    again = small(epochs=3).fit(docs, labels)
    assert np.array_equal(clf.predict_scores(docs), again.predict_scores(docs))


def test_thresholds_come_from_held_back_stories() -> None:
    docs, labels = toy_corpus(10)
    tuned = small(holdout_every=3, min_positives=2).fit(docs, labels)
    assert tuned.holdout_size_ == len(docs) // 3
    assert (tuned.a_ != 2.0).any()  # Platt-calibrated on the held-back scores
    fixed = small(threshold=0.3).fit(docs, labels)
    assert list(fixed.thresholds_) == [0.3, 0.3]
    none = small(holdout_every=0).fit(docs, labels)
    assert none.holdout_size_ == 0 and list(none.thresholds_) == [0.5, 0.5]


def test_train_stream_records_what_it_read() -> None:
    docs, labels = toy_corpus(10)
    recs = [Document(id=d.id, title=d.title, text=d.text, meta={"topics": ls})
            for d, ls in zip(docs, labels)]
    recs.append(Document(id="empty", text=""))
    model = train_stream(lambda: iter(recs), classifier=small(), labels_field="topics")
    record = model.metadata["training"]
    assert record["records"] == len(docs) and record["streamed"] is True
    assert record["label_counts"] == {"markets": 41, "sport": 41}


def test_cli_trains_hashing_by_streaming(tmp_path: Path) -> None:
    docs, labels = toy_corpus(10)
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps({"id": d.id, "title": d.title, "text": d.text,
                                        "topics": ls}) + "\n" for d, ls in zip(docs, labels)))
    out = CliRunner().invoke(cli, ["train", str(data), "--classifier", "hashing", "--labels",
                                   "topics", "--param", "n_features=4096", "-o",
                                   str(tmp_path / "h.joblib")])
    assert out.exit_code == 0, out.output
    assert f"learned from {len(docs)} records streamed" in out.stdout
    model = load_model(tmp_path / "h.joblib")
    assert model.classifiers[0].name == "hashing"
