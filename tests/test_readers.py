"""Readers: scraped pages split into clean stories (seed pages against hand-checked gold,
and pages built here in the same layouts with other sites and stories), records, HTML,
folders, globs, stdin, encodings and the errors on bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclf import InputError
from newsclf.readers import read_inputs
from newsclf.readers.decoding import decode_bytes, repair_residue
from newsclf.readers.pages import is_chrome, split_page

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((Path(__file__).parent / "data" / "seed_gold.json").read_text())
CHROME_WORDS = ["Continue Reading", "Connect with us", "MOST READ", "Hashtags", "Comments",
                "Related Articles", "Try Our AI Features", "No comments yet...", "Published"]


def test_seed_pages_give_every_story_once_with_gold_titles_and_bodies() -> None:
    docs = list(read_inputs([ROOT / "seeds"]))
    assert [(d.meta["page"], d.title) for d in docs] == [(g["page"], g["title"]) for g in GOLD]
    for doc, gold in zip(docs, GOLD):
        paragraphs = doc.text.split("\n\n")
        assert paragraphs[0].startswith(gold["first"]), doc.title
        assert paragraphs[-1].endswith(gold["last"]), doc.title
        assert len(paragraphs) == gold["paragraphs"], doc.title
        assert doc.source == gold["source"]
        assert bool(doc.meta.get("teaser")) == gold["teaser"]
        for line in paragraphs:
            assert not is_chrome(line), (doc.title, line)
            assert "&nbsp" not in line and "&amp," not in line
    full = [d for d in docs if not d.meta.get("teaser")]
    assert len(full) == 17


def test_subheadings_stay_inside_their_story() -> None:
    docs = {d.title: d for d in read_inputs([ROOT / "seeds"])}
    assert "Nvidia not selling its high-tech AI processors" in \
        docs["Chinese big tech firms double AI spending despite US restrictions"].text
    assert "What prompted the IMF’s unexpected visit to Pakistan?" in \
        docs["IMF reviews Pakistan’s $7bn bailout"].text


def _layout_suffix(site: str, stories: list[tuple[str, list[str]]]) -> str:
    parts = []
    for title, body in stories:
        parts += [f"{title} – {site}", *body, "Continue Reading"]
    return "\n\n".join(parts) + "\n"


def _layout_section(section: str, stories: list[tuple[str, list[str]]]) -> str:
    parts = ["Connect with us"]
    for title, body in stories:
        parts += [section, title, "Published", "on", *body, "Continue Reading"]
    parts += ["MOST READ", "Some other headline", "Another headline"]
    return "\n\n".join(parts) + "\n"


def _layout_aggregator(lead: tuple[str, list[str]],
                       related: list[tuple[str, str, str]]) -> str:
    lines = ["", lead[0], *lead[1], "Hashtags", "", "Try Our AI Features",
             "Explore what NewsBot AI can do for you:", "Comments", "No comments yet...",
             "Related Articles", "", ""]
    for i, (source, title, body) in enumerate(related):
        lines += [source, f"{i + 2} hours ago", f"- {source}", title, body, ""]
    return "\n".join(lines)


STORIES = [
    ("Brazil lifts coffee export quota after frost damage",
     ["Brazil's government lifted the coffee export quota on Tuesday.",
      "Why the frost matters",
      "Growers in Minas Gerais lost a fifth of their trees, officials said."]),
    ("Kenya's central bank holds rates as shilling steadies",
     ["The Central Bank of Kenya held its benchmark rate at 12 percent.",
      "Analysts had expected a cut after inflation eased in March."]),
    ("Norway approves new Arctic drilling licences",
     ["Norway approved twelve new licences in the Barents Sea on Friday.",
      "What comes next for the fields?",
      "Environmental groups said they would challenge the decision in court."]),
]


@pytest.mark.parametrize("site", ["The Daily Ledger", "Nordic Wire", "BBC"])
def test_unseen_suffix_layout(site: str) -> None:
    stories = split_page(_layout_suffix(site, STORIES))
    assert [(s.title, s.paragraphs, s.source) for s in stories] == [
        (t, b, site) for t, b in STORIES]


@pytest.mark.parametrize("section", ["AFRICA", "WORLD NEWS", "BUSINESS"])
def test_unseen_section_layout(section: str) -> None:
    stories = split_page(_layout_section(section, STORIES))
    assert [(s.title, s.paragraphs) for s in stories] == STORIES
    assert {s.section for s in stories} == {section.title()}


def test_unseen_aggregator_layout() -> None:
    related = [("Global Post", "Chile's copper output falls", "Output fell 4% in May."),
               ("Reuters", "Ghana signs cocoa deal", "Ghana signed a cocoa deal with a buyer.")]
    stories = split_page(_layout_aggregator(STORIES[0], related))
    assert [(s.title, s.paragraphs, s.source) for s in stories] == [
        (STORIES[0][0], STORIES[0][1], None),
        *[(t, [b], src) for src, t, b in related]]


def test_single_story_page_and_teaser() -> None:
    stories = split_page("A lone headline\n\nFirst paragraph.\n\nSecond paragraph.\n")
    assert [(s.title, s.paragraphs) for s in stories] == [
        ("A lone headline", ["First paragraph.", "Second paragraph."])]
    page = _layout_suffix("Wire", [STORIES[1]]) + \
        "\n\nA teaser title – Wire\n\nOnly a stub of the story …]Continue Reading\n"
    *_, teaser = split_page(page)
    assert teaser.teaser and teaser.paragraphs == ["Only a stub of the story…"]


def test_html_residue_is_repaired() -> None:
    assert repair_residue("the&nbsp, biggest &amp, best&nbsp;deal") == "the biggest & best deal"


paragraph = st.text(st.characters(whitelist_categories=("L", "N", "Zs"),
                                  whitelist_characters=".,;'-?"), min_size=1, max_size=80)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    for story in split_page(text):
        assert story.title and story.paragraphs and all(story.paragraphs)


@settings(max_examples=150)
@given(st.lists(paragraph, min_size=2, max_size=8))
def test_no_non_chrome_paragraph_is_lost(paragraphs: list[str]) -> None:
    kept = [" ".join(p.split()) for p in paragraphs]
    kept = [p for p in kept if p and not is_chrome(p) and not p.lower().startswith(
        ("published", "posted"))]
    page = "\n\n".join(kept)
    found = [line for s in split_page(page) for line in [s.title, *s.paragraphs]]
    for p in kept:
        assert p in found


def test_latin1_page_is_decoded_and_binary_refused(tmp_path: Path) -> None:
    page = tmp_path / "latin.txt"
    page.write_bytes("Un café à Paris\n\nLe café était très bon, déjà célèbre.\n".encode("latin-1"))
    (doc,) = read_inputs([page])
    assert doc.title == "Un café à Paris" and "très" in doc.text
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(InputError, match=r"image.txt: binary file"):
        list(read_inputs([binary]))
    assert decode_bytes("ü".encode(), "x") == "ü"


def test_jsonl_records_and_errors_name_file_and_line(tmp_path: Path) -> None:
    good = tmp_path / "a.jsonl"
    good.write_text('{"id": "1", "text": "One", "topics": ["trade"]}\n\n'
                    '{"text": "Two", "title": "T"}\n')
    docs = list(read_inputs([good]))
    assert [d.id for d in docs] == ["1", "a:3"] and docs[0].meta["topics"] == ["trade"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": \n')
    with pytest.raises(InputError, match=r"bad.jsonl:2: malformed JSON"):
        list(read_inputs([bad]))
    notext = tmp_path / "notext.jsonl"
    notext.write_text('{"text": "ok"}\n["a list"]\n')
    with pytest.raises(InputError, match=r"notext.jsonl:2: expected a JSON object"):
        list(read_inputs([notext]))


def test_csv_records(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('id,title,text,topics\n1,T,"Body, with comma",trade;economy\n')
    (doc,) = read_inputs([path])
    assert doc.text == "Body, with comma" and doc.meta["topics"] == "trade;economy"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,summary\n1,x\n")
    with pytest.raises(InputError, match=r"bad.csv:1: CSV header has no text column"):
        list(read_inputs([bad]))
    empty = tmp_path / "empty.csv"
    empty.write_text("id,text\n1,\n")
    (story,) = read_inputs([empty])  # a valid, empty story: predict gives it no labels
    assert story.is_empty
    wide = tmp_path / "wide.csv"
    wide.write_text("id,text\n1,a,extra\n2,fine\n")
    with pytest.raises(InputError, match=r"wide.csv:2: row has more fields"):
        list(read_inputs([wide]))
    skipped: list[InputError] = []
    assert [d.id for d in read_inputs([wide], on_error=skipped.append)] == ["2"]
    assert [str(e) for e in skipped] == [f"{wide}:2: row has more fields than the header"]


@pytest.mark.parametrize("header, row", [
    ("ID;Headline;Body", "7;Fed holds;The bank held rates, again."),
    ("id\tTitle\tContent", "7\tFed holds\tThe bank held rates, again."),
    ("Id,Title,Text", '7,Fed holds,"The bank held rates, again."'),
])
def test_csv_headers_people_have(tmp_path: Path, header: str, row: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f"{header}\n{row}\n")
    (doc,) = read_inputs([path])
    assert (doc.id, doc.title, doc.text) == ("7", "Fed holds", "The bank held rates, again.")


def test_json_arrays_and_gzipped_files(tmp_path: Path) -> None:
    import gzip

    array = tmp_path / "stories.json"
    array.write_text(json.dumps([{"id": "a", "text": "A"}, {"text": "B"}]))
    assert [(d.id, d.text) for d in read_inputs([array])] == [("a", "A"), ("stories:2", "B")]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "a", "text": "A"}, {"id": "b"}]))
    with pytest.raises(InputError, match=r"bad.json: record 2: record has no text field"):
        list(read_inputs([bad]))
    with gzip.open(tmp_path / "s.jsonl.gz", "wt") as handle:
        handle.write('{"id": "g", "text": "gzipped"}\n')
    with gzip.open(tmp_path / "s.csv.gz", "wt") as handle:
        handle.write("id,text\nc,csv gzipped\n")
    assert [d.id for d in read_inputs([tmp_path / "s.jsonl.gz", tmp_path / "s.csv.gz"])] \
        == ["g", "c"]
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match=r"broken.jsonl.gz: unreadable gzip file"):
        list(read_inputs([tmp_path / "broken.jsonl.gz"]))
    (tmp_path / "broken.jsonl.gz").unlink()
    # in a folder, .json files (labels, manifests, settings) are not taken for stories
    assert sorted(d.id for d in read_inputs([tmp_path])) == ["c", "g"]


def test_folders_globs_stdin_and_missing(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.jsonl").write_text('{"id": "a", "text": "A"}\n')
    (tmp_path / "b.jsonl").write_text('{"id": "b", "text": "B"}\n{"id": "a", "text": "A"}\n')
    (tmp_path / "notes.md").write_text("ignored in folders")
    assert [d.id for d in read_inputs([tmp_path])] == ["b", "a"]
    notes: list[str] = []
    (tmp_path / "empty.jsonl").write_text("")
    assert [d.id for d in read_inputs([tmp_path], on_note=notes.append)] == ["b", "a"]
    assert notes == [f"{tmp_path}: 1 file(s) not read (1 .md: not a format newsclf reads "
                     "in a folder; name a .json file to read it)",
                     f"{tmp_path / 'empty.jsonl'}: no story in it",
                     "1 record(s) left out: the same id was read before"]
    (tmp_path / "empty.jsonl").unlink()
    assert [d.id for d in read_inputs([str(tmp_path / "*.jsonl")])] == ["b", "a"]
    stdin = io.StringIO('{"id": "s", "text": "from stdin"}\n')
    assert [d.id for d in read_inputs(["-"], stdin=stdin)] == ["s"]
    with pytest.raises(InputError, match="no such file or directory"):
        list(read_inputs([tmp_path / "missing.jsonl"]))
    with pytest.raises(InputError, match=r"no reader for '.md'"):
        list(read_inputs([tmp_path / "notes.md"]))


def test_html_article(tmp_path: Path) -> None:
    body = " ".join(["Japan's exports rose for a third month as shipments of chips grew."] * 6)
    page = tmp_path / "a.html"
    page.write_text(f"<html><head><title>Japan exports rise</title></head><body>"
                    f"<nav>Home | World | Business</nav><article><h1>Japan exports rise</h1>"
                    f"<p>{body}</p><p>{body}</p></article><footer>Contact us</footer>"
                    f"</body></html>")
    (doc,) = read_inputs([page])
    assert doc.title == "Japan exports rise"
    assert "shipments of chips" in doc.text and "Contact us" not in doc.text


def test_large_jsonl_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w") as handle:
        for i in range(5000):
            handle.write(json.dumps({"id": str(i), "text": "x " * 50}) + "\n")
    stream = read_inputs([path])
    assert next(iter(stream)).id == "0"  # the first record comes before the file is read


def test_jsonl_line_in_another_encoding_is_named(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"text": "fine"}\n' + '{"text": "café"}\n'.encode("latin-1"))
    with pytest.raises(InputError, match=r"mixed.jsonl:2: not UTF-8 text"):
        list(read_inputs([path]))


def test_seen_ids_exact_across_merges() -> None:
    from newsclf.readers import SeenIds

    seen = SeenIds(capacity=16)
    assert all(seen.add(f"id-{i}") for i in range(100))
    assert not any(seen.add(f"id-{i}") for i in range(100))
    assert seen.add("id-100") and len(seen) == 101
