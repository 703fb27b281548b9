"""The orders API with the stripe provider: it answers with Stripe's checkout url, and the webhook pays."""

from __future__ import annotations

import pytest
from django.urls import reverse

from payments.models import Order
from tests.fakes.stripe_server import deliver
from tests.payments.conftest import LICENSEE

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.stripe_server"]

ORDERS = "/api/v1/orders/"


def test_it_places_an_order_that_is_paid_at_stripe(api, client, stripe_standin, buyer, track, tiers):
    api.force_authenticate(buyer)
    price = tiers["commercial"].default_price_cents
    # A client that sends its own prices is not listened to.
    line = {"track": track.slug, "tier": "commercial", "price_cents": 1}

    response = api.post(ORDERS, {"lines": [line], "total_cents": 1, **LICENSEE}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    session = stripe_standin.sessions[Order.objects.get(pk=body["id"]).provider_session_id]
    assert body["checkout_url"] == session["url"]
    assert body["checkout_url"].startswith(stripe_standin.base_url)
    assert body["total_cents"] == session["amount_total"] == price
    (call,) = stripe_standin.calls("POST", "/v1/checkout/sessions")
    assert call.params["line_items"][0]["price_data"]["unit_amount"] == str(price)
    assert call.params["success_url"].startswith(f"http://testserver/payments/orders/{body['id']}/")

    paid = stripe_standin.complete(session["id"])
    assert (
        deliver(
            client,
            reverse("payments:stripe_webhook"),
            stripe_standin.event("checkout.session.completed", paid),
            stripe_standin.webhook_secret,
        ).status_code
        == 200
    )

    after = api.get(f"{ORDERS}{body['id']}/").json()
    assert after["status"] == "paid"
    assert after["checkout_url"] is None
    assert len(after["licenses"]) == 1


def test_a_stranger_cannot_read_the_order(api, stripe_standin, buyer, stranger, track, tiers, make_order):
    order = make_order([(track, tiers["commercial"])])
    api.force_authenticate(stranger)

    assert api.get(f"{ORDERS}{order.pk}/").status_code == 404


def test_a_stripe_order_cannot_be_paid_through_the_sandbox(
    api, stripe_standin, buyer, track, tiers, make_order
):
    order = make_order([(track, tiers["commercial"])])
    api.force_authenticate(buyer)

    assert api.post(f"{ORDERS}{order.pk}/sandbox-pay/").status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


def test_when_stripe_fails_the_api_says_so_and_keeps_no_hold(api, stripe_standin, buyer, exclusive_track):
    stripe_standin.fail_next("/v1/checkout/sessions", status=500)
    api.force_authenticate(buyer)
    line = {"track": exclusive_track.slug, "tier": "exclusive"}

    response = api.post(ORDERS, {"lines": [line], **LICENSEE}, format="json")

    assert response.status_code == 502
    assert "Could not open the checkout" in response.json()["detail"]
    (order,) = Order.objects.all()
    assert order.status == Order.Status.RELEASED
    assert not order.lines.filter(holds_track=True).exists()

    # The track is free again for the next attempt.
    retry = api.post(ORDERS, {"lines": [line], **LICENSEE}, format="json")
    assert retry.status_code == 201, retry.json()
