"""The trainer: gold labels from a record field, cross-validated metrics in the model's
metadata, and clear refusals."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest

from newsclf import ConfigError, Document, EstimatorMixin, TrainingError, train
from newsclf.testing import toy_corpus
from newsclf.training import fingerprint


def _records() -> list[Document]:
    docs, labels = toy_corpus()
    return [Document(id=d.id, text=d.text, title=d.title, meta={"topics": labs})
            for d, labs in zip(docs, labels)]


def test_train_records_fingerprint_counts_and_cv_metrics() -> None:
    model = train(_records(), classifier="tfidf", labels_field="topics", folds=3)
    meta = model.metadata
    assert meta["training"]["records"] == 33
    assert meta["training"]["label_counts"] == {"markets": 17, "sport": 17}
    assert meta["training"]["fingerprint"] == fingerprint(_records())
    cv = meta["cv_metrics"]
    assert set(cv["per_label"]) == {"markets", "sport"} and cv["macro_f1"] > 0.8


def test_refusals() -> None:
    with pytest.raises(TrainingError, match="no records"):
        train([], labels_field="topics")
    with pytest.raises(TrainingError, match="no record has the label field 'nope'"):
        train(_records(), labels_field="nope")
    one = [Document(id=str(i), text="t", meta={"y": ["a"]}) for i in range(10)]
    with pytest.raises(TrainingError, match="single class"):
        train(one, labels_field="y")
    with pytest.raises(ConfigError, match=r"unknown classifier 'nope' \(known:"):
        train(_records(), classifier="nope", labels_field="topics")
    with pytest.raises(ConfigError, match="nothing to train"):
        train(_records(), classifier="regions", labels_field="topics")
    with pytest.raises(ConfigError, match="classifier 'tfidf'"):
        train(_records(), labels_field="topics", params={"bogus": 1})


class _Unclonable:
    """A trainable classifier whose __init__ renames its parameter: scikit-learn's
    clone cannot rebuild it."""

    name = "unclonable"
    facet = "topic"
    trainable = True

    def __init__(self, *, C: float = 1.0) -> None:
        self.strength = C

    def get_params(self, deep: bool = True) -> dict[str, float]:
        return {"C": self.strength * 2}

    def set_params(self, **params: float) -> _Unclonable:
        return self

    def fit(self, documents: object, labels: object) -> _Unclonable:
        return self

    def predict(self, documents: list[Document]) -> list[list[object]]:
        return [[] for _ in documents]


def test_a_classifier_that_cannot_be_cloned_is_a_config_error() -> None:
    docs, labels = toy_corpus()
    records = [Document(id=d.id, text=d.text, meta={"labels": g}) for d, g in zip(docs, labels)]
    with pytest.raises(ConfigError, match="'unclonable' cannot be cloned for cross-validation"):
        train(records, classifier=_Unclonable(), folds=3)  # type: ignore[arg-type]


def test_update_refits_only_what_changed_and_trains_a_new_label() -> None:
    from newsclf.training import update

    docs, labels = toy_corpus()
    model = train([Document(id=d.id, text=d.text, meta={"labels": g})
                   for d, g in zip(docs, labels)], folds=0)
    clf = model.classifiers[0]
    sport_w = clf.head_.W_[:, clf.labels_.index("sport")].copy()  # type: ignore[attr-defined]
    # a new label in words the model knows (its features stay as they were)
    cups = [Document(id=f"c{i}", text=f"The club won the cup final in extra time, {i}",
                     meta={"labels": ["cup", "markets"] if i == 0 else ["cup"]})
            for i in range(6)]
    old = [Document(id=d.id, text=d.text, meta={"labels": g}) for d, g in zip(docs, labels)]
    updated = update(model, [*old, *cups])
    done = updated.metadata["update"]
    assert done["new"] == ["cup"] and set(done["refit"]) == {"cup", "markets"}
    assert done["kept"] == ["sport"]
    after = updated.classifiers[0]
    assert np.array_equal(after.head_.W_[:, after.labels_.index("sport")], sport_w)  # type: ignore[attr-defined]
    (labs,) = after.predict([Document(id="q", text="The club won the cup final in extra time")])
    assert "cup" in [lb.name for lb in labs]
    assert "cv_metrics" not in updated.metadata


def test_update_needs_an_updatable_classifier() -> None:
    from newsclf import Model
    from newsclf.classifiers.keywords import KeywordClassifier
    from newsclf.training import update

    with pytest.raises(ConfigError, match="no classifier that can be updated"):
        update(Model([KeywordClassifier()]), _records(), labels_field="topics")


class _Spy(EstimatorMixin):
    """A trainable classifier that records the outlets of every fit it sees (and of
    its own ``group_by``), and predicts nothing."""

    name = "spy"
    facet = "topic"
    trainable = True
    fits: ClassVar[list[tuple[set[str], str | None]]] = []

    def __init__(self, *, group_by: str | None = None) -> None:
        self.group_by = group_by

    def fit(self, documents: list[Document], labels: object) -> _Spy:
        _Spy.fits.append(({d.meta["outlet"] for d in documents}, self.group_by))
        return self

    def predict(self, documents: list[Document]) -> list[list[object]]:
        return [[] for _ in documents]


def _with_outlets() -> list[Document]:
    return [Document(id=d.id, text=d.text, meta={**d.meta, "outlet": f"site{i % 7}"})
            for i, d in enumerate(_records())]


def test_group_by_folds_never_split_an_outlet() -> None:
    _Spy.fits.clear()
    model = train(_with_outlets(), classifier=_Spy(), labels_field="topics", folds=5,
                  group_by="outlet")  # type: ignore[arg-type]
    every = {f"site{i}" for i in range(7)}
    cv_fits, final = _Spy.fits[:-1], _Spy.fits[-1]
    assert len(cv_fits) == 5 and final == (every, None)  # calibration: the classifier's
    held_out = [every - seen for seen, _ in cv_fits]
    assert all(held_out) and sorted(o for h in held_out for o in h) == sorted(every)
    assert model.metadata["cv_grouped_by"] == {"field": "outlet", "groups": 7}


def test_a_linear_heads_group_by_tunes_thresholds_on_grouped_folds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import newsclf.classifiers.head as head

    seen: list[list[str]] = []
    real = head.grouped_folds

    def spy(groups: list[str], folds: int, seed: int = 0) -> object:
        seen.append(list(groups))
        return real(groups, folds, seed)

    monkeypatch.setattr(head, "grouped_folds", spy)
    train(_with_outlets(), classifier="tfidf", labels_field="topics", folds=0,
          params={"min_positives": 3, "group_by": "outlet"})
    assert seen and set(seen[0]) == {f"site{i}" for i in range(7)}


def test_group_by_refusals() -> None:
    same = [Document(id=d.id, text=d.text, meta={**d.meta, "outlet": "one"})
            for d in _records()]
    with pytest.raises(TrainingError, match="every record has the same value"):
        train(same, labels_field="topics", group_by="outlet")
    unique = [Document(id=d.id, text=d.text, meta={**d.meta, "outlet": d.id})
              for d in _records()]
    with pytest.raises(TrainingError, match="nearly one per record"):
        train(unique, labels_field="topics", group_by="outlet")
