"""Helpers for testing classifiers, shipped for plugin authors.

``check_classifier(factory)`` is the contract every classifier, built-in or third-party,
should pass. Call it from a test::

    from newsclf.testing import check_classifier
    from my_plugin import MyClassifier

    def test_contract(tmp_path):
        check_classifier(MyClassifier, tmp_path)
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import NotFittedError
from .model import Model, load_model, save_model
from .types import Document, Label
from .typing import Classifier

__all__ = ["check_classifier", "toy_corpus"]

_SPORT = ["The striker scored twice as the club won the cup final in extra time",
          "The coach praised the goalkeeper after a tense league match and a late goal",
          "Fans cheered the team as the season ended with a title and a parade",
          "The tennis champion won the tournament after a long final set"]
_MARKETS = ["Shares fell as investors worried about inflation and interest rates",
            "The central bank raised rates and bond yields climbed across markets",
            "Stocks rallied after earnings beat forecasts and the dollar weakened",
            "Banks reported higher profit as lending grew and markets recovered"]


def toy_corpus(repeat: int = 4) -> tuple[list[Document], list[list[str]]]:
    """A small two-label corpus (``sport`` and ``markets``, one story carrying both)
    for contract tests."""
    docs: list[Document] = []
    labels: list[list[str]] = []
    for r in range(repeat):
        for i, text in enumerate(_SPORT):
            docs.append(Document(id=f"s{r}-{i}", title=f"Sport story {i}", text=text))
            labels.append(["sport"])
        for i, text in enumerate(_MARKETS):
            docs.append(Document(id=f"m{r}-{i}", title=f"Markets story {i}", text=text))
            labels.append(["markets"])
    docs.append(Document(id="both", title="Club shares rally",
                         text="The football club's shares rallied after the team won the "
                              "cup final and investors bought the stock."))
    labels.append(["sport", "markets"])
    return docs, labels


def _check_labels(result: Any, n: int, where: str) -> list[list[Label]]:
    assert isinstance(result, list) and len(result) == n, \
        f"{where}: predict must return one list of labels per document"
    for labels in result:
        assert isinstance(labels, list), f"{where}: each document's labels must be a list"
        for label in labels:
            assert isinstance(label, Label), f"{where}: labels must be newsclf.Label"
            assert 0.0 <= label.score <= 1.0, f"{where}: scores must be in [0, 1]"
    return result


def _check_params(clf: Any, where: str) -> None:
    """get_params / set_params / clone, as scikit-learn's estimator checks ask."""
    assert hasattr(clf, "get_params") and hasattr(clf, "set_params"), \
        f"{where}: needs get_params and set_params (use newsclf.EstimatorMixin)"
    params = clf.get_params()
    assert clf.set_params(**params) is clf, f"{where}: set_params must return self"
    from sklearn.base import clone

    try:
        copy = clone(clf)
    except Exception as exc:  # pragma: no cover - a contract failure
        raise AssertionError(f"{where}: scikit-learn cannot clone it ({exc}); __init__ "
                             "must store each keyword argument under the same name") from None
    assert copy.get_params().keys() == params.keys(), f"{where}: clone lost parameters"


def check_classifier(factory: Callable[..., Any], tmp_path: Path | None = None,
                     documents: Sequence[Document] | None = None,
                     labels: Sequence[Sequence[str]] | None = None) -> None:
    """Assert the classifier contract: builds with defaults, has ``name``/``facet``/
    ``trainable``, gives ``get_params`` that ``set_params`` and scikit-learn's ``clone``
    take back (what ``newsclf train`` needs to cross-validate it), refuses to predict
    before ``fit`` when trainable, fits and returns itself, predicts a list of
    :class:`Label` lists with scores in [0, 1], and gives the same predictions after a
    save and load as a newsclf model."""

    if documents is None or labels is None:
        documents, labels = toy_corpus()
    clf = factory()
    where = f"{getattr(clf, 'name', type(clf).__name__)}"
    assert isinstance(clf, Classifier), f"{where}: missing name, facet, trainable, fit or predict"
    assert isinstance(clf.name, str) and clf.name, f"{where}: name must be a non-empty string"
    _check_params(clf, where)
    if clf.trainable:
        try:
            clf.predict(list(documents[:1]))
        except NotFittedError:
            pass
        else:  # pragma: no cover - a contract failure
            raise AssertionError(f"{where}: predict before fit must raise NotFittedError")
    fitted = clf.fit(list(documents), list(labels))
    assert fitted is clf, f"{where}: fit must return self"
    before = _check_labels(clf.predict(list(documents)), len(documents), where)
    if hasattr(clf, "explain"):
        explained = clf.explain(documents[0])
        _check_labels([explained], 1, f"{where}.explain")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp_path or tmp)
        save_model(Model([clf]), folder / f"{where}-contract.joblib")
        loaded = load_model(folder / f"{where}-contract.joblib")
    after = _check_labels(loaded.classifiers[0].predict(list(documents)), len(documents), where)
    assert [[(lb.name, lb.facet, round(lb.score, 6)) for lb in labels_]
            for labels_ in before] == \
        [[(lb.name, lb.facet, round(lb.score, 6)) for lb in labels_]
         for labels_ in after], f"{where}: predictions changed after save and load"
