"""The region tagger: the ambiguity cases, mentioned versus about, evidence and regions."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclf import ConfigError, Document, Label
from newsclf.classifiers.regions import RegionClassifier
from newsclf.gazetteer import load_gazetteer
from newsclf.geoparse import NEVER, resolve
from newsclf.testing import check_classifier


def countries(text: str, title: str = "", **params: object) -> list[str]:
    (labels,) = RegionClassifier(**params).predict([Document(id="x", text=text, title=title)])
    return sorted(lb.name for lb in labels if lb.facet == "country")


def mentioned(text: str) -> set[str]:
    return {m.country for m in resolve(load_gazetteer(), text) if m.support < NEVER}


def test_contract(tmp_path: Path) -> None:
    check_classifier(RegionClassifier, tmp_path)


@pytest.mark.parametrize("text, expected", [
    ("Let us know what you think of it.", set()),
    ("The U.S. raised tariffs.", {"US"}),
    ("US officials met on Monday.", {"US"}),
    ("Ships sailed through the South China Sea.", set()),
    ("China Daily reported the figures.", set()),
    ("We ate turkey at the dinner.", set()),
    ("Turkey raised its interest rate.", {"TR"}),
    ("Michael Jordan visited the arena.", set()),
    ("Jordan's king met the envoy.", {"JO"}),
    ("Chad Smith played drums.", set()),
    ("Papua New Guinea signed the accord.", {"PG"}),
    ("Equatorial Guinea exports oil.", {"GQ"}),
    ("Niger and Nigeria share a border.", {"NE", "NG"}),
    ("Rain fell in Washington state.", {"US"}),
    ("The Bank of Japan held rates.", {"JP"}),
    ("The Japan Times reported it.", set()),
    ("JAPAN RAISES TARIFFS", {"JP"}),
])
def test_ambiguity(text: str, expected: set[str]) -> None:
    assert mentioned(text) == expected


def test_georgia_and_korea_need_backing() -> None:
    assert countries("Voters in Georgia went to the polls on a rainy day in the county.") == []
    assert countries("Georgia's government in Tbilisi said Georgia would hold talks.") == ["GE"]
    assert "KR" in countries("Korea said exports rose.", title="Korea exports rise")


def test_about_versus_mentioned() -> None:
    text = ("Pakistan's finance ministry said the IMF team met officials in Islamabad. "
            "Pakistan must raise taxes, the fund said. The government of Pakistan agreed. "
            + "Officials discussed the budget and revenue targets at length. " * 8
            + "Islamabad was also asked to engage with Saudi Arabia and China.")
    doc = Document(id="p", title="IMF reviews Pakistan's bailout", text=text)
    (labels,) = RegionClassifier(mentions=True).predict([doc])
    about = [lb.name for lb in labels if lb.facet == "country"]
    passing = {lb.name for lb in labels if lb.facet == "mention"}
    assert about == ["PK"] and passing == {"SA", "CN"}


def test_dateline_counts_like_the_title() -> None:
    text = "TOKYO, March 3 - Officials said exports rose. " + "Trade grew. " * 30 + \
        "Shipments to France fell."
    assert countries(text) == ["JP"]


def test_evidence_offsets_and_regions() -> None:
    doc = Document(id="e", title="Japan exports rise", text="Japanese exporters gained.")
    (labels,) = RegionClassifier().predict([doc])
    (jp,) = [lb for lb in labels if lb.facet == "country"]
    assert jp.name == "JP"
    for ev in jp.evidence:
        assert doc.full_text[ev.start:ev.end] == ev.text
    regions = {lb.name for lb in labels if lb.facet == "region"}
    assert regions == {"Eastern Asia", "Asia"}


def test_firm_home_country_counts() -> None:
    assert countries("Nvidia and OpenAI signed a deal.", title="Nvidia invests in OpenAI") \
        == ["US"]


def test_user_gazetteer_extends_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "places.toml"
    extra.write_text('[aliases]\n"Ruritania" = "AT"\n[blocked]\n"Japan" = ""\n')
    assert countries("Ruritania and Japan met.", title="Ruritania talks",
                     gazetteer=str(extra)) == ["AT"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[aliases]\n"Atlantis" = "ZZ"\n')
    with pytest.raises(ConfigError, match="unknown country code 'ZZ'"):
        countries("x", gazetteer=str(bad))
    broken = tmp_path / "broken.toml"
    broken.write_text("[aliases\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        countries("x", gazetteer=str(broken))


def test_country_evidence_lists_the_places_that_led_to_it() -> None:
    doc = Document(id="l", title="", text="The mayor of Liverpool said Liverpool would cut.")
    (labels,) = RegionClassifier().predict([doc])
    (gb,) = [lb for lb in labels if lb.facet == "country"]
    assert gb.name == "GB"
    assert [(ev.text, ev.kind) for ev in gb.evidence] == [("Liverpool", "city")] * 2
    for ev in gb.evidence:
        assert doc.full_text[ev.start:ev.end] == "Liverpool"


def test_place_facet_gives_the_resolved_places() -> None:
    doc = Document(id="a", text="Police in Arlington, Va., said the suspect fled to Texas.")
    (labels,) = RegionClassifier(places=True).predict([doc])
    found = {lb.name: lb for lb in labels if lb.facet == "place"}
    assert set(found) == {"Arlington", "Texas"}
    arlington = found["Arlington"].to_dict()
    assert arlington["facet"] == "place" and arlington["geonameid"] == 4744709
    assert (arlington["kind"], arlington["country"], arlington["admin1"]) == ("city", "US", "VA")
    assert round(arlington["lat"], 1) == 38.9 and round(arlington["lon"], 1) == -77.1
    assert arlington["evidence"] == [{"text": "Arlington", "kind": "city", "start": 10,
                                      "end": 19}]
    assert found["Texas"].attributes["kind"] == "admin1"
    # off by default
    (plain,) = RegionClassifier().predict([doc])
    assert not [lb for lb in plain if lb.facet == "place"]


def test_place_labels_round_trip_through_json() -> None:
    doc = Document(id="a", text="Floods hit Johor.")
    (labels,) = RegionClassifier(places=True).predict([doc])
    for label in labels:
        assert Label.from_dict(label.to_dict()).to_dict() == label.to_dict()


def test_user_gazetteer_adds_places(tmp_path: Path) -> None:
    extra = tmp_path / "places.toml"
    extra.write_text('[cities]\n"Springfield Gardens" = "US"\n[regions]\n"Ruhrgebiet" = "DE"\n')
    assert countries("Flooding hit Springfield Gardens overnight.",
                     gazetteer=str(extra)) == ["US"]
    (labels,) = RegionClassifier(places=True, gazetteer=str(extra)).predict(
        [Document(id="r", text="Steel plants in the Ruhrgebiet closed.")])
    place = [lb for lb in labels if lb.facet == "place"]
    assert [(lb.name, lb.attributes["kind"], lb.attributes["geonameid"]) for lb in place] == [
        ("Ruhrgebiet", "region", None)]


def test_focus_country_comes_first() -> None:
    text = ("Lahore police said the protest in Lahore was peaceful. Karachi traders joined. "
            "A delegation from India watched.")
    assert countries(text)[0] == "PK"


@pytest.mark.parametrize("text, without, country", [
    ("Texans lined up at the polls as Californian voters waited.", "", "US"),
    ("Muscovites queued as Siberian towns froze.", "", "RU"),
    ("Uyghur families and Tibetan monks were questioned.", "", "CN"),
    ("Glaswegians and Liverpudlians marched.", "", "GB"),
    ("Bavarian carmakers cut jobs, German unions said.",
     "Carmakers cut jobs, German unions said.", "DE"),
    ("Lula met ministers; Brazilian markets rose.", "Ministers met; Brazilian markets rose.",
     "BR"),
    ("Xi Jinping met Chinese students.", "He met Chinese students.", "CN"),
])
def test_people_of_a_state_and_leaders_count_for_their_country(text: str, without: str,
                                                               country: str) -> None:
    """A state's people and a head of government named in full add to their country's
    salience: with them the country counts for more than without them (``without``)."""
    clf = RegionClassifier()
    (with_,) = clf.predict([Document(id="x", text=text)])
    assert [lb.name for lb in with_ if lb.facet == "country"] == [country]
    scores, _ = clf.salience(Document(id="y", text=without))
    assert clf.salience(Document(id="x", text=text))[0][country] > scores.get(country, 0.0)


@pytest.mark.parametrize("text, expected", [
    ("The Kremlin said on Monday it would respond to the new sanctions.", ["RU"]),
    ("Beijing said the tariffs broke trade rules, and Tokyo agreed.", ["CN", "JP"]),
    ("President Lula met farmers in the north-east on Tuesday.", ["BR"]),
    ("Downing Street declined to comment on the report.", ["GB"]),
    ("The Élysée, in a statement, said the visit would go ahead.", ["FR"]),
    ("The FBI arrested two men in connection with the fraud.", ["US"]),
    ("Bavarian police closed the motorway after the crash.", ["DE"]),
    ("Japanese officials said exports fell.", ["JP"]),
])
def test_a_government_that_speaks_or_is_named_by_title_counts(text: str,
                                                               expected: list[str]) -> None:
    assert countries(text) == expected


FILLER = "The report ran to many pages and said little that was new. " * 8


@pytest.mark.parametrize("text", [
    FILLER + "Paris talks on the climate deal ended without agreement.",
    FILLER + "London traders sold the pound on Monday.",
    FILLER + "Berlin clubs stay open all night in the old town.",
    FILLER + "Japanese cars sold well in the spring.",
])
def test_a_capital_named_in_passing_is_not_its_government(text: str) -> None:
    """A capital or a people named once, deep in a story and not acting, is in passing."""
    assert len(FILLER) > RegionClassifier().lead_chars
    assert countries(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Japanese cars sold well in the spring.", ["JP"]),
    ("London traders sold the pound on Monday.", ["GB"]),
    ("Kenyan runners won the race.", ["KE"]),
])
def test_the_lead_names_the_focus(text: str, expected: list[str]) -> None:
    """The top country needs only ``min_focus`` when the lead names it: a short story
    that names one place is about it."""
    assert countries(text) == expected
    assert countries(text, min_focus=99) == []  # (not by min_salience alone)


def test_beside_the_focus_a_capital_in_the_lead_is_in_passing() -> None:
    assert countries("Pakistan's minister said Pakistan would meet the targets Pakistan "
                     "agreed; London traders sold the rupee.") == ["PK"]


@pytest.mark.parametrize("text, expected", [
    ("The rouble slid to a record low.", ["RU"]),
    ("Bonds priced in yen and baht drew buyers.", ["JP", "TH"]),
    ("The dollar and the euro rose; the pound fell.", []),  # many countries' currencies
])
def test_a_currency_of_one_country_counts_for_it(text: str, expected: list[str]) -> None:
    assert sorted(countries(text)) == expected
    (labels,) = RegionClassifier().predict([Document(id="x", text=text)])
    assert all(ev.kind == "currency" for lb in labels if lb.facet == "country"
               for ev in lb.evidence)
