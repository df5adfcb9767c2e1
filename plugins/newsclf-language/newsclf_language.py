"""newsclf-language: which language a story is written in, as labels of facet
``language`` (ISO 639-1), from the share of each language's most common words.

A third-party newsclf plugin: one module, one entry point. It registers a classifier
(``language``) and a command (``newsclf languages``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import click

import newsclf
from newsclf.typing import RegisterClassifier

__version__ = "0.1.0"

# The most frequent function words of each language: short, closed-class, and rarely
# shared, so their share in a text tells the language apart.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is that for it was on with as by at from this be are".split()),
    "fr": frozenset(
        "le la les des et est une un du dans que pour qui sur pas au avec ce".split()),
    "de": frozenset(
        "der die und das ist nicht ein eine zu den mit von sich auf für im dem".split()),
    "es": frozenset(
        "el la los las y de que en es por una un con para se del al como".split()),
    "it": frozenset(
        "il lo la gli le di che è per una un con non sono del della nel al".split()),
    "pt": frozenset(
        "o a os as de que e do da em um uma para com não no na por se".split()),
    "nl": frozenset(
        "de het een en van dat is niet op te zijn met voor die ook als aan".split()),
}
_WORD = re.compile(r"[^\W\d_]+")


class LanguageClassifier(newsclf.EstimatorMixin):
    """Labels a story with its language when enough of its words are that language's
    function words (``min_share``); the score is the winning language's share of all
    function-word hits. Nothing to train. (``EstimatorMixin`` gives it scikit-learn's
    ``get_params``/``set_params``/tags and what a model file stores of it.)"""

    name = "language"
    facet = "language"
    trainable = False

    def __init__(self, *, min_share: float = 0.4, min_hits: int = 3) -> None:
        self.min_share = min_share
        self.min_hits = min_hits

    def fit(self, documents: Sequence[newsclf.Document] = (),
            labels: Sequence[Sequence[str]] = ()) -> LanguageClassifier:
        return self

    def _label(self, doc: newsclf.Document) -> list[newsclf.Label]:
        words = _WORD.findall(doc.full_text.lower())
        hits = Counter({lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()})
        total = sum(hits.values())
        if not total:
            return []
        lang, n = hits.most_common(1)[0]
        share = n / total
        if n < self.min_hits or share < self.min_share:
            return []
        return [newsclf.Label(lang, self.facet, share, self.name)]

    def predict(self, documents: Sequence[newsclf.Document]) -> list[list[newsclf.Label]]:
        return [self._label(doc) for doc in documents]


@newsclf.hookimpl
def newsclf_register_classifiers(register: RegisterClassifier) -> None:
    register("language", LanguageClassifier)


@newsclf.hookimpl
def newsclf_register_commands(cli: click.Group) -> None:
    @cli.command(name="languages")
    def languages() -> None:
        """The languages the language classifier knows."""
        for code in sorted(STOPWORDS):
            click.echo(code)
