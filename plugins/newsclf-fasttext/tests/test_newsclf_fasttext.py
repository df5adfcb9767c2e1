"""The fastText plugin: the classifier contract, multi-label thresholds, determinism, the
model file, the command line, and registration through the hooks. Needs fastText
(``tox -e plugins`` installs it); skipped where it is missing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("fasttext")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import newsclf_fasttext

from newsclf import Document, plugins
from newsclf.cli import cli
from newsclf.model import Model, load_model, save_model
from newsclf.testing import check_classifier, toy_corpus


def small(**params: object) -> newsclf_fasttext.FastTextClassifier:
    return newsclf_fasttext.FastTextClassifier(bucket=20_000, dim=20, **params)


def corpus(repeat: int = 12) -> tuple[list[Document], list[list[str]]]:
    return toy_corpus(repeat)


def test_contract(tmp_path: Path) -> None:
    check_classifier(lambda **kw: small(**kw), tmp_path, *corpus())


def test_learns_both_labels_and_gives_several() -> None:
    docs, labels = corpus()
    clf = small(epoch=50).fit(docs, labels)
    test = [Document(id="a", text="The goalkeeper saved a penalty and the team won the final"),
            Document(id="b", text="Bond yields rose as the central bank raised interest rates"),
            Document(id="c", text="The club's shares rallied after the team won the cup and "
                                  "investors bought the stock as markets rose")]
    got = [{lb.name for lb in labs} for labs in clf.predict(test)]
    assert got[0] == {"sport"} and got[1] == {"markets"}
    scores = clf.predict_scores(test)
    # one sigmoid per label, not a softmax: a story can score high on both
    assert scores[2].min() > 0.4 and scores[:2].min() < 0.2
    assert {lb.name for lb in small(epoch=50, threshold=0.4).fit(docs, labels)
            .predict(test[2:])[0]} == {"sport", "markets"}
    assert scores.shape == (3, 2) and ((scores >= 0) & (scores <= 1)).all()


def test_thresholds_tuned_out_of_fold_or_fixed() -> None:
    docs, labels = corpus()
    tuned = small(folds=3).fit(docs, labels)
    assert tuned.thresholds_.shape == (2,)
    fixed = small(threshold=0.3).fit(docs, labels)
    assert list(fixed.thresholds_) == [0.3, 0.3]
    rare = small(min_positives=1000).fit(docs, labels)
    assert list(rare.thresholds_) == [0.5, 0.5]


def test_one_thread_and_a_seed_give_the_same_model() -> None:
    docs, labels = corpus()
    a = small(seed=3, folds=0).fit(docs, labels)
    b = small(seed=3, folds=0).fit(docs, labels)
    assert (a.predict_scores(docs) == b.predict_scores(docs)).all()


def test_label_names_with_spaces_survive() -> None:
    docs, labels = corpus()
    named = [[f"big {name}" for name in names] for names in labels]
    clf = small(folds=0).fit(docs, named)
    assert clf.labels_ == ["big markets", "big sport"]
    assert {lb.name for labs in clf.predict(docs) for lb in labs} <= set(clf.labels_)


def test_model_file_keeps_fasttext_bytes(tmp_path: Path) -> None:
    docs, labels = corpus()
    clf = small(folds=0).fit(docs, labels)
    path = tmp_path / "m.joblib"
    save_model(Model([clf]), path)
    assert path.stat().st_size < 5_000_000  # bucket × dim floats, not fastText's 800 MB
    loaded = load_model(path).classifiers[0]
    assert isinstance(loaded.model_bytes_, bytes)
    assert (loaded.predict_scores(docs) == clf.predict_scores(docs)).all()


def test_predict_before_fit_and_empty_story() -> None:
    clf = small(folds=0)
    with pytest.raises(Exception, match="not fitted"):
        clf.predict([Document(id="x", text="hello")])
    docs, labels = corpus()
    clf.fit(docs, labels)
    assert clf.predict([Document(id="e", text="")]) == [[]] or \
        len(clf.predict([Document(id="e", text="")])) == 1


def test_registered_through_the_hooks() -> None:
    pm = plugins.get_plugin_manager()
    pm.register(newsclf_fasttext, name="newsclf-fasttext")
    registry = plugins.build_registry(pm, entry_points=False)
    assert registry.classifiers["fasttext"].plugin == "newsclf-fasttext"
    assert registry.classifier("fasttext") is newsclf_fasttext.FastTextClassifier


@pytest.mark.skipif("fasttext" not in plugins.get_registry().classifiers,
                    reason="the plugin is not installed (tox -e plugins installs it)")
def test_train_and_predict_from_the_command_line(tmp_path: Path) -> None:
    docs, labels = corpus()
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps({"id": d.id, "title": d.title, "text": d.text,
                                        "topics": ls}) + "\n"
                            for d, ls in zip(docs, labels)))
    model = tmp_path / "m.joblib"
    runner = CliRunner()
    trained = runner.invoke(cli, ["train", str(data), "--classifier", "fasttext",
                                   "--labels", "topics", "--param", "bucket=20000",
                                   "--param", "dim=20", "--param", "epoch=50",
                                   "-o", str(model)])
    assert trained.exit_code == 0, trained.output
    out = runner.invoke(cli, ["predict", str(data), "--model", str(model),
                               "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    assert len(rows) == len(docs)
    assert {lb["source"] for row in rows for lb in row["labels"]} == {"fasttext"}
