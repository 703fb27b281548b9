"""A search by meaning finds the cue a buyer describes, though no word of its title matches."""

from django.contrib.auth.models import AnonymousUser

from catalog import selectors
from catalog.search.params import parse

URL = "/api/v1/tracks/"
HEIST = "music for a tense heist scene"


def results(api, query) -> list[dict]:
    response = api.get(URL, query)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_a_described_scene_ranks_the_matching_cue_first(db, shelf, api):
    found = results(api, {"q": HEIST})

    assert found[0]["slug"] == shelf.tracks["heist"].slug
    assert found[0]["title"] == "Night Vault"
    assert not set(HEIST.lower().split()) & {"night", "vault"}


def test_each_fixture_cue_is_found_by_a_description_of_its_own(db, shelf, api):
    for query, name in (
        ("sunny travel vlog", "sunny"),
        ("sad reflective piano", "piano"),
        ("epic trailer with big drums", "epic"),
    ):
        assert results(api, {"q": query})[0]["slug"] == shelf.tracks[name].slug, query


def test_facets_still_apply_to_a_search_by_meaning(db, shelf, api):
    folk_only = results(api, {"q": HEIST, "genre": "folk"})
    cinematic = results(api, {"q": HEIST, "genre": "cinematic"})

    assert shelf.tracks["heist"].slug not in {t["slug"] for t in folk_only}
    assert {t["genre"] for t in folk_only} <= {"folk"}
    assert cinematic[0]["slug"] == shelf.tracks["heist"].slug
    assert {t["genre"] for t in cinematic} == {"cinematic"}


def test_the_selector_ranks_by_meaning_with_scores(db, shelf, settings):
    params, _ = parse({"q": HEIST})

    ranked = selectors.track_search(params=params, user=AnonymousUser(), min_score=settings.SEARCH_MIN_SCORE)
    assert len(ranked) == ranked.count() <= 4
    page = ranked[0:2]
    assert page[0].slug == shelf.tracks["heist"].slug
    assert page[0].score >= page[1].score >= settings.SEARCH_MIN_SCORE


def test_matches_below_the_minimum_score_are_left_out(db, shelf):
    params, _ = parse({"q": HEIST})

    everything = selectors.track_search(params=params, user=AnonymousUser(), min_score=-1.0)
    strict = selectors.track_search(params=params, user=AnonymousUser(), min_score=0.99)
    assert len(everything) == 4
    assert len(strict) == 0
