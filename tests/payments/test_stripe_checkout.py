"""Opening a Stripe Checkout Session for an order, through the real client against the local stand-in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from payments import gateway, services, stripe_api
from payments.errors import ProviderError
from payments.models import Order
from tests.payments.conftest import LICENSEE

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.stripe_server"]


def test_it_opens_a_session_priced_in_cents_from_the_order_lines(
    stripe_standin, buyer, tiers, exclusive_track, other_track, offer_exclusive, make_order
):
    offer_exclusive(exclusive_track, price_cents=120000)
    order = make_order([(exclusive_track, tiers["exclusive"]), (other_track, tiers["commercial"])])

    (call,) = stripe_standin.calls("POST", "/v1/checkout/sessions")
    assert call.status == 200
    assert call.idempotency_key == f"order-{order.pk}-checkout"
    assert call.headers["authorization"] == f"Bearer {stripe_standin.secret_key}"
    assert call.headers["stripe-version"] == stripe_api.API_VERSION
    lines = list(order.lines.order_by("pk"))
    assert [item["price_data"]["unit_amount"] for item in call.params["line_items"]] == [
        str(line.price_cents) for line in lines
    ]
    assert [line.price_cents for line in lines] == [120000, lines[1].price_cents]
    assert {item["price_data"]["currency"] for item in call.params["line_items"]} == {"usd"}
    assert (
        call.params["line_items"][0]["price_data"]["product_data"]["name"]
        == "Night Vault — Exclusive buyout license"
    )
    assert call.params["metadata"] == {"order_id": str(order.pk)}
    assert call.params["client_reference_id"] == str(order.pk)
    assert call.params["customer_email"] == buyer.email
    assert call.params["mode"] == "payment"

    session = stripe_standin.sessions[order.provider_session_id]
    assert session["amount_total"] == order.total_cents == sum(line.price_cents for line in lines)
    assert order.checkout_url == session["url"]
    assert Order.objects.get(pk=order.pk).provider_session_id == session["id"]


def test_opening_the_checkout_again_returns_the_same_session(stripe_standin, buyer, tiers, track):
    order = services.order_create(buyer=buyer, lines=[(track, tiers["commercial"])], **LICENSEE)
    kwargs = {"order": order, "success_url": "http://testserver/ok/", "cancel_url": "http://testserver/no/"}

    first = gateway.checkout_begin(**kwargs)
    again = gateway.checkout_begin(**kwargs)

    assert again == first
    assert len(stripe_standin.sessions) == 1
    calls = stripe_standin.calls("POST", "/v1/checkout/sessions")
    assert [c.idempotency_key for c in calls] == [f"order-{order.pk}-checkout"] * 2
    assert [c.replayed for c in calls] == [False, True]


def test_the_session_outlives_a_hold_shorter_than_stripe_allows(
    stripe_standin, settings, tiers, exclusive_track, make_order
):
    settings.CHECKOUT_HOLD_MINUTES = 5
    order = make_order([(exclusive_track, tiers["exclusive"])])

    (call,) = stripe_standin.calls("POST", "/v1/checkout/sessions")
    assert call.status == 200
    assert int(call.params["expires_at"]) == int((order.created_at + timedelta(minutes=31)).timestamp())
    assert order.expires_at == order.created_at + timedelta(minutes=5)


def test_a_long_hold_is_kept_as_the_sessions_end(
    stripe_standin, settings, tiers, exclusive_track, make_order
):
    settings.CHECKOUT_HOLD_MINUTES = 90
    order = make_order([(exclusive_track, tiers["exclusive"])])

    (call,) = stripe_standin.calls("POST", "/v1/checkout/sessions")
    assert int(call.params["expires_at"]) == int(order.expires_at.timestamp())


def test_a_checkout_stripe_refuses_releases_the_order(stripe_standin, buyer, tiers, exclusive_track):
    stripe_standin.fail_next("/v1/checkout/sessions", status=500)
    order = services.order_create(buyer=buyer, lines=[(exclusive_track, tiers["exclusive"])], **LICENSEE)

    with pytest.raises(ProviderError, match="Could not open the checkout"):
        services.order_checkout_begin(
            order=order, success_url="http://testserver/ok/", cancel_url="http://x/"
        )

    order.refresh_from_db()
    assert order.status == Order.Status.RELEASED
    assert order.provider_session_id == ""
    assert not order.lines.filter(holds_track=True).exists()


def test_a_wrong_secret_key_is_a_clear_error(stripe_standin, settings, buyer, tiers, track):
    settings.STRIPE_SECRET_KEY = "sk_test_not_the_right_one"
    order = services.order_create(buyer=buyer, lines=[(track, tiers["commercial"])], **LICENSEE)

    with pytest.raises(ProviderError, match="Could not open the checkout"):
        services.order_checkout_begin(
            order=order, success_url="http://testserver/ok/", cancel_url="http://x/"
        )

    (call,) = stripe_standin.calls("POST", "/v1/checkout/sessions")
    assert call.status == 401
    assert stripe_standin.sessions == {}


def test_without_a_secret_key_no_request_is_made(stripe_standin, settings, buyer, tiers, track):
    settings.STRIPE_SECRET_KEY = ""
    order = services.order_create(buyer=buyer, lines=[(track, tiers["commercial"])], **LICENSEE)

    with pytest.raises(ProviderError, match="STRIPE_SECRET_KEY"):
        services.order_checkout_begin(
            order=order, success_url="http://testserver/ok/", cancel_url="http://x/"
        )

    assert stripe_standin.requests == []
