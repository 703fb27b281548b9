"""Each process's in-memory vector index follows changes that other processes make to the catalog."""

import contextlib

from django.db import transaction

from catalog import services
from catalog.models import Track
from catalog.search import index

URL = "/api/v1/tracks/"
JAZZ = ("Smoke Rings", "jazz", "smoky late night jazz club, brushed drums and a saxophone")
SHANTY = ("Salt and Rope", "folk", "rowdy sea shanty sung by sailors, stomping and clapping on deck")


def add_track_as_another_process_would(shelf, title: str, genre: str, prompt: str) -> Track:
    """A published track written straight to the database, as a worker elsewhere would: this process
    is not told, so its index does not know the track yet."""
    text = services.track_text(title=title, description="", genre=genre, moods=[], prompt=prompt)
    return Track.objects.create(
        slug=f"{genre}-{len(prompt)}",
        title=title,
        creator=shelf.creator,
        genre=genre,
        bpm=90,
        key="F",
        mode="major",
        duration=8.0,
        energy="medium",
        status=Track.Status.PUBLISHED,
        published_at=shelf.tracks["piano"].published_at,
        disclosure_label="ai_generated",
        embedding=services.track_embedding(text),
    )


def found(api, query: str) -> list[str]:
    return [t["slug"] for t in api.get(URL, {"q": query}).json()["results"]]


def test_a_track_becomes_findable_once_the_index_version_moves(db, shelf, api):
    found(api, JAZZ[2])  # this process loads its index now
    loaded = index.get_index()

    track = add_track_as_another_process_would(shelf, *JAZZ)
    assert track.slug not in found(api, JAZZ[2])
    assert index.get_index() is loaded

    services.search_index_touch()
    assert found(api, JAZZ[2])[0] == track.slug
    assert track.id in index.get_index().ids


def test_an_index_loaded_in_a_rolled_back_transaction_is_not_taken_for_current(db, shelf, api):
    class Abandon(Exception):
        pass

    with contextlib.suppress(Abandon), transaction.atomic():
        ghost = add_track_as_another_process_would(shelf, *JAZZ)
        services.search_index_touch()
        assert found(api, JAZZ[2])[0] == ghost.slug  # loaded while the ghost exists
        raise Abandon

    track = add_track_as_another_process_would(shelf, *SHANTY)
    services.search_index_touch()
    assert found(api, SHANTY[2])[0] == track.slug


def test_each_touch_gives_a_version_never_seen_before(db):
    seen = {index.current_version()}
    for _ in range(5):
        services.search_index_touch()
        seen.add(index.current_version())

    assert len(seen) == 6
