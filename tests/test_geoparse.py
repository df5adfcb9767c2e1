"""Place names resolved by context: qualifiers, datelines, the story's other places, the
population prior, and the names that are words or people."""

from __future__ import annotations

import pytest

from newsclf import Document
from newsclf.classifiers.regions import RegionClassifier
from newsclf.gazetteer import load_gazetteer
from newsclf.geoparse import NEVER, dateline, resolve


def countries(text: str, title: str = "") -> list[str]:
    (labels,) = RegionClassifier().predict([Document(id="x", text=text, title=title)])
    return [lb.name for lb in labels if lb.facet == "country"]


def places(text: str) -> list[tuple[str, str, str | None]]:
    (labels,) = RegionClassifier(places=True).predict([Document(id="x", text=text)])
    return [(lb.name, lb.attributes["country"], lb.attributes["admin1"])
            for lb in labels if lb.facet == "place"]


# The stories of the issue: each names only places inside the country.
@pytest.mark.parametrize("text, expected", [
    ("Floods in Johor displaced 5,000 people on Monday, officials said.", "MY"),
    ("Police in Shenzhen arrested three executives of a chip start-up.", "CN"),
    ("A typhoon hit Okinawa overnight, cutting power to 200,000 homes.", "JP"),
    ("Thousands protested in Lahore against the new fuel tax.", "PK"),
    ("Hsinchu science park firms raised their capex plans for next year.", "TW"),
    ("The mayor of Liverpool said the city council would cut spending.", "GB"),
    ("INDIANAPOLIS (AP) - The Colts signed a new quarterback on Tuesday.", "US"),
    ("Rains lashed Mindanao, where the army is fighting insurgents.", "PH"),
    ("Bengaluru start-ups raised a record $2bn in the quarter.", "IN"),
    ("Samsung will build a new chip plant in Pyeongtaek, Gyeonggi province.", "KR"),
    ("Militants attacked a police post in Khyber Pakhtunkhwa.", "PK"),
    ("Fighting in Kharkiv intensified as drones struck the city.", "UA"),
    ("Voters in Bavaria backed the CSU in the state election.", "DE"),
    ("Wildfires spread near Los Angeles as the governor of California declared an "
     "emergency.", "US"),
])
def test_places_below_the_country(text: str, expected: str) -> None:
    assert countries(text) == [expected]
    # the same sentence as a one-line page: it is the story's title
    assert countries("", title=text) == [expected]


@pytest.mark.parametrize("text, place", [
    ("The Paris, Texas, city council met on Monday.", ("Paris", "US", "TX")),
    ("Birmingham, Ala., police said the suspect fled.", ("Birmingham", "US", "AL")),
    ("London, Ontario saw record snow.", ("London", "CA", "08")),
    ("Perth, Scotland hosted the games.", ("Perth", "GB", "SCT")),
    ("Police in Arlington, Va., said the suspect fled.", ("Arlington", "US", "VA")),
    ("Santa Clara, California, approved the plan.", ("Santa Clara", "US", "CA")),
])
def test_a_qualifier_settles_the_place(text: str, place: tuple[str, str, str]) -> None:
    assert place in places(text)
    assert countries(text)[0] == place[1]


def test_without_a_qualifier_the_prior_or_the_context_decides() -> None:
    assert places("Paris hosted the talks.")[0][:2] == ("Paris", "FR")
    assert places("Birmingham's council met.")[0][:2] == ("Birmingham", "GB")
    # Santa Clara is a city in Cuba and in California: only context tells which
    assert countries("Santa Clara officials approved the plan.") == []
    assert countries("Nvidia, based in Santa Clara, raised its forecast.") == ["US"]
    # context does not overturn a country's own name, nor a far larger place
    assert countries("Jamaica and the United States signed a treaty in Washington. "
                     "Jamaica will export more.") [0] in {"JM", "US"}
    assert "AT" in countries("Officials of the United States met in Vienna. Vienna "
                             "hosted the talks at the UN offices.")


@pytest.mark.parametrize("text, expected", [
    ("CHARLOTTE, N.C. (AP) — The Panthers won.", ("Charlotte", "US", "NC")),
    ("BEIJING, Jan 5 (Reuters) - Exports rose.", ("Beijing", "CN", "22")),
    ("MOBILE, Ala. (AP) — A storm hit the port.", ("Mobile", "US", "AL")),
    ("READING, England (AP) — The club won.", ("Reading", "GB", "ENG")),
    ("LONDON (Reuters) - Shares fell.", ("London", "GB", "ENG")),
])
def test_datelines_name_the_place_even_in_capitals(text: str,
                                                   expected: tuple[str, str, str]) -> None:
    assert expected in places(text)
    assert countries(text)[0] == expected[1]


def test_dateline_parts() -> None:
    text = "CHARLOTTE, N.C. (AP) — The Panthers won."
    assert dateline(text, 0) == (0, 9, "CHARLOTTE", "N.C.")
    assert dateline("The Panthers won - again.", 0) is None


