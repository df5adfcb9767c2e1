"""Training: labelled records in, a fitted and cross-validated :class:`Model` out."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .classifiers.head import labels_matrix, multilabel_folds
from .errors import ConfigError, TrainingError
from .metrics import score_labels
from .model import Model, classifier_errors
from .outlets import check_groups, group_of, grouped_folds
from .plugins import create_classifier
from .types import Document, gold_labels
from .typing import Classifier

__all__ = ["cross_validate", "fingerprint", "streams_training", "train", "train_stream",
           "update"]


def fingerprint(documents: Sequence[Document]) -> str:
    """SHA-256 of the records read (canonical JSON, in order)."""
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(_canonical(doc))
    return digest.hexdigest()


def _canonical(doc: Document) -> bytes:
    """A record as the fingerprint reads it: canonical JSON and a newline."""
    return json.dumps(doc.to_dict(), sort_keys=True, ensure_ascii=False,
                      default=str).encode() + b"\n"


def _build(classifier: str | Classifier, params: dict[str, Any], seed: int) -> Classifier:
    if not isinstance(classifier, str):
        clf = classifier
    else:
        if "random_state" not in params:
            params = {**params, "random_state": seed}
            try:
                clf = create_classifier(classifier, **params)
            except ConfigError:  # it takes no random_state
                del params["random_state"]
                clf = create_classifier(classifier, **params)
        else:
            clf = create_classifier(classifier, **params)
    name = getattr(clf, "name", type(clf).__name__)
    if not getattr(clf, "trainable", False):
        raise ConfigError(f"classifier {name!r} has nothing to train "
                          "(use it with `newsclf predict --classifier`)")
    return clf


def _clone(classifier: Classifier) -> Classifier:
    """A fresh, unfitted copy (scikit-learn's ``clone``); a classifier that cannot be
    cloned is a :class:`ConfigError` naming it and saying why."""
    from sklearn.base import clone

    try:
        copy: Classifier = clone(classifier)
    except (TypeError, RuntimeError, AttributeError) as exc:
        name = getattr(classifier, "name", type(classifier).__name__)
        raise ConfigError(f"classifier {name!r} cannot be cloned for cross-validation "
                          f"({exc}); its __init__ must store each keyword argument under "
                          "the same name and give get_params (newsclf.EstimatorMixin does "
                          "both)") from None
    return copy


def cross_validate(classifier: Classifier, documents: Sequence[Document],
                   labels: Sequence[Sequence[str]], folds: int = 5, seed: int = 0,
                   log: Callable[[str], None] | None = None,
                   groups: Sequence[str] | None = None) -> dict[str, Any]:
    """K-fold cross-validation: per-label and micro/macro precision, recall and F1 of
    out-of-fold predictions. Folds are stratified for multi-label, or, with ``groups``
    (one per story: its outlet, say), never split a group
    (:func:`newsclf.outlets.grouped_folds`): the figure for stories from outlets the
    model never saw."""
    if groups is not None:
        splits = grouped_folds(groups, folds, seed)
        folds = len(splits)
    else:
        classes = sorted({name for names in labels for name in names})
        splits = multilabel_folds(labels_matrix(labels, classes), folds, seed)
    predicted: list[list[str]] = [[] for _ in documents]
    for k, (train_idx, test_idx) in enumerate(splits, start=1):
        if log:
            log(f"cross-validation fold {k}/{folds}")
        with classifier_errors(classifier, "fit"):
            clf = _clone(classifier).fit([documents[i] for i in train_idx],
                                         [labels[i] for i in train_idx])
        with classifier_errors(classifier, "predict"):
            found = clf.predict([documents[i] for i in test_idx])
        for i, labs in zip(test_idx, found):
            predicted[i] = [lb.name for lb in labs]
    return score_labels(labels, predicted).to_dict()


def _labelled(documents: Iterable[Document],
              labels_field: str) -> tuple[list[Document], list[list[str]]]:
    """The records that have the label field (empty stories left out), and their gold
    labels."""
    docs = [d for d in documents if not d.is_empty]
    if not docs:
        raise TrainingError("no records to train on")
    gold = [gold_labels(d, labels_field) for d in docs]
    if all(g is None for g in gold):
        raise TrainingError(f"no record has the label field {labels_field!r}")
    labelled = [(d, g) for d, g in zip(docs, gold) if g is not None]
    return [d for d, _ in labelled], [g for _, g in labelled]


def _training_record(docs: Sequence[Document], labels: Sequence[Sequence[str]],
                     labels_field: str, seed: int) -> dict[str, Any]:
    counts = Counter(name for names in labels for name in names)
    return {"records": len(docs), "labels_field": labels_field,
            "fingerprint": fingerprint(docs), "label_counts": dict(sorted(counts.items())),
            "seed": seed}


def train(documents: Iterable[Document], *, classifier: str | Classifier = "tfidf",
          labels_field: str = "labels", params: dict[str, Any] | None = None,
          folds: int = 5, seed: int = 0, unlabelled: Iterable[Document] | None = None,
          group_by: str | None = None, log: Callable[[str], None] | None = None) -> Model:
    """Fit ``classifier`` on the records' gold labels (in ``labels_field``), measure it by
    ``folds``-fold cross-validation (0: skip) and return a :class:`Model` whose metadata
    holds the training-data fingerprint, the label counts and the CV metrics.

    With ``unlabelled`` stories, self-training (:mod:`newsclf.selftraining`) adds
    confident pseudo-labels if, by the same cross-validation, they raise macro-F1; the
    metadata's ``self_training`` says what was measured and whether they were kept.

    With ``group_by`` (a record field, or ``outlet``: :func:`newsclf.outlets.outlet_of`),
    the cross-validation folds never split a value of it: the figures say what to expect
    on outlets the model never saw. (The linear classifiers' own ``group_by`` parameter
    tunes their thresholds on such folds too; on the default taxonomy's data that scored
    lower on unseen outlets than random calibration folds, so it is not implied.)"""
    docs, labels = _labelled(documents, labels_field)
    counts = Counter(name for names in labels for name in names)
    none = sum(1 for names in labels if not names)
    if len(counts) < 2 and not (counts and none):
        raise TrainingError(f"the field {labels_field!r} holds a single class "
                            f"({', '.join(counts) or 'none'}); need at least two")
    clf = _build(classifier, dict(params or {}), seed)
    groups = _groups(docs, group_by)
    metadata: dict[str, Any] = {"training": _training_record(docs, labels, labels_field, seed)}
    if folds and folds >= 2:
        if len(docs) < folds:
            raise TrainingError(f"{len(docs)} records are too few for {folds}-fold "
                                "cross-validation (use --folds 0)")
        metadata["cv_metrics"] = cross_validate(clf, docs, labels, folds, seed, log, groups)
        metadata["cv_folds"] = folds if groups is None else min(folds, len(set(groups)))
        if group_by:
            metadata["cv_grouped_by"] = {"field": group_by, "groups": len(set(groups or ()))}
    if unlabelled is not None:
        from .selftraining import self_train

        extra = list(unlabelled)
        clf, report = self_train(lambda: _clone(clf), docs, labels, extra,
                                 folds=max(folds, 2), seed=seed, log=log)
        metadata["self_training"] = report
        return Model([clf], metadata)
    if log:
        log(f"fitting on {len(docs)} records, {len(counts)} labels")
    with classifier_errors(clf, "fit"):
        clf.fit(docs, labels)
    return Model([clf], metadata)


def with_regions(model: Model) -> Model:
    """``model`` with the built-in ``regions`` tagger after its classifiers (as the
    default model has it), unless one of them gives countries already."""
    if "country" in model.facets or any(getattr(c, "name", "") == "regions"
                                        for c in model.classifiers):
        return model
    return Model([*model.classifiers, create_classifier("regions")], model.metadata)


def _groups(docs: Sequence[Document], group_by: str | None) -> list[str] | None:
    """Each story's value of ``group_by`` (None without it). Fewer than two values, or
    nearly one a story, is a TrainingError."""
    if not group_by:
        return None
    groups = [group_of(d, group_by) for d in docs]
    check_groups(groups, group_by, error=TrainingError)
    return groups


def streams_training(classifier: str, params: dict[str, Any] | None = None) -> bool:
    """Whether the classifier registered as ``classifier`` learns from a stream
    (``fit_stream``) rather than from lists in memory."""
    return hasattr(create_classifier(classifier, **(params or {})), "fit_stream")


def train_stream(read: Callable[[], Iterable[Document]], *, classifier: str | Classifier,
                 labels_field: str = "labels", params: dict[str, Any] | None = None,
                 seed: int = 0, log: Callable[[str], None] | None = None) -> Model:
    """Fit a streaming classifier (one with ``fit_stream``, such as ``hashing``) on the
    records ``read()`` yields, without holding them: ``read`` is called once per pass
    over the data. The metadata holds the fingerprint and label counts (taken on the
    first pass) and the number of stories held back for thresholds, no CV metrics."""
    clf = _build(classifier, dict(params or {}), seed)
    digest, counts = hashlib.sha256(), Counter[str]()
    passes = {"n": 0, "records": 0}

    def examples() -> Iterator[tuple[Document, list[str]]]:
        first = passes["n"] == 0
        passes["n"] += 1
        if log:
            log(f"pass {passes['n']} over the data")
        for doc in read():
            gold = None if doc.is_empty else gold_labels(doc, labels_field)
            if gold is None:
                continue
            if first:
                digest.update(_canonical(doc))
                counts.update(gold)
                passes["records"] += 1
            yield doc, gold

    with classifier_errors(clf, "fit"):
        clf.fit_stream(examples)  # type: ignore[attr-defined]
    if not passes["records"]:
        raise TrainingError(f"no record has the label field {labels_field!r}")
    metadata: dict[str, Any] = {"training": {
        "records": passes["records"], "labels_field": labels_field,
        "fingerprint": digest.hexdigest(), "label_counts": dict(sorted(counts.items())),
        "seed": seed, "streamed": True,
        "held_back": int(getattr(clf, "holdout_size_", 0))}}
    return Model([clf], metadata)


def update(model: Model, documents: Iterable[Document], *, labels_field: str = "labels",
           log: Callable[[str], None] | None = None) -> Model:
    """Bring a trained model up to date with a grown set of labelled records (the old
    ones and the new, or a new label) without refitting what did not change
    (:meth:`newsclf.classifiers.linear.LinearClassifier.update`): features stay, a new
    label trains its own column, a label is refitted only if its examples changed. The
    metadata records what was refitted; the old cross-validation figures are dropped."""
    docs, labels = _labelled(documents, labels_field)
    updatable = [c for c in model.classifiers if hasattr(c, "update")]
    if not updatable:
        raise ConfigError("the model has no classifier that can be updated "
                          "(train it anew with `newsclf train`)")
    clf = updatable[0]
    if log:
        log(f"updating {clf.name} with {len(docs)} records")
    done = clf.update(docs, labels)
    metadata = {k: v for k, v in model.metadata.items() if k not in ("cv_metrics", "cv_folds")}
    metadata["updated_from"] = model.metadata.get("training", {}).get("fingerprint")
    metadata["training"] = _training_record(docs, labels, labels_field,
                                            model.metadata.get("training", {}).get("seed", 0))
    metadata["update"] = done
    return Model(model.classifiers, metadata)
