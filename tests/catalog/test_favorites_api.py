"""Favourites: POST/DELETE /api/v1/tracks/{slug}/favorite/ and GET /api/v1/favorites/, signed in only."""

from tests.conftest import ENGINE_PROMPTS

URL = "/api/v1/tracks/"
FAVORITES = "/api/v1/favorites/"


def favorite_slugs(api) -> list[str]:
    response = api.get(FAVORITES)
    assert response.status_code == 200
    return [t["slug"] for t in response.json()["results"]]


def test_a_buyer_marks_and_unmarks_a_favourite(db, shelf, api, buyer):
    heist = shelf.tracks["heist"]
    api.force_authenticate(buyer)

    marked = api.post(f"{URL}{heist.slug}/favorite/")
    assert (marked.status_code, marked.json()) == (200, {"track": heist.slug, "favorite": True})
    assert api.post(f"{URL}{heist.slug}/favorite/").status_code == 200  # twice is still once
    assert favorite_slugs(api) == [heist.slug]

    unmarked = api.delete(f"{URL}{heist.slug}/favorite/")
    assert (unmarked.status_code, unmarked.json()["favorite"]) == (200, False)
    assert favorite_slugs(api) == []


def test_favourites_are_listed_newest_first_and_only_ones_own(db, shelf, api, buyer, stranger):
    for user, names in ((buyer, ("piano", "heist")), (stranger, ("heist", "epic"))):
        api.force_authenticate(user)
        for name in names:
            api.post(f"{URL}{shelf.tracks[name].slug}/favorite/")

    api.force_authenticate(buyer)
    assert favorite_slugs(api) == shelf.slugs("heist", "piano")
    assert api.get(FAVORITES).json()["results"][0]["title"] == ENGINE_PROMPTS["heist"][1]


def test_anonymous_callers_must_sign_in(db, shelf, api):
    slug = shelf.tracks["heist"].slug

    assert api.post(f"{URL}{slug}/favorite/").status_code == 401
    assert api.delete(f"{URL}{slug}/favorite/").status_code == 401
    assert api.get(FAVORITES).status_code == 401


def test_someone_elses_draft_cannot_be_a_favourite(db, api, make_track, buyer):
    draft = make_track("heist", publish=False)
    api.force_authenticate(buyer)

    assert api.post(f"{URL}{draft.slug}/favorite/").status_code == 404
    assert favorite_slugs(api) == []


def test_an_api_token_signs_the_caller_in(db, shelf, api, buyer):
    buyer.set_password("token-pass-1")
    buyer.save()
    token = api.post("/api/v1/auth/token/", {"email": buyer.email, "password": "token-pass-1"}, format="json")
    assert token.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    assert api.post(f"{URL}{shelf.tracks['sunny'].slug}/favorite/").status_code == 200
    assert favorite_slugs(api) == shelf.slugs("sunny")
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(FAVORITES).status_code == 401
