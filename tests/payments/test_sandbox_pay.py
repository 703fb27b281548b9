"""Paying in the sandbox: a signed event through the same fulfilment path as Stripe's webhook."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from licensing.models import License
from payments import services
from payments.errors import EventRejected
from payments.models import CartItem, Order, PaymentEvent
from payments.providers import sandbox

EVENTS = reverse("payments:sandbox_events")


def _post_event(client, body: bytes, signature: str):
    return client.post(EVENTS, data=body, content_type="application/json", HTTP_SANDBOX_SIGNATURE=signature)


def test_it_issues_one_license_per_line(client, buyer, track, other_track, tiers, make_order):
    services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    order = make_order([(track, tiers["creator"]), (other_track, tiers["commercial"])])
    client.force_login(buyer)
    page = client.get(reverse("payments:sandbox", args=[order.pk]))
    assert "Sandbox: no money moves" in page.content.decode()

    response = client.post(reverse("payments:sandbox_pay", args=[order.pk]))

    assert response.status_code == 302 and response.url == reverse("payments:order", args=[order.pk])
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.paid_at is not None
    assert order.provider_payment_id.startswith("pi_sandbox_")
    lines = list(order.lines.order_by("id"))
    licenses = License.objects.filter(source_key__in=[f"order-line:{line.pk}" for line in lines])
    assert sorted(lic.code for lic in licenses) == sorted(line.license_code for line in lines)
    first = licenses.get(source_key=f"order-line:{lines[0].pk}")
    assert (first.licensee, first.licensee_name, first.price_cents, first.terms) == (
        buyer,
        "Ada Park",
        lines[0].price_cents,
        lines[0].terms,
    )
    assert not CartItem.objects.filter(cart__user=buyer).exists()  # what was bought left the cart
    assert PaymentEvent.objects.get(order=order).result == "paid"


def test_a_replayed_event_is_refused_and_changes_nothing(client, track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    body, signature = sandbox.event_build(order=order)
    assert _post_event(client, body, signature).json() == {"result": "paid"}
    code = order.lines.get().license_code

    replay = _post_event(client, body, signature)

    assert replay.status_code == 400 and "already" in replay.json()["error"]
    assert License.objects.count() == 1 and order.lines.get().license_code == code
    assert PaymentEvent.objects.count() == 1


def test_paying_twice_is_a_no_op(track, tiers, make_order, sandbox_pay):
    order = make_order([(track, tiers["creator"])])
    sandbox_pay(order)
    paid_at = Order.objects.get(pk=order.pk).paid_at
    body, signature = sandbox.event_build(order=order)  # a second, distinct payment event
    assert sandbox.event_receive(body=body, signature=signature) == "ignored: order is paid"
    assert License.objects.count() == 1
    assert Order.objects.get(pk=order.pk).paid_at == paid_at


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body, sig: (body.replace(b'"amount_total":2900', b'"amount_total":1'), sig),
        lambda body, sig: (body, sig.replace("v1=", "v1=0")),
        lambda body, sig: (body, ""),
        lambda body, sig: (body, "t=abc,v1=def"),
        lambda body, sig: (body, sandbox.event_sign(body, timestamp=int(time.time()) - 3600)),
    ],
    ids=["forged-body", "forged-signature", "no-signature", "garbled-header", "stale"],
)
def test_a_forged_or_stale_event_is_refused_and_changes_nothing(client, track, tiers, make_order, tamper):
    order = make_order([(track, tiers["creator"])])
    body, signature = sandbox.event_build(order=order)
    response = _post_event(client, *tamper(body, signature))
    assert response.status_code == 400
    assert response.json()["field"] == "signature"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert not License.objects.exists() and not PaymentEvent.objects.exists()


def test_a_signed_event_that_is_not_an_event_is_refused(client):
    body = json.dumps({"hello": "world"}).encode()
    response = _post_event(client, body, sandbox.event_sign(body))
    assert response.status_code == 400 and response.json()["field"] == "body"


def test_the_sandbox_is_closed_while_the_site_takes_real_payments(
    client, buyer, settings, track, tiers, make_order
):
    order = make_order([(track, tiers["creator"])])
    settings.PAYMENTS_PROVIDER = "stripe"
    body, signature = sandbox.event_build(order=order)
    assert _post_event(client, body, signature).status_code == 404
    client.force_login(buyer)
    assert client.get(reverse("payments:sandbox", args=[order.pk])).status_code == 404
    assert client.post(reverse("payments:sandbox_pay", args=[order.pk])).status_code == 404
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING


def test_only_the_buyer_sees_and_pays_their_checkout(client, stranger, track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    client.force_login(stranger)
    assert client.get(reverse("payments:sandbox", args=[order.pk])).status_code == 404
    assert client.post(reverse("payments:sandbox_pay", args=[order.pk])).status_code == 404
    assert client.post(reverse("payments:sandbox_cancel", args=[order.pk])).status_code == 404
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING


def test_cancel_releases_the_order_and_keeps_the_cart(client, buyer, exclusive_track, tiers, make_order):
    services.cart_add(user=buyer, track=exclusive_track, tier=tiers["exclusive"])
    order = make_order([(exclusive_track, tiers["exclusive"])])
    client.force_login(buyer)
    response = client.post(reverse("payments:sandbox_cancel", args=[order.pk]))
    assert response.status_code == 302 and response.url == reverse("payments:cart")
    order.refresh_from_db()
    assert order.status == Order.Status.RELEASED and not order.lines.get().holds_track
    assert CartItem.objects.filter(cart__user=buyer).count() == 1


def test_the_event_verifier_rejects_an_event_from_the_future(track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    body, _ = sandbox.event_build(order=order)
    with pytest.raises(EventRejected, match="too old"):
        sandbox.event_receive(
            body=body, signature=sandbox.event_sign(body, timestamp=int(time.time()) + 3600)
        )
