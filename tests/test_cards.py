"""Story cards: facts in the table's order, evidence highlighted at its offsets with a
colour per facet and a tooltip, every piece of story text escaped."""

from __future__ import annotations

from newsclf import Document, Evidence, Label, Prediction
from newsclf.cards import card, highlighted


def _prediction(doc: Document) -> Prediction:
    start = doc.full_text.index("Japan")
    return Prediction(doc.id, (
        Label("trade", "topic", 0.9, "hybrid", (Evidence("tariffs", doc.full_text.index(
            "tariffs"), doc.full_text.index("tariffs") + 7, 1.0, "term"),)),
        Label("JP", "country", 0.8, "regions", (Evidence("Japan", start, start + 5,
                                                         kind="name"),)),
        Label("Eastern Asia", "region", 0.8, "regions"),
    ), doc.title)


def test_card_marks_evidence_and_escapes_the_story() -> None:
    doc = Document(id="x", title="<b>Tariffs</b>",
                   text="Japan raised tariffs. <script>alert(1)</script>")
    html = card(doc, _prediction(doc))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ('&lt;b&gt;<mark class="topic" title="supports topic trade">Tariffs</mark>'
            "&lt;/b&gt;") in html  # the title's evidence too
    assert '<mark class="country" title="supports country JP">Japan</mark>' in html
    assert '<mark class="topic" title="supports topic trade">tariffs</mark>' in html
    assert html.index("topics") < html.index("countries") < html.index("regions")
    assert 'data-topics="trade"' in html and 'data-countries="JP"' in html


def test_bad_or_overlapping_offsets_never_break_the_text() -> None:
    doc = Document(id="y", text="abc def ghi")
    pred = Prediction("y", (Label("a", "topic", 1.0, "t", (Evidence("abc def", 0, 7),
                                                            Evidence("def", 4, 7),
                                                            Evidence("zz", 50, 60))),))
    out = highlighted(doc.full_text, pred)
    assert out == '<mark class="topic" title="supports topic a">abc def</mark> ghi'


def test_every_occurrence_of_a_term_is_marked_title_and_teaser_too() -> None:
    doc = Document(id="z", title="Exports slump", meta={"teaser": True},
                   text="Exports fell. Chip exports fell most; re-exports and exporters did not.")
    pred = Prediction("z", (Label("trade", "topic", 0.9, "hybrid",
                                  (Evidence("exports", weight=1.0),)),), doc.title)
    html = card(doc, pred)
    marked = '<mark class="topic" title="supports topic trade">'
    assert html.count(marked) == 3  # title, "Exports", "exports"; not re-/exporters
    assert f"<h2>{marked}Exports</mark> slump" in html
    assert "re-exports" in html.replace(marked, "") and "exporters" in html
    assert '<span class="teaser"' in html
    plain = card(Document(id="p", title="T", text="x"), Prediction("p", (), "T"))
    assert '<span class="teaser"' not in plain and "overflow" not in plain
