"""``newsclf show``: one self-contained page of cards with filters and pages."""

from __future__ import annotations

import io
import re
from pathlib import Path

from click.testing import CliRunner

from newsclf import Document, Label, Prediction
from newsclf.cli import cli
from newsclf.show import write_page

ROOT = Path(__file__).resolve().parents[1]


def test_page_is_self_contained_with_filters_over_every_story() -> None:
    pairs = [(Document(id=str(i), title=f"Story {i}", text="x"),
              Prediction(str(i), (Label("trade" if i % 2 else "economy", "topic", 0.9, "t"),
                                  Label("JP", "country", 0.8, "r"))))
             for i in range(120)]
    out = io.StringIO()
    assert write_page(pairs, out, per_page=50) == 120
    page = out.getvalue()
    assert page.count('<article class="card"') == 120
    assert '<option value="economy">' in page and '<option value="trade">' in page
    assert '<option value="JP">' in page and "const per=50" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # nothing from the network


def test_show_the_seeds(tmp_path: Path) -> None:
    out = tmp_path / "seeds.html"
    result = CliRunner().invoke(cli, ["show", str(ROOT / "seeds"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count('<article class="card"') == 18
    assert '<mark class="country"' in page and '<mark class="topic"' in page
    assert '<span class="chip place"' in page  # places below the country are shown
    refused = tmp_path / "data.jsonl"
    refused.write_text("precious")
    result = CliRunner().invoke(cli, ["show", str(ROOT / "seeds"), "-o", str(refused)])
    assert result.exit_code == 2 and refused.read_text() == "precious"
