"""GET /api/v1/tiers/ and the `prices` a track's API detail carries."""

from __future__ import annotations

from licensing import services
from licensing.rights import rights_in_words

URL = "/api/v1/tiers/"


def test_it_lists_the_seeded_tiers_in_order_for_anyone(api, tiers):
    response = api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert [t["slug"] for t in body] == ["creator", "commercial", "broadcast", "exclusive"]
    creator = body[0]
    assert set(creator) == {
        "slug",
        "name",
        "summary",
        "rights",
        "rights_in_words",
        "default_price_cents",
        "min_price_cents",
        "max_price_cents",
        "currency",
        "exclusive",
    }
    assert (creator["default_price_cents"], creator["min_price_cents"], creator["max_price_cents"]) == (
        2900,
        1500,
        9900,
    )
    assert creator["rights"] == tiers["creator"].rights
    assert creator["rights_in_words"] == rights_in_words(tiers["creator"].rights)
    assert [t["exclusive"] for t in body] == [False, False, False, True]


def test_it_leaves_out_a_retired_tier(api, tiers):
    tiers["broadcast"].is_active = False
    tiers["broadcast"].save()

    assert [t["slug"] for t in api.get(URL).json()] == ["creator", "commercial", "exclusive"]


def test_it_answers_even_with_a_bad_token(api, tiers):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    assert api.get(URL).status_code == 200


def test_a_track_detail_carries_its_default_prices(api, make_track, tiers):
    track = make_track("heist")

    body = api.get(f"/api/v1/tracks/{track.slug}/").json()

    assert body["prices"] == {"creator": 2900, "commercial": 9900, "broadcast": 49900}


def test_a_track_detail_carries_the_creators_prices_and_offers(api, make_track, tiers, creator):
    track = make_track("heist")
    services.track_price_set(track=track, tier=tiers["creator"], price_cents=3900, by=creator)
    services.track_price_set(
        track=track, tier=tiers["broadcast"], price_cents=49900, enabled=False, by=creator
    )
    services.track_price_set(track=track, tier=tiers["exclusive"], price_cents=500000, by=creator)

    body = api.get(f"/api/v1/tracks/{track.slug}/").json()

    assert body["prices"] == {"creator": 3900, "commercial": 9900, "exclusive": 500000}


def test_a_track_not_on_sale_carries_no_prices(client, make_track, tiers, creator):
    draft = make_track("heist", publish=False)
    client.force_login(creator.user)

    body = client.get(f"/api/v1/tracks/{draft.slug}/").json()

    assert body["status"] == "draft" and body["prices"] == {}


def test_the_schema_documents_the_licensing_endpoints(client, tiers):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]

    assert "/api/v1/tiers/" in paths
    assert "/api/v1/licenses/{code}/verify/" in paths
