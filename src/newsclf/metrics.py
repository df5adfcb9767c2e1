"""Metrics: per-label precision, recall, F1 and support; micro and macro averages; a
readable table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Metrics", "calibration", "format_metrics", "score_labels"]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class Metrics:
    """Scores of predicted against gold label sets."""

    per_label: dict[str, dict[str, float]]
    micro: dict[str, float]
    macro: dict[str, float]
    documents: int
    confused: list[tuple[str, str, int]] = field(default_factory=list)
    calibration: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, Metrics] = field(default_factory=dict)
    exact: float = 0.0  # the share of documents whose label set is exactly the gold one
    decisions: int = 0  # true and false positives and false negatives: 0, nothing to score

    def to_dict(self) -> dict[str, Any]:
        """``micro_f1``, ``macro_f1``, ``per_label`` and the rest, JSON-ready."""
        return {
            "micro_f1": round(self.micro["f1"], 4),
            "macro_f1": round(self.macro["f1"], 4),
            "micro": {k: round(v, 4) for k, v in self.micro.items()},
            "macro": {k: round(v, 4) for k, v in self.macro.items()},
            "documents": self.documents,
            "exact_match": round(self.exact, 4),
            "decisions": self.decisions,
            "per_label": {name: {k: (round(v, 4) if isinstance(v, float) else v)
                                 for k, v in row.items()}
                          for name, row in self.per_label.items()},
            "confused": [{"gold": a, "predicted": b, "count": n} for a, b, n in self.confused],
            **({"ece": self.calibration["_all"]["ece"],
                "calibration": self.calibration} if self.calibration else {}),
            **({"by": {k: m.to_dict() for k, m in self.groups.items()}}
               if self.groups else {}),
        }


def score_labels(gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]],
                 labels: Iterable[str] | None = None) -> Metrics:
    """Metrics of ``predicted`` label sets against ``gold`` ones. Macro averages run over
    the labels that occur in the gold sets (or ``labels`` when given)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    confused: Counter[tuple[str, str]] = Counter()
    exact = 0
    for g_raw, p_raw in zip(gold, predicted, strict=True):
        g, p = set(g_raw), set(p_raw)
        exact += g == p
        for name in g & p:
            tp[name] += 1
        for name in p - g:
            fp[name] += 1
        for name in g - p:
            fn[name] += 1
            for wrong in p - g:
                confused[(name, wrong)] += 1
    names = sorted(set(labels) if labels is not None else (set(tp) | set(fn)))
    per_label: dict[str, dict[str, float]] = {}
    for name in names:
        p_, r_, f_ = _prf(tp[name], fp[name], fn[name])
        per_label[name] = {"precision": p_, "recall": r_, "f1": f_,
                           "support": tp[name] + fn[name]}
    mp, mr, mf = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    n = len(per_label) or 1
    macro = {k: sum(row[k] for row in per_label.values()) / n
             for k in ("precision", "recall", "f1")}
    return Metrics(per_label=per_label, micro={"precision": mp, "recall": mr, "f1": mf},
                   macro=macro, documents=len(gold),
                   confused=[(a, b, c) for (a, b), c in confused.most_common(10)],
                   exact=exact / len(gold) if gold else 0.0,
                   decisions=sum(tp.values()) + sum(fp.values()) + sum(fn.values()))


def format_metrics(metrics: dict[str, Any]) -> str:
    """A readable table of a metrics dict (as :meth:`Metrics.to_dict` gives)."""
    rows = [f"{'label':<28} {'prec':>6} {'rec':>6} {'f1':>6} {'support':>8}"]
    for name, row in metrics["per_label"].items():
        rows.append(f"{name[:28]:<28} {row['precision']:>6.3f} {row['recall']:>6.3f} "
                    f"{row['f1']:>6.3f} {int(row['support']):>8}")
    for avg in ("micro", "macro"):
        row = metrics[avg]
        rows.append(f"{avg + ' avg':<28} {row['precision']:>6.3f} {row['recall']:>6.3f} "
                    f"{row['f1']:>6.3f}")
    if "ece" in metrics:
        rows.append(f"{'expected calibration error':<28} {metrics['ece']:>6.3f}")
    groups = metrics.get("by", {})
    width = max((len(value) for value in groups), default=0) + 2
    for value, group in groups.items():
        if group.get("decisions", 1) == 0:  # no label in gold or predicted: all right
            f1s = f"micro-F1 {'–':>5}  macro-F1 {'–':>5}"
        else:
            f1s = f"micro-F1 {group['micro_f1']:.3f}  macro-F1 {group['macro_f1']:.3f}"
        rows.append(f"{'  ' + value:<{width}} {f1s}  exact {group.get('exact_match', 0):.3f}"
                    f"  ({group['documents']} documents)")
    return "\n".join(rows)


def calibration(scores: Sequence[float], truth: Sequence[bool], bins: int = 10) -> dict[str, Any]:
    """Reliability of scores as probabilities: for ``bins`` equal-width score bins, the
    count, mean score and share of true labels; and the expected calibration error (the
    count-weighted mean gap between the two)."""
    rows = []
    n = len(scores)
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(s, t) for s, t in zip(scores, truth)
                  if lo <= s < hi or (b == bins - 1 and s == 1.0)]
        if not inside:
            continue
        mean = sum(s for s, _ in inside) / len(inside)
        accuracy = sum(1 for _, t in inside if t) / len(inside)
        ece += len(inside) / n * abs(mean - accuracy)
        rows.append({"lo": lo, "hi": hi, "count": len(inside), "mean_score": round(mean, 4),
                     "accuracy": round(accuracy, 4)})
    return {"ece": round(ece, 4), "bins": rows}
