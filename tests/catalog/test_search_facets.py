"""Each search facet narrows the list, through the selector and through GET /api/v1/tracks/.

The shelf (see conftest): heist = cinematic, tense, 100 bpm, D minor, high energy, synth bass among its
instruments; sunny = folk, happy + uplifting, 109 bpm, D major; piano = piano, calm + melancholic,
67 bpm, C minor, low energy; epic = cinematic, epic, 112 bpm, G minor. Expected results are worked out
from each track's own attributes, so the tests say what a facet means rather than which rows it hits.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalog import selectors
from catalog.models import Track
from catalog.search.params import parse

URL = "/api/v1/tracks/"

FACETS = [
    ({"genre": "cinematic"}, lambda t: t.genre == "cinematic"),
    ({"genre": ["folk", "piano"]}, lambda t: t.genre in ("folk", "piano")),
    ({"mood": "tense"}, lambda t: "tense" in t.moods),
    ({"mood": ["happy", "uplifting"]}, lambda t: {"happy", "uplifting"} <= set(t.moods)),
    ({"instrument": "synth_bass"}, lambda t: "synth_bass" in t.instruments),
    ({"instrument": ["piano", "taiko"]}, lambda t: {"piano", "taiko"} <= set(t.instruments)),
    ({"bpm_min": 100, "bpm_max": 109}, lambda t: 100 <= t.bpm <= 109),
    ({"bpm_min": 110}, lambda t: t.bpm >= 110),
    ({"key": "D"}, lambda t: t.key == "D"),
    ({"mode": "major"}, lambda t: t.mode == "major"),
    ({"energy": "low"}, lambda t: t.energy == "low"),
    (
        {"genre": "cinematic", "mode": "minor", "bpm_max": 105},
        lambda t: t.genre == "cinematic" and t.bpm <= 105,
    ),
]


def expected(shelf, keep) -> set[str]:
    slugs = {t.slug for t in shelf.tracks.values() if keep(t)}
    # A facet that matched nothing or everything would not show that it filters.
    assert 0 < len(slugs) < len(shelf.tracks)
    return slugs


def listed(api, query) -> set[str]:
    response = api.get(URL, query)
    assert response.status_code == 200, response.json()
    return {t["slug"] for t in response.json()["results"]}


@pytest.mark.parametrize(("query", "keep"), FACETS)
def test_each_facet_filters_the_api_list(db, shelf, api, query, keep):
    assert listed(api, query) == expected(shelf, keep)


@pytest.mark.parametrize(("query", "keep"), FACETS)
def test_each_facet_filters_the_selector(db, shelf, query, keep):
    params, errors = parse(_querydict(query))
    assert errors == {}

    found = selectors.track_search(params=params, user=AnonymousUser(), min_score=0.2)
    assert {t.slug for t in found} == expected(shelf, keep)


def test_moods_and_instruments_must_all_match(db, shelf, api):
    assert listed(api, {"mood": ["happy", "tense"]}) == set()
    assert listed(api, {"instrument": ["banjo", "synth_bass"]}) == set()


def test_a_flat_key_finds_its_sharp_spelling(db, shelf, api):
    Track.objects.filter(pk=shelf.tracks["piano"].pk).update(key="A#")

    for spelling in ("A#", "Bb", "bb"):
        assert listed(api, {"key": spelling}) == {shelf.tracks["piano"].slug}, spelling


def test_the_duration_range_is_inclusive(db, shelf, api):
    for name, seconds in (("heist", 30.0), ("sunny", 60.0), ("piano", 95.5)):
        Track.objects.filter(pk=shelf.tracks[name].pk).update(duration=seconds)

    assert listed(api, {"duration_min": 30, "duration_max": 60}) == set(shelf.slugs("heist", "sunny"))
    assert listed(api, {"duration_min": 60.5}) == set(shelf.slugs("piano"))
    assert listed(api, {"duration_max": 10}) == set(shelf.slugs("epic"))


def test_the_creator_facet_lists_one_creators_tracks(db, shelf, api, make_track, creator):
    theirs = make_track("heist", creator=creator)

    assert listed(api, {"creator": "ines-park"}) == set(shelf.slugs("heist", "sunny", "piano", "epic"))
    assert listed(api, {"creator": creator.slug}) == {theirs.slug}
    assert listed(api, {"creator": "nobody-here"}) == set()


def _querydict(query: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in query.items():
        data.setlist(name, [str(v) for v in (value if isinstance(value, list) else [value])])
    return data
