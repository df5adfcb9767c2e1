"""Events: stories of one happening grouped across outlets and days, with stable ids,
a window that closes events, a guard against chaining, and the labels as a gate."""

from __future__ import annotations

import json

import numpy as np
import pytest

from newsclf import Document, Label
from newsclf.events import EventGrouper, EventRecord, format_events, group_events

TYPHOON = [
    ("a1", "Typhoon Maysak makes landfall in South Korea",
     "Typhoon Maysak made landfall near Busan on Thursday, knocking out power to 120,000 "
     "homes. The Korea Meteorological Administration said winds reached 150 km/h."),
    ("b1", "Busan battered as Maysak hits Korea's south coast",
     "Maysak slammed into the port city of Busan, the Korea Meteorological Administration "
     "reported, leaving 120,000 households without electricity and flights cancelled."),
]
OTHER = [
    ("c1", "Nvidia results beat forecasts on data-centre demand",
     "Nvidia reported quarterly revenue above analysts' estimates as sales of its chips "
     "to data centres grew for a sixth quarter."),
    ("d1", "Spain's wildfires force thousands from their homes",
     "Firefighters battled blazes near Madrid as a heatwave pushed temperatures above 44C "
     "and the government sent in the army's emergency unit."),
]


def docs(rows: list[tuple[str, str, str]], **extra: str) -> list[Document]:
    return [Document(id=i, title=t, text=x, **extra) for i, t, x in rows]


def events_of(documents: list[Document], batch_size: int = 256, **params: object
              ) -> dict[str, str]:
    return {doc.id: found.event
            for doc, found in group_events(documents, batch_size=batch_size, **params)}


def test_reports_of_one_event_join_and_others_stay_apart() -> None:
    found = events_of(docs(TYPHOON + OTHER))
    assert found == {"a1": "a1", "b1": "a1", "c1": "c1", "d1": "d1"}


def test_ids_are_the_same_on_a_rerun_and_with_stories_appended() -> None:
    stream = docs(TYPHOON + OTHER) * 1
    first = events_of(stream)
    assert events_of(stream) == first
    more = [Document(id=f"x{k}", title=f"Story {k} about {w}", text=f"{w} news number {k}.")
            for k, w in enumerate(["Lisbon trams", "Oslo budget", "Busan port"] * 30)]
    longer = events_of(stream + more, batch_size=7)  # other batch boundaries too
    assert {k: longer[k] for k in first} == first


