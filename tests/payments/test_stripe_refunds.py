"""Refunds through Stripe: keyed once, so a retry never pays out twice, and refused ones say why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from payments import gateway, services
from payments.errors import ProviderError
from payments.models import Order
from tests.fakes.stripe_server import deliver

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.stripe_server"]


@pytest.fixture
def paid_order(client, stripe_standin, tiers, track, make_order):
    order = make_order([(track, tiers["commercial"])])
    event = stripe_standin.event(
        "checkout.session.completed", stripe_standin.complete(order.provider_session_id)
    )
    assert (
        deliver(client, reverse("payments:stripe_webhook"), event, stripe_standin.webhook_secret).status_code
        == 200
    )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    return order


def test_a_retried_refund_is_made_once(stripe_standin, paid_order):
    kwargs = {
        "order": paid_order,
        "amount_cents": 500,
        "reason": "Goodwill",
        "idempotency_key": "order-x-goodwill",
    }

    first = gateway.refund(**kwargs)
    again = gateway.refund(**kwargs)

    assert again == first
    assert first.amount_cents == 500 and first.status == "succeeded"
    assert list(stripe_standin.refunds) == [first.refund_id]
    refund = stripe_standin.refunds[first.refund_id]
    assert refund["payment_intent"] == paid_order.provider_payment_id
    assert refund["metadata"] == {"reason": "Goodwill"}


def test_a_partial_refund_by_staff_keeps_the_license(stripe_standin, paid_order, admin_user):
    order = services.order_refund(order=paid_order, amount_cents=900, reason="Price match", by=admin_user)

    assert order.status == Order.Status.PARTIALLY_REFUNDED
    (call,) = stripe_standin.calls("POST", "/v1/refunds")
    assert call.params["amount"] == "900"
    assert call.idempotency_key == f"order-{order.pk}-refund-0-900"
    line = order.lines.get()
    assert line.license_code and not line.refunded


def test_a_refund_stripe_refuses_changes_nothing(stripe_standin, paid_order, admin_user):
    stripe_standin.refund_in_dashboard(paid_order.provider_payment_id)  # the money went back already

    with pytest.raises(ProviderError, match="Could not refund the payment"):
        services.order_refund(order=paid_order, reason="Bought by mistake", by=admin_user)

    paid_order.refresh_from_db()
    assert paid_order.status == Order.Status.PAID
    assert paid_order.refunded_cents == 0
    assert not paid_order.refunds.exists()


def test_a_refund_key_reused_for_another_amount_is_refused(stripe_standin, paid_order):
    kwargs = {"order": paid_order, "reason": "Goodwill", "idempotency_key": "order-x-goodwill"}
    gateway.refund(amount_cents=500, **kwargs)

    with pytest.raises(ProviderError, match="same parameters"):
        gateway.refund(amount_cents=700, **kwargs)

    assert [r["amount"] for r in stripe_standin.refunds.values()] == [500]
    assert stripe_standin.calls("POST", "/v1/refunds")[-1].status == 400
