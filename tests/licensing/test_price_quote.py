"""price_quote: the server's price and the frozen terms for a track under a tier, or why it is not on sale."""

from __future__ import annotations

import pytest

from catalog.models import Track
from licensing import services
from licensing.errors import ExclusiveTaken, NotOnSale
from licensing.rights import canonical_json, rights_in_words, sha256_hex


def test_it_quotes_the_tier_default_price_with_the_terms_frozen(make_track, tiers, creator):
    track = make_track("heist")

    quote = services.price_quote(track=track, tier=tiers["creator"])

    assert (quote.price_cents, quote.currency) == (2900, "usd")
    assert quote.track == track and quote.tier == tiers["creator"]
    assert quote.terms == {
        "terms_version": "1",
        "tier": {"slug": "creator", "name": "Creator", "exclusive": False},
        "rights": tiers["creator"].rights,
        "rights_in_words": rights_in_words(tiers["creator"].rights),
        "track": {"slug": track.slug, "title": "Night Vault"},
        "creator": {"display_name": "Nadia Okafor", "slug": creator.slug},
        "price_cents": 2900,
        "currency": "usd",
    }
    assert quote.terms_sha256 == sha256_hex(canonical_json(quote.terms))


def test_it_quotes_the_creators_own_price(make_track, tiers, creator):
    track = make_track("heist")
    services.track_price_set(track=track, tier=tiers["commercial"], price_cents=14900, by=creator)

    quote = services.price_quote(track=track, tier=tiers["commercial"])

    assert quote.price_cents == 14900 and quote.terms["price_cents"] == 14900


def test_it_holds_a_stored_price_to_bounds_staff_moved_since(make_track, tiers, creator):
    track = make_track("heist")
    services.track_price_set(track=track, tier=tiers["creator"], price_cents=9900, by=creator)
    tiers["creator"].max_price_cents = 4900
    tiers["creator"].save()

    assert services.price_quote(track=track, tier=tiers["creator"]).price_cents == 4900


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (Track.Status.DRAFT, "not published yet"),
        (Track.Status.WITHDRAWN, "withdrawn this track from sale"),
        (Track.Status.TAKEN_DOWN, "taken down"),
        (Track.Status.SOLD_EXCLUSIVE, "bought outright"),
    ],
)
def test_it_refuses_a_track_that_is_not_on_sale(make_track, tiers, status, says):
    track = make_track("heist")
    Track.objects.filter(pk=track.pk).update(status=status)
    track.refresh_from_db()

    with pytest.raises(NotOnSale) as caught:
        services.price_quote(track=track, tier=tiers["creator"])
    assert caught.value.field == "track" and says in caught.value.message


def test_it_refuses_a_tier_the_creator_switched_off(make_track, tiers, creator):
    track = make_track("heist")
    services.track_price_set(
        track=track, tier=tiers["broadcast"], price_cents=49900, enabled=False, by=creator
    )

    with pytest.raises(NotOnSale) as caught:
        services.price_quote(track=track, tier=tiers["broadcast"])
    assert caught.value.field == "tier"
    assert caught.value.message == "The Broadcast license is not offered for this track."


def test_it_refuses_a_tier_staff_retired(make_track, tiers):
    track = make_track("heist")
    tiers["commercial"].is_active = False
    tiers["commercial"].save()

    with pytest.raises(NotOnSale) as caught:
        services.price_quote(track=track, tier=tiers["commercial"])
    assert caught.value.field == "tier"


def test_it_offers_the_exclusive_buyout_only_where_the_creator_enabled_it(make_track, tiers, offer_exclusive):
    track = make_track("heist")
    with pytest.raises(NotOnSale) as caught:
        services.price_quote(track=track, tier=tiers["exclusive"])
    assert caught.value.field == "tier"

    offer_exclusive(track, price_cents=150000)

    assert services.price_quote(track=track, tier=tiers["exclusive"]).price_cents == 150000


def test_it_refuses_an_exclusive_buyout_sold_already(make_track, tiers, offer_exclusive, issue):
    from catalog import services as catalog_services

    track = offer_exclusive(make_track("heist"))
    issue(track, "exclusive")
    track = catalog_services.track_publish(track=track)  # back on sale (staff), the buyout still held

    with pytest.raises(ExclusiveTaken) as caught:
        services.price_quote(track=track, tier=tiers["exclusive"])
    assert caught.value.field == "tier"
    assert services.price_quote(track=track, tier=tiers["creator"]).price_cents == 2900
