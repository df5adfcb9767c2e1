"""Outlets and grouped folds: a story's outlet from its record, its URL or its source;
folds that never put one outlet on both sides."""

from __future__ import annotations

import numpy as np
import pytest

from newsclf import Document
from newsclf.outlets import group_of, grouped_folds, outlet_of


@pytest.mark.parametrize(("doc", "outlet"), [
    (Document(id="1", text="t", meta={"outlet": "Reuters"}, url="https://www.bbc.co.uk/x"),
     "Reuters"),
    (Document(id="2", text="t", url="https://www.bbc.co.uk/news/world-1"), "bbc.co.uk"),
    (Document(id="3", text="t", url="apnews.com/article/x"), "apnews.com"),
    (Document(id="4", text="t", source="reuters:2025/01/02.md#3"), "reuters"),
    (Document(id="5", text="t", source="feed#12"), "feed"),
    (Document(id="6", text="t"), "(none)"),
])
def test_outlet_of_reads_the_record_then_the_url_then_the_source(doc: Document,
                                                                   outlet: str) -> None:
    assert outlet_of(doc) == outlet
    assert group_of(doc, "outlet") == outlet


def test_group_of_reads_attributes_and_record_fields() -> None:
    doc = Document(id="1", text="t", source="s", meta={"month": "2025-02"})
    assert group_of(doc, "source") == "s"
    assert group_of(doc, "month") == "2025-02"
    assert group_of(doc, "missing") == "(none)"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_grouped_folds_never_split_a_group_and_cover_every_row_once(seed: int) -> None:
    rng = np.random.default_rng(seed)
    groups = [f"site{int(g)}" for g in rng.integers(0, 9, size=200)]
    folds = grouped_folds(groups, 5, seed)
    assert len(folds) == 5
    tested = np.concatenate([test for _, test in folds])
    assert sorted(tested.tolist()) == list(range(200))
    for train, test in folds:
        assert not {groups[i] for i in train} & {groups[i] for i in test}
        assert len(train) + len(test) == 200


def test_grouped_folds_with_few_groups() -> None:
    assert len(grouped_folds(["a", "b", "a", "c"], 5)) == 3  # one fold per group
    with pytest.raises(ValueError, match="at least two"):
        grouped_folds(["a", "a", "a"], 5)


def test_seeds_give_other_assignments() -> None:
    groups = [f"g{i % 10}" for i in range(100)]
    found = {tuple(sorted(tuple(sorted({groups[i] for i in test}))
                          for _, test in grouped_folds(groups, 5, s))) for s in range(6)}
    assert len(found) > 1