@pytest.mark.parametrize("text", [
    "Reading is fun for children.",
    "Police said the man was arrested.",
    "The mobile phone market grew.",
    "Nice weather helped the harvest.",
    "Split decisions divided the panel.",
    "In March, exports rose.",
    "A hot Bath was what he needed.",
    "Victoria Beckham opened a shop.",
    "Jordan Peterson spoke at the event.",
    "Chad Smith played drums.",
    "Elizabeth Warren said taxes must rise.",
    "Mr. Warren said the bill would pass.",
    "Voters in Georgia went to the polls on a rainy day in the county.",
    "Officials in Washington said sanctions would follow.",
])
def test_words_and_people_are_not_places(text: str) -> None:
    assert countries(text) == []


@pytest.mark.parametrize("text", [
    "July 22 (UPI) -- A Maryland man almost gave away a lottery ticket, Maryland Lottery "
    "officials said.",
    "July 17 (UPI) -- A Colorado black bear took a dip in a backyard pool.",
    "Rural Ohio voters and every Texas county went to the polls.",
])
def test_a_word_that_starts_a_sentence_is_not_a_given_name(text: str) -> None:
    """"A Maryland man" is not a man named A. Maryland: the place counts."""
    assert countries(text) == ["US"]


@pytest.mark.parametrize("text, country", [
    ("Farmers in Aragon and Cantabria protested.", "ES"),  # not South Sudan's
    ("Voters in Canillo and Encamp went to the polls.", "AD"),  # not Angola's
    ("Floods hit Bouenza and Niari.", "CG"),  # not the other Congo's
    ("The Maryland legislature met on Monday.", "US"),  # not Maryland County, Liberia
    ("Manchester braced for the storm.", "GB"),  # not the parish in Jamaica
])
def test_states_and_provinces_belong_to_their_own_country(text: str, country: str) -> None:
    assert {m.country for m in resolve(load_gazetteer(), text)} == {country}


def test_a_continent_is_not_a_town() -> None:
    """GeoNames has a town Asia in the Philippines; "Asia" in a story is the continent."""
    assert resolve(load_gazetteer(), "Chipmakers across Asia rallied.") == []


def test_words_count_with_a_qualifier_and_people_stay_people() -> None:
    assert countries("Nice, France, hosted the summit.") == ["FR"]
    assert countries("Split, Croatia, welcomed tourists.") == ["HR"]
    assert countries("Warren, Michigan, approved a new plant.") == ["US"]
    # a surname read as a person once is that person throughout the story
    text = ("Liberal Democrat leader Charles Kennedy said the plan was flawed. "
            "Kennedy predicts a bigger turnout.")
    assert countries(text, title="Kennedy predicts bigger turnout") == []


def test_weak_names_need_backing() -> None:
    assert countries("Protesters gathered in Tbilisi, the capital of Georgia.") == ["GE"]
    assert countries("The Georgia legislature met in Atlanta.") == ["US"]


def test_a_big_city_alone_is_enough_a_small_town_is_not() -> None:
    assert countries("Shenzhen start-ups raised money.") == ["CN"]
    # Obama, Japan (29,000 people) is a town and a surname
    assert countries("Obama met the leaders.") == []
    gaz = load_gazetteer()
    (town,) = [m for m in resolve(gaz, "Talks in Memmingen ended.") if m.text == "Memmingen"]
    assert town.support == 2 and town.country == "DE"


def test_common_words_never_count_alone() -> None:
    gaz = load_gazetteer()
    (police,) = resolve(gaz, "Police arrested him.")
    assert police.support == NEVER


@pytest.mark.parametrize("title, text, geonameid", [
    # the dateline settles the name: the title's and the body's mentions are that place
    ("Storm hits Arlington", "ARLINGTON, Va. (AP) — A storm hit Arlington on Monday, and "
     "Arlington officials said roads were closed.", 4744709),
    # a qualifier settles it for the bare repeats, before and after it
    ("Paris mayor speaks", "The mayor of Paris, Texas, spoke on Monday. Paris has 25,000 "
     "people.", 4717560),
    ("Birmingham votes", "Officials of Birmingham, Ala. met. Later Birmingham voted.",
     4049979),
    # a list of towns after it ("Newark, Sterling Heights") names no state: still Delaware
    ("Newark plants on overtime", "Plants at Newark, Del., and Detroit work overtime. "
     "Newark, Sterling Heights and Warren will too.", 4143861),
])
def test_a_name_settled_once_keeps_its_reading(title: str, text: str,
                                               geonameid: int) -> None:
    from newsclf import Document
    from newsclf.classifiers.regions import RegionClassifier

    doc = Document(id="a", title=title, text=text)
    (labels,) = RegionClassifier(places=True).predict([doc])
    places = [lb for lb in labels if lb.facet == "place"]
    name = places[0].name
    (place,) = [lb for lb in places if lb.name == name]  # one reading of the name
    assert place.attributes["geonameid"] == geonameid
    mentions = [ev for ev in place.evidence if ev.text.lower() == name.lower()]
    assert len(mentions) == doc.full_text.lower().count(name.lower())  # title included
    assert [lb.name for lb in labels if lb.facet == "country"] == ["US"]
