"""scikit-learn's estimator contract, kept without importing scikit-learn at predict time:
tags, clone, check_is_fitted, GridSearchCV over a document scorer, and the API checks of
``sklearn.utils.estimator_checks`` that apply to classifiers of documents.

Which checks apply (run one by one below, for every built-in classifier):

- pass: check_estimator_cloneable, check_estimator_repr, check_get_params_invariance,
  check_set_params, check_parameters_default_constructible,
  check_no_attributes_set_in_init, check_do_not_raise_errors_in_init_or_set_params,
  check_estimator_tags_renamed, check_valid_tag_types, check_mixin_order.
- cannot run as written (they fit on numeric arrays from make_blobs), so the same
  property is tested here on documents: check_estimators_fit_returns_self,
  check_estimators_unfitted, check_estimators_pickle, check_fit_idempotent,
  check_dont_overwrite_parameters, check_methods_subset_invariance,
  check_methods_sample_order_invariance, check_fit_check_is_fitted.
- do not apply (the input is a sequence of ``Document``s, not an array of numbers, or
  they test transformers, regressors, clusterers or outlier detectors): dtypes, NaN/inf,
  sparse input, 1-d/2-d arrays, n_features_in_, sample weights, class weights on blobs,
  regression targets, array API, pandas/polars output, and the rest.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.utils import estimator_checks, get_tags
from sklearn.utils.validation import check_is_fitted

from newsclf import Document, NotFittedError
from newsclf.classifiers.keywords import KeywordClassifier
from newsclf.classifiers.linear import EmbeddingClassifier, HybridClassifier, TfidfClassifier
from newsclf.classifiers.regions import RegionClassifier
from newsclf.classifiers.zeroshot import ZeroShotClassifier
from newsclf.metrics import score_labels
from newsclf.testing import toy_corpus

TRAINABLE = [TfidfClassifier, EmbeddingClassifier, HybridClassifier]
RULES = [KeywordClassifier, RegionClassifier, ZeroShotClassifier]
API_CHECKS = ["check_estimator_cloneable", "check_estimator_repr",
              "check_get_params_invariance", "check_set_params",
              "check_parameters_default_constructible", "check_no_attributes_set_in_init",
              "check_do_not_raise_errors_in_init_or_set_params",
              "check_estimator_tags_renamed", "check_valid_tag_types", "check_mixin_order"]


@pytest.mark.parametrize("check", API_CHECKS)
@pytest.mark.parametrize("cls", TRAINABLE + RULES, ids=lambda c: c.__name__)
def test_sklearn_api_checks(cls: type, check: str) -> None:
    getattr(estimator_checks, check)(cls.__name__, cls())


@pytest.mark.parametrize("cls", TRAINABLE + RULES, ids=lambda c: c.__name__)
def test_tags_say_a_multilabel_classifier_of_documents(cls: type) -> None:
    clf = cls()
    tags = get_tags(clf)
    assert is_classifier(clf) and tags.classifier_tags.multi_label
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert tags.requires_fit is clf.trainable


@pytest.mark.parametrize("cls", TRAINABLE, ids=lambda c: c.__name__)
def test_fitted_or_not(cls: type) -> None:
    clf = cls()
    with pytest.raises(SklearnNotFittedError):
        check_is_fitted(clf)
    with pytest.raises(NotFittedError) as caught:
        clf.predict([Document(id="x", text="y")])
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, AttributeError)
    docs, labels = toy_corpus()
    assert clf.fit(docs, labels) is clf
    check_is_fitted(clf)
    assert not hasattr(clone(clf), "head_")


def _probe() -> list[Document]:
    return [Document(id="p", text="The striker scored a late goal in the final"),
            Document(id="q", text="Bond yields rose as the central bank raised rates"),
            Document(id="r", text="The club's shares rallied as the team won the cup")]


def _names(clf: Any, docs: list[Document]) -> list[list[tuple[str, float]]]:
    return [[(lb.name, round(lb.score, 6)) for lb in labs] for labs in clf.predict(docs)]


@pytest.mark.parametrize("cls", TRAINABLE, ids=lambda c: c.__name__)
def test_document_versions_of_the_numeric_checks(cls: type) -> None:
    docs, labels = toy_corpus()
    clf = cls()
    params = clf.get_params()
    clf.fit(docs, labels)
    assert clf.get_params() == params  # check_dont_overwrite_parameters
    first = _names(clf, _probe())
    assert _names(clf.fit(docs, labels), _probe()) == first  # check_fit_idempotent
    assert _names(pickle.loads(pickle.dumps(clf)), _probe()) == first  # ..._pickle
    probe = _probe()
    assert [_names(clf, [d])[0] for d in probe] == first  # subset invariance
    assert _names(clf, probe[::-1]) == first[::-1]  # sample order invariance


def _micro_f1(estimator: Any, X: list[Document], y: list[list[str]]) -> float:
    predicted = [[lb.name for lb in labs] for labs in estimator.predict(X)]
    return float(score_labels(y, predicted).micro["f1"])


@pytest.mark.parametrize("factory", [TfidfClassifier, lambda: HybridClassifier(folds=2)])
def test_grid_search_over_C_with_a_document_scorer(factory: Callable[[], Any]) -> None:
    docs, labels = toy_corpus(repeat=6)
    search = GridSearchCV(factory(), {"C": [0.1, 1.0]}, scoring=_micro_f1,
                          cv=KFold(3, shuffle=True, random_state=0), error_score="raise")
    search.fit(docs, labels)
    assert search.best_params_["C"] in (0.1, 1.0)
    assert search.best_score_ > 0.8
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
