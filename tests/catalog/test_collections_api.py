"""Collections through /api/v1/collections/: their owner may do everything, nobody else anything."""

import pytest

URL = "/api/v1/collections/"


@pytest.fixture
def owned(db, api, buyer):
    """A collection of the buyer's, with the API signed in as the buyer."""
    api.force_authenticate(buyer)
    response = api.post(
        URL, {"name": "Trailer picks", "description": "For the spring campaign"}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_an_owner_creates_reads_renames_and_deletes_a_collection(api, owned):
    assert owned["name"] == "Trailer picks" and owned["tracks"] == [] and owned["is_public"] is False
    assert [c["id"] for c in api.get(URL).json()["results"]] == [owned["id"]]
    assert api.get(f"{URL}{owned['id']}/").json()["description"] == "For the spring campaign"

    renamed = api.patch(f"{URL}{owned['id']}/", {"name": "Spring trailer"}, format="json")
    assert (renamed.status_code, renamed.json()["name"]) == (200, "Spring trailer")

    assert api.delete(f"{URL}{owned['id']}/").status_code == 204
    assert api.get(f"{URL}{owned['id']}/").status_code == 404


def test_an_owner_adds_and_removes_tracks(api, owned, shelf):
    heist, epic = shelf.slugs("heist", "epic")
    tracks = f"{URL}{owned['id']}/tracks/"

    added = api.post(tracks, {"track": heist}, format="json")
    assert (added.status_code, added.json()["tracks"]) == (201, [heist])
    api.post(tracks, {"track": epic}, format="json")
    assert api.post(tracks, {"track": epic}, format="json").status_code == 201  # twice is still once
    assert sorted(api.get(f"{URL}{owned['id']}/").json()["tracks"]) == sorted([heist, epic])

    assert api.delete(f"{tracks}{heist}/").status_code == 204
    assert api.get(f"{URL}{owned['id']}/").json()["tracks"] == [epic]


def test_a_duplicate_name_is_refused_naming_name(api, owned):
    for name in ("Trailer picks", "  trailer PICKS "):
        response = api.post(URL, {"name": name}, format="json")
        assert response.status_code == 400
        assert "name" in response.json()

    other = api.post(URL, {"name": "Podcast beds"}, format="json").json()
    clash = api.patch(f"{URL}{other['id']}/", {"name": "Trailer picks"}, format="json")
    assert (clash.status_code, list(clash.json())) == (400, ["name"])


def test_an_empty_name_is_refused_naming_name(api, owned):
    response = api.post(URL, {"name": "   "}, format="json")

    assert (response.status_code, list(response.json())) == (400, ["name"])


def test_someone_elses_draft_cannot_be_added(api, owned, make_track):
    draft = make_track("piano", publish=False)

    response = api.post(f"{URL}{owned['id']}/tracks/", {"track": draft.slug}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["track"])
    unknown = api.post(f"{URL}{owned['id']}/tracks/", {"track": "no-such-track"}, format="json")
    assert (unknown.status_code, list(unknown.json())) == (400, ["track"])
    assert api.get(f"{URL}{owned['id']}/").json()["tracks"] == []


def test_another_user_finds_nothing(api, owned, shelf, stranger):
    api.force_authenticate(stranger)
    item = f"{URL}{owned['id']}/"

    assert api.get(URL).json()["results"] == []
    assert api.get(item).status_code == 404
    assert api.patch(item, {"name": "Mine now"}, format="json").status_code == 404
    assert api.post(f"{item}tracks/", {"track": shelf.tracks["heist"].slug}, format="json").status_code == 404
    assert api.delete(f"{item}tracks/{shelf.tracks['heist'].slug}/").status_code == 404
    assert api.delete(item).status_code == 404


def test_anonymous_callers_must_sign_in(api, owned):
    api.force_authenticate(None)

    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{owned['id']}/").status_code == 401
    assert api.post(URL, {"name": "Anything"}, format="json").status_code == 401
    assert api.delete(f"{URL}{owned['id']}/").status_code == 401
