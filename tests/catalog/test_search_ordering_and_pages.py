"""Search results come in the order asked for, a page at a time, each with the fields a player needs."""

import pytest

from catalog.models import Track

URL = "/api/v1/tracks/"

RESULT_FIELDS = {
    "slug",
    "title",
    "creator",
    "genre",
    "moods",
    "instruments",
    "bpm",
    "key",
    "mode",
    "duration",
    "energy",
    "disclosure_label",
    "preview_url",
    "peaks_url",
    "cover_url",
    "score",
}


@pytest.fixture
def durations(db, shelf):
    """Give the shelf distinct lengths (the session renders are all 8 s long)."""
    for name, seconds in (("heist", 45.0), ("sunny", 20.0), ("piano", 90.0), ("epic", 30.0)):
        Track.objects.filter(pk=shelf.tracks[name].pk).update(duration=seconds)


def titles(api, query) -> list[str]:
    response = api.get(URL, query)
    assert response.status_code == 200, response.json()
    return [t["title"] for t in response.json()["results"]]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("newest", ["Banners Rise", "Quiet Letters", "Open Road Morning", "Night Vault"]),
        ("duration", ["Open Road Morning", "Banners Rise", "Night Vault", "Quiet Letters"]),
        ("-duration", ["Quiet Letters", "Night Vault", "Banners Rise", "Open Road Morning"]),
        ("bpm", ["Quiet Letters", "Night Vault", "Open Road Morning", "Banners Rise"]),
        ("-bpm", ["Banners Rise", "Open Road Morning", "Night Vault", "Quiet Letters"]),
    ],
)
def test_each_ordering_sorts_the_list(durations, api, ordering, expected):
    assert titles(api, {"ordering": ordering}) == expected


def test_newest_first_is_the_default(durations, api):
    assert titles(api, {}) == titles(api, {"ordering": "newest"})


@pytest.mark.parametrize("ordering", ["newest", "duration", "-duration", "bpm", "-bpm"])
def test_an_ordering_also_sorts_a_search_by_meaning(durations, api, ordering):
    matched = api.get(URL, {"q": "music for a film", "ordering": ordering}).json()["results"]

    assert len(matched) >= 2 and all(t["score"] is not None for t in matched)
    in_order = [
        title for title in titles(api, {"ordering": ordering}) if title in {t["title"] for t in matched}
    ]
    assert [t["title"] for t in matched] == in_order


def test_a_search_by_meaning_is_ranked_best_first(db, shelf, api):
    results = api.get(URL, {"q": "calm solo piano", "ordering": "relevance"}).json()["results"]

    scores = [t["score"] for t in results]
    assert scores == sorted(scores, reverse=True)
    assert results[0]["title"] == "Quiet Letters"


def test_pages_carry_count_next_and_previous(db, shelf, api):
    first = api.get(URL, {"page_size": 3, "ordering": "bpm"}).json()
    second = api.get(URL, {"page_size": 3, "ordering": "bpm", "page": 2}).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (4, 3, None)
    assert "page=2" in first["next"] and "ordering=bpm" in first["next"]
    assert (second["count"], len(second["results"]), second["next"]) == (4, 1, None)
    assert second["previous"] is not None
    assert [t["title"] for t in first["results"] + second["results"]] == titles(api, {"ordering": "bpm"})


def test_each_result_carries_what_a_player_needs(db, shelf, api):
    result = api.get(URL, {"ordering": "bpm", "page_size": 1}).json()["results"][0]
    piano = shelf.tracks["piano"]

    assert set(result) >= RESULT_FIELDS
    assert result["slug"] == piano.slug
    assert result["creator"] == {"slug": "ines-park", "display_name": "Ines Park"}
    assert (result["genre"], result["bpm"], result["key"], result["mode"]) == ("piano", 67, "C", "minor")
    assert result["moods"] == piano.moods and result["instruments"] == piano.instruments
    assert result["disclosure_label"] == "ai_generated"
    assert result["preview_url"].endswith(f"/media/previews/{piano.slug}.mp3")
    assert result["peaks_url"].endswith(f"/media/peaks/{piano.slug}.json")
    assert result["cover_url"].endswith(f"/media/covers/{piano.slug}.png")
    assert result["score"] is None


def test_a_search_by_meaning_gives_each_result_its_score(db, shelf, api, settings):
    results = api.get(URL, {"q": "sad piano"}).json()["results"]

    assert results
    assert all(settings.SEARCH_MIN_SCORE <= t["score"] <= 1.0 for t in results)
