"""A draft is seen by its creator only; a published track by everyone."""

import pytest

URL = "/api/v1/tracks/"


@pytest.fixture
def draft(make_track):
    return make_track("heist", publish=False, title="Unreleased Cue")


@pytest.fixture
def published(make_track):
    return make_track("sunny")


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {t["slug"] for t in response.json()["results"]}


def test_a_creator_lists_their_own_drafts_under_their_slug(api, draft, published, creator):
    api.force_authenticate(creator.user)

    assert slugs(api.get(URL, {"creator": creator.slug})) == {draft.slug, published.slug}
    # The public list stays the public list, even for the draft's creator.
    assert slugs(api.get(URL)) == {published.slug}


@pytest.mark.parametrize("persona", ["anonymous", "stranger", "buyer"])
def test_nobody_else_sees_a_draft_in_any_list(api, draft, published, creator, persona, request):
    if persona != "anonymous":
        api.force_authenticate(request.getfixturevalue(persona))

    assert slugs(api.get(URL, {"creator": creator.slug})) == {published.slug}
    assert slugs(api.get(URL)) == {published.slug}
    assert slugs(api.get(URL, {"q": "dark pulsing synth bass"})) <= {published.slug}


def test_a_creator_opens_their_own_draft(api, draft, creator):
    api.force_authenticate(creator.user)

    response = api.get(f"{URL}{draft.slug}/")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


@pytest.mark.parametrize("persona", ["anonymous", "stranger"])
def test_a_draft_is_not_found_for_anyone_else(api, draft, stranger, persona):
    if persona == "stranger":
        api.force_authenticate(stranger)

    for path in ("", "similar/"):
        assert api.get(f"{URL}{draft.slug}/{path}").status_code == 404
    favorite = api.post(f"{URL}{draft.slug}/favorite/").status_code
    assert favorite == (404 if persona == "stranger" else 401)


@pytest.mark.parametrize("persona", ["anonymous", "stranger", "creator"])
def test_a_published_track_is_seen_by_everyone(api, published, persona, request):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        api.force_authenticate(getattr(user, "user", user))

    assert api.get(f"{URL}{published.slug}/").status_code == 200
    assert published.slug in slugs(api.get(URL))
