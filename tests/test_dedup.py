"""Near-duplicate grouping: each kind of copy joins its story's group, distinct stories on
the same topic stay apart, input order is kept, and the window bounds memory."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("datasketch", reason="dedup needs datasketch")

from newsclf import Document
from newsclf.dedup import Deduplicator, group_duplicates

STORY = ("Japan's exports rose more than expected in October, driven by strong demand from "
         "China and other parts of Asia, despite growing uncertainties in global markets. "
         "Exports increased by 3.1% year-on-year, led by significant growth in shipments of "
         "chip-making equipment, according to the Finance Ministry's report on Wednesday. "
         "Imports edged up by 0.4%, defying expectations of a 1.9% decline. The trade "
         "deficit widened to 461.2 billion yen, compared with 294.1 billion yen a month "
         "earlier. Economists said the yen's weakness helped exporters through the quarter.")
OTHER = ("South Korea's exports fell for a second month in November as shipments of "
         "semiconductors to China slowed, the trade ministry said on Friday, adding that "
         "car exports to the United States held up. Imports dropped 5% and the trade "
         "balance swung to a surplus of 3.2 billion dollars, the largest since the spring, "
         "while officials warned that tariffs could weigh on the outlook next year.")


@pytest.mark.parametrize("copy", [
    Document(id="chrome", title="Japan exports",
             text="Home | World | Business\nAdvertisement\n" + STORY +
                  "\n(Reporting by Jane Doe; Editing by John Smith)"),
    Document(id="title", title="UPDATE 1-Japan's exports jump | Reuters", text=STORY),
    Document(id="teaser", title="Japan exports", text=STORY[:230] + " Continue reading"),
    Document(id="edit", title="Japan exports", text=STORY.replace("Wednesday", "Thursday")
             .replace("strong", "robust") + " This story has been updated."),
])
def test_each_kind_of_copy_joins_its_group(copy: Document) -> None:
    original = Document(id="orig", title="Japan's exports rise", text=STORY)
    result = list(group_duplicates([original, Document(id="kr", text=OTHER), copy]))
    assert [(d.id, g) for d, g, _ in result] == [("orig", "orig"), ("kr", "kr"),
                                                  (copy.id, "orig")]
    assert 0.5 <= result[2][2] <= 1.0


def test_a_teaser_first_then_the_full_story() -> None:
    teaser = Document(id="t", text=STORY[:230])
    full = Document(id="f", text=STORY)
    assert [g for _, g, _ in group_duplicates([teaser, full])] == ["t", "t"]


NAMES = ("Total futures and options turnover on the London International Financial "
         "Futures Exchange (LIFFE) fell 12 pct in February from January, the exchange "
         "said, as trading in the long gilt contract slowed after the budget. Volume "
         "in the short sterling contract rose, while the FTSE 100 index future was "
         "little changed, officials said, adding that new contracts would start soon.")


@pytest.mark.parametrize("story, teaser", [
    # two wrapped lines of a wire story and a link: no sentence end, twelve words
    (STORY, "Japan's exports rose more than expected in October,\n"
            "driven by strong demand from\nContinue reading"),
    # the same, full of names: half its words capitalised
    (NAMES, "Total futures and options turnover on the\nLondon "
            "International Financial Futures Exchange (LIFFE) fell\nContinue reading"),
])
def test_a_short_teaser_cut_mid_sentence_joins_its_story(story: str, teaser: str) -> None:
    docs = [Document(id="f", text=story), Document(id="kr", text=OTHER),
            Document(id="t", text=teaser)]
    assert [g for _, g, _ in group_duplicates(docs)] == ["f", "kr", "f"]


def test_a_menu_contained_in_a_page_is_not_a_teaser_of_it() -> None:
    menu = ("Home World Business Markets Technology Science Health Sports Opinion Video "
            "Podcasts Newsletters Events Jobs Contact About Subscribe Sign In")
    docs = [Document(id="menu", text=menu), Document(id="page", text=menu + " " + STORY)]
    assert [g for _, g, _ in group_duplicates(docs)] == ["menu", "page"]


def test_two_stories_sharing_a_short_text_do_not_join_through_it() -> None:
    # a site's standard opening paragraph, alone (a teaser of any of its pages), then
    # two different pages that open with it: each contains it, but they are not copies
    opening = ("Our process: our recommendations are based on many hours of testing, "
               "research and comparison shopping, and on what customers tell us.")
    docs = [Document(id="t", text=opening), Document(id="a", text=opening + " " + STORY),
            Document(id="b", text=opening + " " + OTHER)]
    groups = [g for _, g, _ in group_duplicates(docs)]
    assert groups[1] == "t" and groups[2] != "t"


def test_distinct_stories_on_one_topic_stay_apart() -> None:
    docs = [Document(id="a", text=STORY), Document(id="b", text=OTHER)]
    assert [(g, s) for _, g, s in group_duplicates(docs)] == [("a", 1.0), ("b", 1.0)]


def test_window_bounds_memory_and_order_is_kept() -> None:
    dedup = Deduplicator(window=3)
    # the copies differ by a word (a figure would make them templated stories)
    docs = [Document(id=f"d{i}", text=f"{OTHER} Story {word} of the day.")
            for i, word in enumerate("one two three four five six".split())]
    groups = [dedup.add(d)[0] for d in docs]
    assert groups == ["d0"] * 6 and len(dedup._sets) == 3
    late = dedup.add(Document(id="x", text=STORY))
    assert late == ("x", 1.0)


def write_stream(folder: Path) -> Path:
    """A story, another, and a copy of the first with a wire title: a JSONL file."""
    import json

    data = folder / "d.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "a", "title": "Japan exports", "text": STORY},
        {"id": "b", "text": OTHER},
        {"id": "c", "title": "UPDATE 1-Japan exports | Reuters", "text": STORY}]))
    return data


def test_cli_dedup_and_drop(tmp_path: object) -> None:
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from newsclf.cli import cli

    data = write_stream(Path(str(tmp_path)))
    result = CliRunner().invoke(cli, ["dedup", str(data)])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["id"], r["group"]) for r in rows] == [("a", "a"), ("b", "b"), ("c", "a")]
    assert rows[2]["similarity"] == 1.0 and rows[0]["title"] == "Japan exports"
    dropped = CliRunner().invoke(cli, ["dedup", str(data), "--drop"])
    assert [json.loads(x)["id"] for x in dropped.output.splitlines()] == ["a", "b"]
    in_workers = CliRunner().invoke(cli, ["dedup", str(data), "--jobs", "2"])
    assert in_workers.exit_code == 0 and in_workers.output == result.output


def test_worker_processes_give_the_same_groups() -> None:
    # texts read in 2 processes, batches of 3: each kind of copy, distinct stories
    docs = [Document(id=f"s{i}", text=f"{OTHER} Then the {w} committee met.")
            for i, w in enumerate("budget trade farm energy".split())]
    docs += [Document(id="orig", text=STORY), Document(id="t", text=STORY[:230]),
             Document(id="e", text=STORY.replace("strong", "robust"))]
    one = [(d.id, g, s) for d, g, s in group_duplicates(docs)]
    two = [(d.id, g, s) for d, g, s in group_duplicates(docs, jobs=2, batch_size=3)]
    assert one == two and [g for _, g, _ in two][-3:] == ["orig", "orig", "orig"]


def test_site_chrome_is_learned_and_left_out() -> None:
    nav = ("Artificial Intelligence View All Machine Learning Data Labelling Security View "
           "All Network Security Cloud Storage Data Infrastructure Newsletters Events "
           "Podcasts Jobs About Contact Subscribe Follow us on social media today ")
    topics = ["central bank raised rates", "striker scored twice in the final",
              "drought hit the wheat harvest", "chip maker opened a factory",
              "senate passed the budget bill", "storm closed the port for days",
              "startup raised fresh funding", "court blocked the merger deal"]
    pages = [Document(id="nav", text=nav * 2)] + [
        Document(id=f"p{i}", text=nav * 2 + f"In other news the {t}, officials said on "
                 f"Monday, adding that more details about why the {t} would follow soon.")
        for i, t in enumerate(topics)]
    groups = [g for _, g, _ in group_duplicates(pages, chrome_min=3, chrome_share=0.0)]
    # once the menu has been seen on three pages it is chrome: later pages stand alone
    assert groups[-4:] == ["p4", "p5", "p6", "p7"]


def test_predict_dedup_adds_the_group(tmp_path: object) -> None:
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from newsclf.cli import cli

    data = write_stream(Path(str(tmp_path)))
    result = CliRunner().invoke(cli, ["predict", str(data), "--classifier", "regions",
                                      "--dedup", "--batch-size", "2"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["id"], r["group"]) for r in rows] == [("a", "a"), ("b", "b"), ("c", "a")]
    assert list(rows[0]) == ["id", "title", "group", "labels"]


def test_time_window_from_published_dates() -> None:
    dedup = Deduplicator(max_age=3 * 86400)
    first = Document(id="a", text=STORY, published="2026-11-02T08:00:00Z")
    rerun = Document(id="b", text=STORY, published="Mon, 30 Nov 2026 09:00:00 +0000")
    same_week = Document(id="c", text=STORY, published="2026-12-01")
    undated = Document(id="d", text=STORY)
    assert dedup.add(first)[0] == "a"
    assert dedup.add(rerun)[0] == "b"  # four weeks later: news again, and "a" forgotten
    assert "a" not in dedup._sets
    assert dedup.add(same_week)[0] == "b"
    assert dedup.add(undated)[0] == "b"  # no date: compared by text alone


def test_published_time_reads_iso_and_rss_dates() -> None:
    from newsclf.dedup import published_time

    assert published_time("2026-11-02T08:00:00Z") == published_time(
        "Mon, 02 Nov 2026 08:00:00 GMT")
    assert published_time("2026-11-02") == published_time("2026-11-02T00:00:00+00:00")
    assert published_time("last Tuesday") is None and published_time(None) is None


def test_cli_table_and_max_age(tmp_path: object) -> None:
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from newsclf.cli import cli

    data = Path(str(tmp_path)) / "s.jsonl"
    rows = [{"id": "orig", "title": "Japan's exports rise", "text": STORY},
            {"id": "kr", "title": "Korea's exports fall", "text": OTHER},
            {"id": "copy", "title": "UPDATE 1-Japan's exports jump | Reuters", "text": STORY}]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = CliRunner().invoke(cli, ["dedup", str(data), "--format", "table"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == "group orig (2 stories)"
    assert lines[1].split()[:2] == ["orig", "1.000"] and lines[2].split()[0] == "copy"
    assert lines[-1] == "3 stories: 1 group(s) with copies (2 stories), 1 alone"
    bad = CliRunner().invoke(cli, ["dedup", str(data), "--max-age", "soon"])
    assert bad.exit_code == 2 and "expected a duration such as 72h" in bad.output
    ok = CliRunner().invoke(cli, ["dedup", str(data), "--max-age", "72h"])
    assert ok.exit_code == 0 and len(ok.stdout.splitlines()) == 3


def test_templated_stories_with_other_figures_stay_apart() -> None:
    template = ("{co} Inc said first quarter net profit rose to {a} mln dlrs, or {b} cts a "
                "share, from {c} mln dlrs, or {d} cts, a year earlier. Revenues rose to {e} "
                "mln dlrs from {f} mln dlrs. The company said it expects the second quarter "
                "to show further gains as demand for its products remains strong across its "
                "markets and costs fall. It said its board would meet later this month to "
                "consider the dividend.")
    one = Document(id="one", text=template.format(co="Acme", a="12.1", b="45", c="10.3",
                                                  d="39", e="310", f="280"))
    two = Document(id="two", text=template.format(co="Bolt", a="3.4", b="12", c="2.9",
                                                  d="10", e="88", f="75"))
    copy = Document(id="copy", text=one.text.replace("strong", "robust"))
    assert [g for _, g, _ in group_duplicates([one, two, copy])] == ["one", "two", "one"]


def test_groups_are_the_same_in_every_process() -> None:
    import os
    import subprocess
    import sys

    code = ("from newsclf.dedup import _shingles; import sys; "
            "sys.stdout.write(','.join(map(str, _shingles(sys.argv[1].split(), 5))))")
    runs = {subprocess.run([sys.executable, "-c", code, STORY], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1 and runs.pop().count(",") > 50


def test_empty_stories_stand_alone_and_bad_lines_are_skipped_and_counted(
        tmp_path: object) -> None:
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from newsclf.cli import cli

    data = Path(str(tmp_path)) / "d.jsonl"
    data.write_text(json.dumps({"id": "a", "text": STORY}) + "\n{bad\n"
                    + json.dumps({"id": "e1", "text": ""}) + "\n"
                    + json.dumps({"id": "e2", "title": "", "text": " "}) + "\n"
                    + json.dumps({"id": "c", "text": STORY}) + "\n")
    stopped = CliRunner().invoke(cli, ["dedup", str(data)])
    assert stopped.exit_code == 2 and f"{data}:2: malformed JSON" in stopped.output
    result = CliRunner().invoke(cli, ["dedup", str(data), "--skip-errors"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["group"]) for r in rows] == [
        ("a", "a"), ("e1", "e1"), ("e2", "e2"), ("c", "a")]
    assert result.exit_code == 3
    assert "2 record(s) had neither title nor text" in result.stderr
    assert "1 unreadable record(s) skipped" in result.stderr


@pytest.mark.parametrize("command", [["dedup"], ["predict", "--classifier", "keywords",
                                                  "--dedup"]])
def test_without_the_dedup_extra_a_one_line_error(command: list[str], tmp_path: object,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    from pathlib import Path

    from click.testing import CliRunner

    from newsclf.cli import cli

    monkeypatch.setitem(sys.modules, "datasketch", None)  # import datasketch fails
    data = write_stream(Path(str(tmp_path)))
    result = CliRunner().invoke(cli, [*command, str(data)])
    assert result.exit_code == 2
    assert "needs the dedup extra: pip install 'newsclf[dedup]'" in result.output
    assert "Traceback" not in result.output and result.stdout == ""
