"""The ``keywords`` classifier: topic rules from a TOML file that users edit.

The rules file format is documented at the top of ``newsclf/data/topics.toml`` (the
default taxonomy's rules). All terms of all labels go into one Aho-Corasick automaton
and all regular expressions into one compiled pattern, so the cost grows with the text,
not with the number of rules. Works with no training data at all.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..estimator import EstimatorMixin
from ..tomlfile import read_toml
from ..types import Document, Evidence, Label

__all__ = ["KeywordClassifier", "RuleSet", "load_rules"]

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "data" / "topics.toml"
_TERM = re.compile(r"^(?P<term>.+?)(?:\^(?P<weight>-?\d+(?:\.\d+)?))?$")


@dataclass(frozen=True)
class Rule:
    """One label's rules."""

    label: str
    description: str
    terms: dict[str, float]
    negative: dict[str, float]
    patterns: tuple[str, ...]
    min_score: float


def _inflections(term: str) -> set[str]:
    """The term and its plural and possessive forms."""
    forms = {term}
    last = term.split()[-1] if term.split() else term
    if last.isalpha() and len(last) > 2 and not last.isupper():
        stem = term[: len(term) - len(last)]
        if last.endswith("y") and last[-2] not in "aeiou":
            forms.add(stem + last[:-1] + "ies")
        elif last.endswith(("s", "x", "z", "ch", "sh")):
            forms.add(stem + last + "es")
        else:
            forms.add(stem + last + "s")
    forms |= {f + "'s" for f in list(forms)} | {f + "’s" for f in list(forms)}
    return forms


def _case_sensitive(term: str) -> bool:
    return len(term) <= 4 and any(c.isupper() for c in term)


def _weighted(values: Any, where: str) -> dict[str, float]:
    if values is None:
        return {}
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: must be a list of strings")
    out: dict[str, float] = {}
    for raw in values:
        m = _TERM.match(raw.strip())
        if not m or not m.group("term").strip():
            raise ConfigError(f"{where}: empty term {raw!r}")
        out[m.group("term").strip()] = float(m.group("weight") or 1.0)
    return out


@dataclass
class RuleSet:
    """Compiled rules: one automaton for every term, one pattern for every regex."""

    rules: dict[str, Rule]
    source: str

    def __post_init__(self) -> None:
        import ahocorasick

        self._auto = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, str, float, bool, bool]]] = defaultdict(list)
        for rule in self.rules.values():
            for table, negative in ((rule.terms, False), (rule.negative, True)):
                for term, weight in table.items():
                    cs = _case_sensitive(term)
                    for form in _inflections(term):
                        entries[form.lower()].append((rule.label, term, weight, negative,
                                                      cs and form))  # type: ignore[arg-type]
        for key, value in entries.items():
            self._auto.add_word(key, (len(key), value))
        if entries:
            self._auto.make_automaton()
        groups = []
        self._group_label: dict[str, str] = {}
        for rule in self.rules.values():
            for pattern in rule.patterns:
                name = f"r{len(self._group_label)}"
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ConfigError(f"{self.source}: [labels.{rule.label}] pattern "
                                      f"{pattern!r}: {exc}") from None
                groups.append(f"(?P<{name}>{pattern})")
                self._group_label[name] = rule.label
        self._pattern = re.compile("|".join(groups), re.IGNORECASE) if groups else None
        self._has_terms = bool(entries)

    def to_state(self) -> dict[str, Any]:
        """The rules as plain data (what a model file stores)."""
        return {"source": self.source,
                "rules": {name: asdict(rule) for name, rule in self.rules.items()}}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> RuleSet:
        rules = {name: Rule(**{**body, "patterns": tuple(body["patterns"])})
                 for name, body in state["rules"].items()}
        return cls(rules, state["source"])

    def __getstate__(self) -> dict[str, Any]:
        return self.to_state()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(self.from_state(state).__dict__)

    def matches(self, text: str) -> list[tuple[str, str, float, int, int, str]]:
        """(label, term, weight, start, end, kind) for every match in ``text``."""
        out: list[tuple[str, str, float, int, int, str]] = []
        if self._has_terms:
            lowered = text.lower()
            if len(lowered) != len(text):
                lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
            n = len(text)
            for end_idx, (length, entries) in self._auto.iter(lowered):
                start, end = end_idx - length + 1, end_idx + 1
                if (start > 0 and text[start - 1].isalnum()) or \
                        (end < n and text[end].isalnum()):
                    continue
                span = text[start:end]
                for label, term, weight, negative, cs_form in entries:
                    if cs_form and span != cs_form:
                        continue
                    out.append((label, term, -weight if negative else weight, start, end,
                                "negative" if negative else "term"))
        if self._pattern is not None:
            for m in self._pattern.finditer(text):
                name = m.lastgroup
                if name:
                    out.append((self._group_label[name], m.group(0)[:80], 2.0, m.start(),
                                m.end(), "pattern"))
        return out


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Read and check a rules file (the default taxonomy's when ``path`` is None)."""
    source = Path(path) if path else DEFAULT_RULES
    data = read_toml(source)
    labels = data.get("labels")
    if not isinstance(labels, dict) or not labels:
        raise ConfigError(f"{source}: no [labels.NAME] tables")
    rules: dict[str, Rule] = {}
    known = {"description", "terms", "patterns", "negative", "min_score"}
    for name, body in labels.items():
        where = f"{source}: [labels.{name}]"
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: must be a table")
        unknown = set(body) - known
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                              f"(known: {', '.join(sorted(known))})")
        patterns = body.get("patterns", [])
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise ConfigError(f"{where}: patterns must be a list of strings")
        min_score = body.get("min_score", 3)
        if not isinstance(min_score, (int, float)) or min_score <= 0:
            raise ConfigError(f"{where}: min_score must be a positive number")
        rules[name] = Rule(name, str(body.get("description", "")),
                           _weighted(body.get("terms"), f"{where} terms"),
                           _weighted(body.get("negative"), f"{where} negative"),
                           tuple(patterns), float(min_score))
    return RuleSet(rules, str(source))


