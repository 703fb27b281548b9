"""Stripe webhook deliveries that are forged, stale or malformed get 400 and change nothing."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from licensing.models import License
from payments.models import Order, PaymentEvent
from tests.fakes.stripe_server import deliver, sign

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.stripe_server"]

URL = reverse("payments:stripe_webhook")


@pytest.fixture
def order(stripe_standin, tiers, track, make_order):
    return make_order([(track, tiers["commercial"])])


@pytest.fixture
def paid_event(stripe_standin, order):
    """A genuine `checkout.session.completed` for the order, not delivered yet."""
    session = stripe_standin.complete(order.provider_session_id)
    return stripe_standin.event("checkout.session.completed", session)


def state(order) -> tuple:
    order.refresh_from_db()
    return order.status, order.provider_payment_id, PaymentEvent.objects.count(), License.objects.count()


def post_raw(client, body: bytes, signature: str | None):
    headers = {} if signature is None else {"HTTP_STRIPE_SIGNATURE": signature}
    return client.post(URL, data=body, content_type="application/json", **headers)


def test_it_takes_a_genuine_delivery(client, stripe_standin, order, paid_event):
    response = deliver(client, URL, paid_event, stripe_standin.webhook_secret)

    assert response.status_code == 200
    assert state(order)[0] == Order.Status.PAID


def test_a_delivery_signed_with_another_secret_is_refused(client, order, paid_event):
    before = state(order)

    response = deliver(client, URL, paid_event, "whsec_someone_else")

    assert response.status_code == 400
    assert response.json()["field"] == "signature"
    assert state(order) == before == (Order.Status.PENDING, "", 0, 0)


def test_a_delivery_without_a_signature_is_refused(client, order, paid_event):
    before = state(order)

    response = post_raw(client, json.dumps(paid_event).encode(), None)

    assert response.status_code == 400
    assert state(order) == before


@pytest.mark.parametrize("header", ["", "garbage", "t=abc,v1=00", "t=1700000000", "v1=deadbeef"])
def test_a_delivery_with_a_mangled_signature_header_is_refused(
    client, stripe_standin, order, paid_event, header
):
    before = state(order)

    response = post_raw(client, json.dumps(paid_event).encode(), header)

    assert response.status_code == 400
    assert state(order) == before


def test_a_stale_delivery_is_refused(client, stripe_standin, order, paid_event):
    before = state(order)

    response = deliver(
        client, URL, paid_event, stripe_standin.webhook_secret, timestamp=int(time.time()) - 301
    )

    assert response.status_code == 400
    assert "tolerance" in response.json()["error"]
    assert state(order) == before


def test_a_body_changed_after_signing_is_refused(client, stripe_standin, order, paid_event):
    before = state(order)
    body = json.dumps(paid_event).encode()
    signature = sign(body, stripe_standin.webhook_secret)
    paid_event["data"]["object"]["amount_total"] = 1

    response = post_raw(client, json.dumps(paid_event).encode(), signature)

    assert response.status_code == 400
    assert state(order) == before


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"\xff\xfe\x00",
        b"[1, 2, 3]",
        b'"checkout.session.completed"',
        b"{}",
        b'{"id": 7, "type": "checkout.session.completed", "data": {"object": {}}}',
        b'{"id": "evt_1", "type": "checkout.session.completed"}',
        b'{"id": "evt_1", "type": "checkout.session.completed", "data": {"object": "cs_1"}}',
    ],
)
def test_a_signed_body_that_is_not_an_event_is_refused(client, stripe_standin, order, body):
    before = state(order)

    response = post_raw(client, body, sign(body, stripe_standin.webhook_secret))

    assert response.status_code == 400
    assert response.json()["field"] == "body"
    assert state(order) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount_total", "12900"), ("amount_total", -5), ("amount_total", True), ("payment_intent", 42)],
)
def test_a_signed_event_with_malformed_fields_is_refused(
    client, stripe_standin, order, paid_event, field, value
):
    before = state(order)
    paid_event["data"]["object"][field] = value

    response = deliver(client, URL, paid_event, stripe_standin.webhook_secret)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert state(order) == before


def test_without_a_configured_secret_every_delivery_is_refused(
    client, settings, stripe_standin, order, paid_event
):
    settings.STRIPE_WEBHOOK_SECRET = ""
    before = state(order)

    response = deliver(client, URL, paid_event, "")

    assert response.status_code == 400
    assert state(order) == before


def test_a_sandbox_signed_event_is_refused(client, stripe_standin, order):
    from payments.providers import sandbox

    before = state(order)
    body, signature = sandbox.event_build(order=order)

    response = post_raw(client, body, signature)

    assert response.status_code == 400
    assert state(order) == before


def test_it_takes_only_post(client, stripe_standin):
    assert client.get(URL).status_code == 405


def test_an_event_type_it_does_not_handle_is_answered_200(client, stripe_standin, order):
    event = stripe_standin.event("customer.created", {"id": "cus_123", "object": "customer"})
    before = state(order)

    response = deliver(client, URL, event, stripe_standin.webhook_secret)

    assert response.status_code == 200
    assert response.json()["result"].startswith("ignored")
    assert state(order)[:2] == before[:2]
    assert License.objects.count() == 0
