"""The cart: one tier per track, priced by the server, refusing what is not for sale."""

from __future__ import annotations

import pytest

from catalog.models import Track
from payments import selectors, services
from payments.errors import PaymentsError
from payments.models import CartItem


def test_it_adds_a_track_at_a_tier(buyer, track, tiers):
    item = services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    view = selectors.cart_of(user=buyer, currency="usd")
    assert [row.item for row in view.rows] == [item]
    assert view.total_cents == tiers["creator"].default_price_cents
    assert view.buyable


def test_it_keeps_one_tier_per_track(buyer, track, tiers):
    services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    services.cart_add(user=buyer, track=track, tier=tiers["commercial"])
    assert list(CartItem.objects.filter(cart__user=buyer).values_list("tier__slug", flat=True)) == [
        "commercial"
    ]


def test_it_totals_several_tracks(buyer, track, other_track, tiers):
    services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    services.cart_add(user=buyer, track=other_track, tier=tiers["broadcast"])
    view = selectors.cart_of(user=buyer, currency="usd")
    assert view.total_cents == tiers["creator"].default_price_cents + tiers["broadcast"].default_price_cents
    assert selectors.cart_count(user=buyer) == 2


def test_it_removes_a_track(buyer, track, tiers):
    services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    services.cart_remove(user=buyer, track=track)
    services.cart_remove(user=buyer, track=track)  # twice is fine
    assert selectors.cart_count(user=buyer) == 0


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Track.Status.WITHDRAWN, "withdrawn"),
        (Track.Status.TAKEN_DOWN, "taken down"),
        (Track.Status.SOLD_EXCLUSIVE, "exclusively"),
        (Track.Status.DRAFT, "not published"),
    ],
)
def test_it_refuses_a_track_that_is_not_for_sale(buyer, track, tiers, status, words):
    Track.objects.filter(pk=track.pk).update(status=status)
    track.refresh_from_db()
    with pytest.raises(PaymentsError, match=words) as caught:
        services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    assert caught.value.field == "track"
    assert not CartItem.objects.exists()


def test_it_refuses_an_exclusive_buyout_the_creator_does_not_offer(buyer, track, tiers):
    with pytest.raises(PaymentsError, match="not offered") as caught:
        services.cart_add(user=buyer, track=track, tier=tiers["exclusive"])
    assert caught.value.field == "tier"


def test_it_refuses_a_creator_buying_their_own_track(creator, track, tiers):
    with pytest.raises(PaymentsError, match="your own track") as caught:
        services.cart_add(user=creator.user, track=track, tier=tiers["creator"])
    assert caught.value.field == "track"


def test_it_marks_a_line_whose_track_left_the_catalog(buyer, track, tiers):
    services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    Track.objects.filter(pk=track.pk).update(status=Track.Status.WITHDRAWN)
    view = selectors.cart_of(user=buyer, currency="usd")
    assert "withdrawn" in view.rows[0].problem
    assert view.rows[0].price_cents is None
    assert not view.buyable
