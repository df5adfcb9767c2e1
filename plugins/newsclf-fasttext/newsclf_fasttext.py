"""newsclf-fasttext: fastText's supervised classifier as a trainable newsclf classifier.

A third-party newsclf plugin: one module, one entry point (``fasttext``), registering the
classifier ``fasttext``. Multi-label with independent per-label scores (fastText's
one-vs-all loss), per-label thresholds tuned out of fold like the built-in ``tfidf``'s,
and fastText's own model bytes kept inside the ordinary newsclf model file::

    newsclf train data.jsonl --classifier fasttext --labels topics -o m.joblib
    newsclf predict stories.jsonl --model m.joblib

The binding is ``fasttext-wheel`` (fastText 0.9.2): its Python ``predict()`` fails under
NumPy 2 (``np.array(..., copy=False)``), and the binding's batch ``multilinePredict``
returns probability arrays over freed memory (every label gets the same number), so this
module calls the C++ binding's one-line ``model.f.predict``, which returns plain Python
(score, label) pairs.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import newsclf
from newsclf.classifiers.head import best_threshold, labels_matrix, multilabel_folds
from newsclf.typing import RegisterClassifier

__version__ = "0.1.0"
__all__ = ["FastTextClassifier", "fasttext_text"]

_TOKEN = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*", re.UNICODE)
_PREFIX = "__label__"


def fasttext_text(document: newsclf.Document) -> str:
    """A story as one line of fastText input: title and body, lower-cased, words only
    (fastText splits on white space, so punctuation would stick to its words)."""
    return " ".join(_TOKEN.findall(document.full_text.lower()))


class FastTextClassifier(newsclf.EstimatorMixin):
    """fastText's supervised model with ``loss="ova"``: one sigmoid per label, so a story
    gets any number of labels. Per-label thresholds are tuned on out-of-fold scores
    (``folds`` fastText runs on the training data; ``folds=0`` or a fixed ``threshold``
    skips them); labels with fewer than ``min_positives`` stories keep 0.5.

    The fastText hyper-parameters keep fastText's names (``lr``, ``epoch``, ``dim``,
    ``wordNgrams``, ``bucket``, ``minCount``, ``minn``, ``maxn``, ``thread``, ``seed``)
    and are settable with ``--param``. The defaults keep a model small: ``bucket`` ×
    ``dim`` floats are its bulk (fastText's default, 2 M × 100, is an 800 MB file).
    ``thread=1`` with a ``seed`` gives the same model every time.
    """

    name = "fasttext"
    facet = "topic"
    trainable = True
    state_version = 1

    def __init__(self, *, lr: float = 1.0, epoch: int = 50, dim: int = 50,
                 wordNgrams: int = 2, bucket: int = 200_000, minCount: int = 1,
                 minn: int = 0, maxn: int = 0, thread: int = 1, seed: int = 0,
                 folds: int = 3, min_positives: int = 5, threshold: float | None = None,
                 min_labels: int = 0, facet: str = "topic") -> None:
        self.lr = lr
        self.epoch = epoch
        self.dim = dim
        self.wordNgrams = wordNgrams
        self.bucket = bucket
        self.minCount = minCount
        self.minn = minn
        self.maxn = maxn
        self.thread = thread
        self.seed = seed
        self.folds = folds
        self.min_positives = min_positives
        self.threshold = threshold
        self.min_labels = min_labels
        self.facet = facet

    # -- fitting ----------------------------------------------------------------------
    def _train(self, lines: Sequence[str], Y: np.ndarray) -> Any:
        """A fastText model trained on ``lines`` with targets ``Y`` (label j is
        ``__label__j``: label names may hold spaces, fastText's may not)."""
        import fasttext

        with tempfile.TemporaryDirectory(prefix="newsclf-fasttext-") as tmp:
            path = Path(tmp) / "train.txt"
            with path.open("w", encoding="utf-8") as out:
                for line, row in zip(lines, Y):
                    targets = " ".join(f"{_PREFIX}{j}" for j in np.flatnonzero(row))
                    out.write(f"{targets} {line}\n")
            return fasttext.train_supervised(
                str(path), loss="ova", lr=self.lr, epoch=self.epoch, dim=self.dim,
                wordNgrams=self.wordNgrams, bucket=self.bucket, minCount=self.minCount,
                minn=self.minn, maxn=self.maxn, thread=self.thread, seed=self.seed,
                verbose=0)

    def fit(self, documents: Sequence[newsclf.Document],
            labels: Sequence[Sequence[str]]) -> FastTextClassifier:
        """Train fastText on the stories, then tune each label's threshold on scores of
        stories the model had not seen; returns ``self``."""
        docs, gold = self._validate_fit(documents, labels)
        classes = sorted({name for names in gold for name in names})
        Y = labels_matrix(gold, classes)
        lines = [fasttext_text(d) for d in docs]
        self.thresholds_ = self._tune(lines, Y)
        model = self._train(lines, Y)
        self.labels_ = classes
        self.model_bytes_ = _to_bytes(model)
        self.__dict__["_cache_model"] = model
        return self

    def _tune(self, lines: Sequence[str], Y: np.ndarray) -> np.ndarray:
        fixed = 0.5 if self.threshold is None else float(self.threshold)
        thresholds = np.full(Y.shape[1], fixed)
        positives = Y.sum(axis=0)
        tunable = [j for j in range(Y.shape[1])
                   if self.min_positives <= positives[j] < Y.shape[0]]
        if self.threshold is not None or self.folds < 2 or not tunable \
                or Y.shape[0] < 2 * self.folds:
            return thresholds
        oof = np.zeros(Y.shape)
        for train_idx, test_idx in multilabel_folds(Y, self.folds, self.seed):
            model = self._train([lines[i] for i in train_idx], Y[train_idx])
            oof[test_idx] = _scores(model, [lines[i] for i in test_idx], Y.shape[1])
        for j in tunable:
            thresholds[j] = best_threshold(oof[:, j], Y[:, j] == 1)
        return thresholds

    # -- predicting -------------------------------------------------------------------
    def _model(self) -> Any:
        self._check_fitted()
        return self._cached("model", lambda: _from_bytes(self.model_bytes_))

    def predict_scores(self, documents: Sequence[newsclf.Document]) -> np.ndarray:
        """Scores (n × labels, in the order of ``labels_``), each fastText's sigmoid for
        that label."""
        model = self._model()
        return _scores(model, [fasttext_text(d) for d in documents], len(self.labels_))

    def predict(self, documents: Sequence[newsclf.Document]) -> list[list[newsclf.Label]]:
        """The labels whose score reaches their threshold (at least ``min_labels``, the
        best ones), best first."""
        scores = self.predict_scores(documents)
        out = []
        for row in scores:
            order = np.argsort(-row, kind="stable")
            keep = [j for j in order if row[j] >= self.thresholds_[j]]
            keep += [j for j in order[:self.min_labels] if j not in keep]
            out.append([newsclf.Label(self.labels_[j], self.facet, float(row[j]), self.name)
                        for j in keep])
        return out


def _scores(model: Any, lines: Sequence[str], n_labels: int) -> np.ndarray:
    """Every label's score for each line, through the C++ binding's one-line predict
    (NumPy 2 safe; about 400,000 short lines a second)."""
    out = np.zeros((len(lines), n_labels))
    predict = model.f.predict
    for i, line in enumerate(lines):
        for score, label in predict(line.replace("\n", " ") + "\n", -1, 0.0, "replace"):
            out[i, int(label[len(_PREFIX):])] = score
    # fastText adds 1e-5 to every probability; keep scores in [0, 1]
    return np.asarray(np.clip(out, 0.0, 1.0))


def _to_bytes(model: Any) -> bytes:
    with tempfile.TemporaryDirectory(prefix="newsclf-fasttext-") as tmp:
        path = os.path.join(tmp, "model.bin")
        model.save_model(path)
        return Path(path).read_bytes()


def _from_bytes(data: bytes) -> Any:
    from fasttext.FastText import _FastText

    with tempfile.TemporaryDirectory(prefix="newsclf-fasttext-") as tmp:
        path = os.path.join(tmp, "model.bin")
        Path(path).write_bytes(data)
        # _FastText directly: fasttext.load_model() prints a deprecation notice on stderr
        return _FastText(model_path=path)




@newsclf.hookimpl
def newsclf_register_classifiers(register: RegisterClassifier) -> None:
    register("fasttext", FastTextClassifier)
