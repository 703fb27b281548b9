"""Placing an order: prices and terms frozen from the server's quote, exclusive holds, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Track
from licensing import services as licensing
from payments import services
from payments.errors import PaymentsError
from payments.models import Order, OrderLine
from tests.payments.conftest import LICENSEE


def _create(buyer, lines, **changes):
    return services.order_create(buyer=buyer, lines=lines, **(LICENSEE | changes))


def test_it_freezes_price_tier_and_terms_from_the_quote(buyer, track, other_track, tiers):
    order = _create(buyer, [(track, tiers["creator"]), (other_track, tiers["commercial"])])
    quote = licensing.price_quote(track=track, tier=tiers["creator"])
    first, second = order.lines.order_by("id")
    assert (first.track, first.tier, first.price_cents, first.currency) == (
        track,
        tiers["creator"],
        2900,
        "usd",
    )
    assert first.terms == quote.terms and first.terms_sha256 == quote.terms_sha256
    assert second.price_cents == tiers["commercial"].default_price_cents
    assert order.total_cents == first.price_cents + second.price_cents
    assert order.status == Order.Status.PENDING and order.provider == "sandbox"
    assert (order.licensee_name, order.licensee_email) == ("Ada Park", "ada@northwind.example")


def test_a_tier_price_edited_after_ordering_does_not_change_the_line(buyer, creator, track, tiers):
    order = _create(buyer, [(track, tiers["creator"])])
    licensing.track_price_set(track=track, tier=tiers["creator"], price_cents=4500, by=creator)
    tier = tiers["creator"]
    tier.name = "Creator Plus"
    tier.save()
    line = OrderLine.objects.get(order=order)
    assert line.price_cents == 2900
    assert line.terms["tier"]["name"] == "Creator"
    assert Order.objects.get(pk=order.pk).total_cents == 2900


def test_it_uses_the_creators_price(buyer, creator, track, tiers):
    licensing.track_price_set(track=track, tier=tiers["creator"], price_cents=4500, by=creator)
    assert _create(buyer, [(track, tiers["creator"])]).total_cents == 4500


def test_it_refuses_a_track_that_is_not_on_sale(buyer, track, other_track, tiers):
    Track.objects.filter(pk=other_track.pk).update(status=Track.Status.WITHDRAWN)
    other_track.refresh_from_db()
    with pytest.raises(PaymentsError, match="withdrawn") as caught:
        _create(buyer, [(track, tiers["creator"]), (other_track, tiers["creator"])])
    assert caught.value.field == "lines[1].track"
    assert not Order.objects.exists() and not OrderLine.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"licensee_name": "  "}, "licensee_name"),
        ({"licensee_email": "not-an-email"}, "licensee_email"),
        ({"licensee_organisation": "x" * 121}, "licensee_organisation"),
        ({"project": "x" * 121}, "project"),
    ],
)
def test_it_names_the_licensee_field_at_fault(buyer, track, tiers, changes, field):
    with pytest.raises(PaymentsError) as caught:
        _create(buyer, [(track, tiers["creator"])], **changes)
    assert caught.value.field == field
    assert not Order.objects.exists()


def test_it_refuses_an_empty_order_and_a_track_twice(buyer, track, tiers):
    with pytest.raises(PaymentsError, match="at least one") as caught:
        _create(buyer, [])
    assert caught.value.field == "lines"
    with pytest.raises(PaymentsError, match="only once") as caught:
        _create(buyer, [(track, tiers["creator"]), (track, tiers["commercial"])])
    assert caught.value.field == "lines"


def test_an_exclusive_line_holds_the_track(buyer, exclusive_track, tiers):
    order = _create(buyer, [(exclusive_track, tiers["exclusive"])])
    line = order.lines.get()
    assert line.exclusive and line.holds_track
    assert order.expires_at > timezone.now() + timedelta(minutes=29)


def test_a_held_track_cannot_be_checked_out_by_another_buyer(buyer, stranger, exclusive_track, tiers):
    _create(buyer, [(exclusive_track, tiers["exclusive"])])
    with pytest.raises(PaymentsError, match="checking out this track exclusively") as caught:
        _create(stranger, [(exclusive_track, tiers["exclusive"])])
    assert caught.value.field == "lines[0].track"
    assert Order.objects.filter(buyer=stranger).count() == 0


def test_a_hold_does_not_stop_non_exclusive_licenses(buyer, stranger, exclusive_track, tiers):
    _create(buyer, [(exclusive_track, tiers["exclusive"])])
    assert _create(stranger, [(exclusive_track, tiers["creator"])]).status == Order.Status.PENDING


def test_an_expired_hold_is_released_for_the_next_buyer(buyer, stranger, exclusive_track, tiers):
    first = _create(buyer, [(exclusive_track, tiers["exclusive"])])
    Order.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    second = _create(stranger, [(exclusive_track, tiers["exclusive"])])
    first.refresh_from_db()
    assert first.status == Order.Status.RELEASED and first.failure_reason == "The checkout expired."
    assert not first.lines.get().holds_track
    assert second.lines.get().holds_track


def test_the_same_buyer_checking_out_again_replaces_their_hold(buyer, exclusive_track, tiers):
    first = _create(buyer, [(exclusive_track, tiers["exclusive"])])
    second = _create(buyer, [(exclusive_track, tiers["exclusive"])])
    first.refresh_from_db()
    assert first.status == Order.Status.RELEASED
    assert second.lines.get().holds_track


def test_it_expires_stale_orders(buyer, stranger, exclusive_track, track, tiers):
    stale = _create(buyer, [(exclusive_track, tiers["exclusive"])])
    fresh = _create(stranger, [(track, tiers["creator"])])
    Order.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.orders_expire_stale() == 1
    assert services.orders_expire_stale() == 0
    stale.refresh_from_db()
    assert stale.status == Order.Status.RELEASED and stale.released_at is not None
    assert Order.objects.get(pk=fresh.pk).status == Order.Status.PENDING


def test_a_currency_other_than_the_stores_is_refused(buyer, track, tiers, settings):
    settings.PAYMENTS_CURRENCY = "eur"
    with pytest.raises(PaymentsError, match="store sells in EUR") as caught:
        _create(buyer, [(track, tiers["creator"])])
    assert caught.value.field == "lines[0].tier"