class KeywordClassifier(EstimatorMixin):
    """Topic labels from keyword rules (see the module doc and ``data/topics.toml``).

    A label's raw score is the sum over its matched terms of weight × (1 + log count),
    the title counting ``title_weight`` times, minus its negative terms. The label is
    given when the raw score reaches the rule's ``min_score``; its score in [0, 1] is
    ``raw / (raw + min_score)`` (0.5 at the minimum). Nothing is learned: ``fit`` reads
    and checks the rules file (``ruleset_``), which is what a saved model keeps.
    """

    name = "keywords"
    facet = "topic"
    trainable = False

    def __init__(self, *, rules: str | None = None, title_weight: float = 2.0,
                 facet: str = "topic") -> None:
        self.rules = rules
        self.title_weight = title_weight
        self.facet = facet

    def _rules(self) -> RuleSet:
        """The rules in use: those ``fit`` read, else the file's (read once)."""
        fitted: RuleSet | None = self.__dict__.get("ruleset_")
        return fitted if fitted is not None else self._cached("rules",
                                                              lambda: load_rules(self.rules))

    @property
    def labels(self) -> list[str]:
        """The label names, in the rules file's order."""
        return list(self._rules().rules)

    def fit(self, documents: Sequence[Document] = (),
            labels: Sequence[Sequence[str]] = ()) -> KeywordClassifier:
        """Nothing to learn: reads and checks the rules (``ruleset_``). Returns ``self``."""
        self.ruleset_ = load_rules(self.rules)
        return self

    def fitted_state(self) -> dict[str, Any]:
        return {"ruleset_": self._rules().to_state()}

    def load_fitted_state(self, state: dict[str, Any]) -> None:
        self.ruleset_ = RuleSet.from_state(state["ruleset_"])

    def raw_scores(self, document: Document) -> tuple[dict[str, float], dict[str, list[Evidence]]]:
        """Each label's raw rule score and the matches behind it."""
        text = document.full_text
        body_start = document.body_start
        counts: dict[tuple[str, str], list[tuple[float, int, int, str, bool]]] = defaultdict(list)
        for label, term, weight, start, end, kind in self._rules().matches(text):
            counts[(label, term)].append((weight, start, end, kind, start < body_start))
        raw: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[Evidence]] = defaultdict(list)
        for (label, _term), hits in counts.items():
            weight = hits[0][0]
            n_title = sum(1 for h in hits if h[4])
            n = len(hits) - n_title + self.title_weight * n_title
            contribution = weight * (1 + math.log(n)) if n >= 1 else weight * n
            raw[label] += contribution
            _, start, end, kind, _ = hits[0]
            evidence[label].append(Evidence(text[start:end], start, end, contribution, kind))
        return dict(raw), dict(evidence)

    def _labels(self, document: Document) -> list[Label]:
        raw, evidence = self.raw_scores(document)
        rules = self._rules().rules
        out = []
        for label, score in sorted(raw.items(), key=lambda kv: -kv[1]):
            rule = rules[label]
            if score < rule.min_score:
                continue
            ev = sorted(evidence[label], key=lambda e: -(e.weight or 0))
            out.append(Label(label, self.facet, score / (score + rule.min_score), self.name,
                             tuple(ev[:10])))
        return out

    def predict(self, documents: Sequence[Document]) -> list[list[Label]]:
        """Labels whose rules reach their minimum score, with the matched terms."""
        return [self._labels(doc) for doc in documents]

    def explain(self, document: Document) -> list[Label]:
        """The same labels with the matched terms as evidence."""
        return self._labels(document)

    def scores(self, documents: Sequence[Document]) -> Any:
        """Raw rule scores over each rule's minimum (n × labels, in the order of
        :attr:`labels`), for combining with other features."""
        import numpy as np

        rules = self._rules().rules
        index = {name: j for j, name in enumerate(rules)}
        out = np.zeros((len(documents), len(rules)))
        for i, doc in enumerate(documents):
            for label, score in self.raw_scores(doc)[0].items():
                out[i, index[label]] = score / rules[label].min_score
        return out
