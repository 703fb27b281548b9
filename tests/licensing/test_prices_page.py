"""The creator's price page (/licenses/prices/<track>/) and track_price_set behind it: prices within
the tier's bounds, set by the track's creator and no one else."""

from __future__ import annotations

import re

import pytest

from catalog.models import Track
from licensing import services
from licensing.errors import LicensingError
from licensing.models import TrackPrice

FORM = {
    "price_creator": "29.00",
    "enabled_creator": "on",
    "price_commercial": "99.00",
    "enabled_commercial": "on",
    "price_broadcast": "499.00",
    "enabled_broadcast": "on",
    "price_exclusive": "2999.00",
}


def url(track) -> str:
    return f"/licenses/prices/{track.slug}/"


@pytest.fixture
def track(make_track, tiers):
    return make_track("heist")


def test_it_shows_the_creator_every_tier_at_its_default_price(client, track, creator):
    client.force_login(creator.user)

    response = client.get(url(track))

    assert response.status_code == 200
    html = response.content.decode()
    for tier, price in (("creator", "29.00"), ("commercial", "99.00"), ("broadcast", "499.00")):
        assert f'name="price_{tier}"' in html and f'value="{price}"' in html
    assert "Offer an exclusive buyout" in html
    boxes = {name: tag for tag, name in re.findall(r'(<input type="checkbox" name="(\w+)"[^>]*>)', html)}
    assert set(boxes) == {"enabled_creator", "enabled_commercial", "enabled_broadcast", "enabled_exclusive"}
    assert "checked" in boxes["enabled_creator"] and "checked" not in boxes["enabled_exclusive"]


def test_it_saves_the_creators_prices_and_offers(client, track, creator, api):
    client.force_login(creator.user)
    data = {**FORM, "price_creator": "39.50", "enabled_exclusive": "on", "price_exclusive": "5000"}
    del data["enabled_broadcast"]

    response = client.post(url(track), data)

    assert response.status_code == 302 and response["Location"] == url(track)
    rows = {row.tier.slug: (row.price_cents, row.enabled) for row in TrackPrice.objects.filter(track=track)}
    assert rows == {"creator": (3950, True), "broadcast": (49900, False), "exclusive": (500000, True)}
    prices = api.get(f"/api/v1/tracks/{track.slug}/").json()["prices"]
    assert prices == {"creator": 3950, "commercial": 9900, "exclusive": 500000}


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("price_commercial", "10.00", "between $49.00 and $299.00"),
        ("price_broadcast", "1000000", "between $199.00 and $1,999.00"),
        ("price_creator", "-5", "greater than or equal to 0"),
        ("price_creator", "cheap", "Enter a number"),
        ("price_creator", "29.999", "no more than 2 decimal places"),
        ("price_creator", "", "This field is required"),
    ],
)
def test_it_refuses_a_bad_price_naming_the_field_and_saves_nothing(
    client, track, creator, field, value, says
):
    client.force_login(creator.user)
    data = {**FORM, "price_creator": "39.00", field: value}

    response = client.post(url(track), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and says in html
    assert not TrackPrice.objects.filter(track=track).exists()


@pytest.mark.parametrize("who", ["buyer", "stranger"])
def test_it_is_not_found_for_anyone_but_the_creator(client, track, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(track)).status_code == 404
    assert client.post(url(track), FORM).status_code == 404
    assert not TrackPrice.objects.exists()


def test_it_sends_a_visitor_to_log_in(client, track):
    response = client.get(url(track))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_creator_can_price_a_draft_before_publishing(client, make_track, creator, tiers):
    draft = make_track("piano", publish=False)
    client.force_login(creator.user)

    response = client.post(url(draft), {**FORM, "price_creator": "19.00"})

    assert response.status_code == 302
    assert TrackPrice.objects.get(track=draft, tier=tiers["creator"]).price_cents == 1900


def test_a_track_sold_exclusively_keeps_its_prices(client, track, creator):
    Track.objects.filter(pk=track.pk).update(status=Track.Status.SOLD_EXCLUSIVE)
    client.force_login(creator.user)

    assert "its prices are final" in client.get(url(track)).content.decode()
    response = client.post(url(track), {**FORM, "price_creator": "19.00"})
    assert response.status_code == 400
    assert not TrackPrice.objects.exists()


# --- track_price_set ---------------------------------------------------------------------------------


def test_only_the_tracks_creator_sets_its_prices(track, tiers, make_track):
    from accounts.models import CreatorProfile, User

    other = CreatorProfile.objects.create(
        user=User.objects.create_user("other@example.com", "pass-for-tests-1"),
        display_name="Other",
        slug="other",
    )

    with pytest.raises(LicensingError) as caught:
        services.track_price_set(track=track, tier=tiers["creator"], price_cents=2900, by=other)
    assert caught.value.field == "track"


@pytest.mark.parametrize("cents", [1499, 9901, 29.0, "2900", None, True])
def test_a_price_outside_the_bounds_is_refused(track, tiers, creator, cents):
    with pytest.raises(LicensingError) as caught:
        services.track_price_set(track=track, tier=tiers["creator"], price_cents=cents, by=creator)
    assert caught.value.field == "price_cents"
    assert caught.value.message == "Set a Creator price between $15.00 and $99.00."


def test_the_bounds_themselves_are_allowed_and_a_second_call_updates(track, tiers, creator):
    services.track_price_set(track=track, tier=tiers["creator"], price_cents=1500, by=creator)
    services.track_price_set(track=track, tier=tiers["creator"], price_cents=9900, enabled=False, by=creator)

    row = TrackPrice.objects.get(track=track)
    assert (row.price_cents, row.enabled) == (9900, False)
