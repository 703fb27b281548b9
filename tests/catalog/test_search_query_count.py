"""A page of search results costs the same number of SQL queries whatever its size."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from catalog import services

URL = "/api/v1/tracks/"


@pytest.fixture(scope="module")
def eight_tracks(shelf, django_db_blocker, engine_outputs, tmp_path_factory):
    """The shelf plus four more tracks from the same renders, by the same creator: room for pages of
    one and of eight. Committed for the module like the shelf, and deleted after it."""
    root = tmp_path_factory.mktemp("more-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(root / "public"), PRIVATE_MEDIA_ROOT=str(root / "private")),
    ):
        more = [
            services.track_create_from_output(
                creator=shelf.creator,
                out_dir=engine_outputs[name],
                title=f"{name.title()} Again",
                publish=True,
            )
            for name in ("heist", "sunny", "piano", "epic")
        ]
    yield [*shelf.tracks.values(), *more]
    with django_db_blocker.unblock():
        for track in more:
            track.delete()


def queries_for(api, query) -> tuple[int, int]:
    api.get(URL, query)  # warm up: the vector index loads once per catalog change
    with CaptureQueriesContext(connection) as captured:
        response = api.get(URL, query)
    assert response.status_code == 200, response.json()
    return len(captured.captured_queries), len(response.json()["results"])


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"genre": ["cinematic", "folk", "piano"], "bpm_min": 60, "energy": "high"},
        {"mood": "tense", "instrument": "piano"},
        {"ordering": "-bpm"},
        {"q": "music for a film"},
        {"q": "music for a film", "genre": ["cinematic", "folk", "piano"], "ordering": "duration"},
    ],
)
@pytest.mark.parametrize("persona", ["anonymous", "buyer", "creator"])
def test_a_page_costs_the_same_queries_whatever_its_size(db, eight_tracks, shelf, api, query, persona, buyer):
    if persona == "buyer":
        api.force_authenticate(buyer)
    if persona == "creator":  # listing their own tracks, drafts included
        api.force_authenticate(shelf.creator.user)
        query = {**query, "creator": shelf.creator.slug}

    small, small_rows = queries_for(api, {**query, "page_size": 1})
    large, large_rows = queries_for(api, {**query, "page_size": 8})

    assert small_rows == 1 and large_rows > 1
    assert small == large
    assert small <= 4