class Vectors:
    """An embedder giving each text the vector its first word names (tests choose the
    geometry)."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def encode(self, texts: list[str], batch_independent: bool = False) -> np.ndarray:
        return np.asarray([self.table[t.split()[0].rstrip(".")] for t in texts],
                          dtype=np.float32)


def at(degrees: float) -> list[float]:
    return [float(np.cos(np.radians(degrees))), float(np.sin(np.radians(degrees))), 0.0]


def geometric(**params: object) -> EventGrouper:
    table = {"A": at(0), "B": at(40), "C": at(80), "D": at(0), "E": at(0)}
    return EventGrouper(embedder=Vectors(table), background=np.zeros(3, np.float32),
                        similarity=0.75, **params)  # type: ignore[arg-type]


def test_a_story_joins_an_event_by_its_centre_not_by_its_nearest_member() -> None:
    # B is 40° from A and joins it; C is 40° from B but 80° from A: a chain of nearest
    # members would take it in, the event's centre (mean cosine 0.47) does not
    grouper = geometric()
    found = grouper.add_batch(docs([(k, k, "") for k in "ABC"]))
    assert [f.event for f in found] == ["A", "A", "C"]
    assert found[1].similarity == pytest.approx(np.cos(np.radians(40)), abs=1e-6)


def test_the_labels_keep_apart_stories_of_other_countries_and_topics() -> None:
    def labels(country: str, topic: str) -> list[Label]:
        return [Label(country, "country", 0.9), Label(topic, "topic", 0.9)]

    stream = docs([("D", "D", ""), ("E", "E", ""), ("A", "A", "")])
    found = geometric().add_batch(stream, [labels("FR", "trade"), labels("JP", "security"),
                                           labels("FR", "economy")])
    assert [f.event for f in found] == ["D", "E", "D"]  # same vector, E gated out
    found = geometric(gate=False).add_batch(stream, [labels("FR", "trade"),
                                                     labels("JP", "security"), []])
    assert [f.event for f in found] == ["D", "D", "D"]


def test_events_close_when_they_fall_out_of_the_window() -> None:
    closed: list[EventRecord] = []
    grouper = geometric(window=86400.0, on_close=closed.append)
    day = [Document(id="D", title="D", text="", published="2026-03-01T08:00:00Z"),
           Document(id="E", title="E", text="", published="2026-03-01T20:00:00Z")]
    later = [Document(id="A", title="A", text="", published="2026-03-04T08:00:00Z")]
    assert [f.event for f in grouper.add_batch(day)] == ["D", "D"]
    assert [f.event for f in grouper.add_batch(later)] == ["A"]  # D closed: 3 days
    assert [r.id for r in closed] == ["D"] and closed[0].stories == 2
    assert closed[0].to_dict()["first"] == "2026-03-01T08:00:00Z"
    assert closed[0].to_dict()["last"] == "2026-03-01T20:00:00Z"
    grouper.close()
    assert [r.id for r in closed] == ["D", "A"]


def test_memory_is_bounded_by_the_window_not_the_stream() -> None:
    table = {f"S{k}": at(k * 7 % 360) for k in range(52)}
    grouper = EventGrouper(embedder=Vectors(table), background=np.zeros(3, np.float32),
                           window_stories=20)
    for start in range(0, 2000, 50):
        grouper.add_batch([Document(id=f"n{start + k}", title=f"S{(start + k) % 52}",
                                    text="") for k in range(50)])
        assert len(grouper._events) <= 21 and len(grouper._recent) <= 20
        assert len(grouper._story_event) <= 20


def test_an_empty_story_is_its_own_event_and_breaks_nothing() -> None:
    stream = [*docs(TYPHOON[:1]), Document(id="e", title="", text=""), *docs(TYPHOON[1:])]
    assert events_of(stream) == {"a1": "a1", "e": "e", "b1": "a1"}


def test_copies_join_their_story_s_event_at_once() -> None:
    pytest.importorskip("datasketch")
    wire = docs(OTHER[:1])[0]
    copy = Document(id="c2", title="Nvidia beats forecasts | Markets",
                    text=wire.text + " Read more: top stories")
    assert events_of([wire, copy], copies=True) == {"c1": "c1", "c2": "c1"}


def test_an_event_record_says_what_its_stories_say() -> None:
    closed: list[EventRecord] = []
    stream = [Document(id=i, title=t, text=x, url=f"https://{o}/story")
              for (i, t, x), o in zip(TYPHOON, ["a.example", "www.b.example"])]
    labels = [[Label("KR", "country", 0.9)], [Label("KR", "country", 0.8)]]
    list(group_events(stream, labels=lambda batch: labels[: len(batch)],
                      on_close=closed.append))
    record = closed[0].to_dict()
    assert record["id"] == "a1" and record["stories"] == 2
    assert record["outlets"] == {"a.example": 1, "b.example": 1}
    assert record["countries"] == {"KR": 2} and record["topics"] == {}
    assert record["title"] in {t for _, t, _ in TYPHOON} and record["first"] is None


def test_format_events_gives_each_event_its_timeline() -> None:
    lines = list(format_events(group_events(docs(TYPHOON + OTHER))))
    assert lines[0] == "event a1 (2 stories, 1 outlet(s))"
    assert lines[1].strip().endswith(TYPHOON[0][1]) and lines[2].strip().endswith(TYPHOON[1][1])
    assert lines[-1] == "4 stories: 1 event(s) of two or more (2 stories), 2 alone"


def test_records_are_json() -> None:
    closed: list[EventRecord] = []
    list(group_events(docs(TYPHOON), on_close=closed.append))
    assert json.loads(json.dumps(closed[0].to_dict()))["central"] in {"a1", "b1"}


# -- the command line ---------------------------------------------------------------------

@pytest.fixture()
def stream(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "stream.jsonl"
    rows = [{"id": i, "title": t, "text": x, "published": f"2026-09-0{k + 1}T08:00:00Z",
             "url": f"https://outlet{k}.example/{i}"}
            for k, (i, t, x) in enumerate(TYPHOON + OTHER)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "not json\n")
    return path


def test_events_command_lines_summary_and_table(stream) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from newsclf.cli import cli

    runner = CliRunner()
    bad = runner.invoke(cli, ["events", str(stream)])
    assert bad.exit_code == 2 and "stream.jsonl:5: malformed JSON" in bad.output
    result = runner.invoke(cli, ["events", str(stream), "--skip-errors"])
    assert result.exit_code == 3
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["event"]) for r in lines] == [("a1", "a1"), ("b1", "a1"),
                                                       ("c1", "c1"), ("d1", "d1")]
    summary = runner.invoke(cli, ["events", str(stream), "--summary", "--no-labels",
                                  "--skip-errors"])
    records = [json.loads(line) for line in summary.stdout.splitlines()]
    assert [(r["id"], r["stories"]) for r in records] == [("a1", 2), ("c1", 1), ("d1", 1)]
    assert records[0]["outlets"] == {"outlet0.example": 1, "outlet1.example": 1}
    assert records[0]["last"] == "2026-09-02T08:00:00Z"
    apart = runner.invoke(cli, ["events", str(stream), "--window", "12h", "--skip-errors"])
    assert [json.loads(line)["event"] for line in apart.stdout.splitlines()][:2] == \
        ["a1", "b1"]  # a day apart: the first event had closed
    table = runner.invoke(cli, ["events", str(stream), "--format", "table", "--skip-errors"])
    assert table.stdout.splitlines()[0] == "event a1 (2 stories, 2 outlet(s))"
    assert "2026-09-01 outlet0.example" in table.stdout
    copies = runner.invoke(cli, ["events", str(stream), "--copies", "--skip-errors"])
    assert copies.stdout == result.stdout
    wrong = runner.invoke(cli, ["events", str(stream), "--window", "soon"])
    assert wrong.exit_code == 2 and "--window 'soon'" in wrong.output


def test_predict_events_and_a_show_page_grouped_by_event(stream, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from newsclf.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["predict", str(stream), "--events", "--skip-errors"])
    assert result.exit_code == 3
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["event"] for r in rows] == ["a1", "a1", "c1", "d1"]
    assert all(r["labels"] for r in rows[:2])
    good = tmp_path / "good.jsonl"
    good.write_text("".join(stream.read_text().splitlines(keepends=True)[:4]))
    page = tmp_path / "page.html"
    shown = runner.invoke(cli, ["show", str(good), "-o", str(page)])
    assert shown.exit_code == 0, shown.output
    html = page.read_text()
    assert html.count('<section class="event">') == 1
    block = html.split('<section class="event">')[1].split("</section>")[0]
    assert "One event: 2 stories, 2 outlet(s)" in block and block.count('class="card"') == 2
    flat = runner.invoke(cli, ["show", str(good), "-o", str(page), "--no-events"])
    assert flat.exit_code == 0 and '<section class="event">' not in page.read_text()
