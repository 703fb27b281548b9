"""Refunds revoke an order's licenses and disputes put them on hold; nothing is deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from licensing.models import License
from payments import services
from payments.errors import PaymentsError
from payments.events import event_process
from payments.models import Order, Refund


@pytest.fixture
def paid(track, other_track, tiers, make_order, sandbox_pay):
    return sandbox_pay(make_order([(track, tiers["creator"]), (other_track, tiers["commercial"])]))


def test_a_full_refund_revokes_the_orders_licenses(paid, stranger):
    order = services.order_refund(order=paid, reason="asked by the buyer", by=stranger)
    assert order.status == Order.Status.REFUNDED and order.refunded_cents == order.total_cents
    assert set(License.objects.values_list("status", flat=True)) == {"revoked"}
    assert License.objects.count() == 2  # kept, not deleted
    refund = Refund.objects.get(order=order)
    assert (refund.amount_cents, refund.by) == (order.total_cents, stranger)
    assert refund.provider_refund_id.startswith("re_sandbox_")
    assert services.order_refund(order=order, reason="again").refunded_cents == order.total_cents  # no-op


def test_the_order_page_shows_the_refund(client, buyer, paid):
    services.order_refund(order=paid, amount_cents=500, reason="goodwill")
    client.force_login(buyer)
    html = client.get(reverse("payments:order", args=[paid.pk])).content.decode()
    assert "Partially refunded" in html and "$5.00 · goodwill" in html


def test_a_partial_refund_keeps_the_licenses(paid):
    order = services.order_refund(order=paid, amount_cents=500, reason="goodwill")
    assert order.status == Order.Status.PARTIALLY_REFUNDED and order.refunded_cents == 500
    assert set(License.objects.values_list("status", flat=True)) == {"active"}
    order = services.order_refund(order=order, reason="the rest")
    assert order.status == Order.Status.REFUNDED
    assert set(License.objects.values_list("status", flat=True)) == {"revoked"}


@pytest.mark.parametrize("amount", [0, -5, 10**9, "100", True])
def test_it_refuses_a_refund_amount_out_of_range(paid, amount):
    with pytest.raises(PaymentsError) as caught:
        services.order_refund(order=paid, amount_cents=amount, reason="x")
    assert caught.value.field == "amount_cents"
    assert Order.objects.get(pk=paid.pk).refunded_cents == 0


def test_an_unpaid_order_cannot_be_refunded(track, tiers, make_order):
    with pytest.raises(PaymentsError, match="paid order") as caught:
        services.order_refund(order=make_order([(track, tiers["creator"])]), reason="x")
    assert caught.value.field == "order"


def _event(order, type, amount=None, event_id=None, **extra):
    return event_process(
        provider="sandbox",
        event_id=event_id or f"evt_{type}_{amount}",
        type=type,
        order_ref=str(order.pk),
        payment_id=order.provider_payment_id,
        amount_cents=amount,
        payload={"type": type},
        **extra,
    )


def test_a_refund_reported_by_the_provider_counts_once(paid):
    assert _event(paid, "charge.refunded", 1000, refund_id="re_dash_1") == "refunded"
    assert _event(paid, "charge.refunded", 1000, event_id="evt_other") == "ignored: refund already recorded"
    assert _event(paid, "charge.refunded", paid.total_cents, refund_id="re_dash_2") == "refunded"
    paid.refresh_from_db()
    assert paid.status == Order.Status.REFUNDED and paid.refunded_cents == paid.total_cents
    assert list(Refund.objects.values_list("amount_cents", flat=True)) == [1000, paid.total_cents - 1000]
    assert set(License.objects.values_list("status", flat=True)) == {"revoked"}


def test_a_dispute_marks_the_licenses_disputed(paid):
    services.order_dispute(payment_id=paid.provider_payment_id, reason="fraudulent")
    assert set(License.objects.values_list("status", flat=True)) == {"disputed"}
    assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID


def test_a_dispute_of_an_unknown_payment_is_refused(db):
    with pytest.raises(PaymentsError) as caught:
        services.order_dispute(payment_id="pi_nobody", reason="x")
    assert caught.value.field == "payment_id"


def test_a_refund_and_a_dispute_that_arrive_before_the_payment_wait_for_it(track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    assert _event(order, "charge.dispute.created") == "deferred: the order is not paid yet"
    assert License.objects.count() == 0
    assert _event(order, "checkout.session.completed", order.total_cents) == "paid"
    assert License.objects.get().status == "disputed"
    assert order.events.get(type="charge.dispute.created").result == "disputed"


def test_a_dispute_naming_only_its_payment_waits_for_that_payment(track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    common = {"provider": "sandbox", "payload": {}}
    early = event_process(
        event_id="evt_d",
        type="charge.dispute.created",
        order_ref=None,
        payment_id="pi_x",
        amount_cents=None,
        **common,
    )
    assert early == "deferred: the order is not paid yet"
    paid = event_process(
        event_id="evt_p",
        type="checkout.session.completed",
        order_ref=str(order.pk),
        payment_id="pi_x",
        amount_cents=order.total_cents,
        **common,
    )
    assert paid == "paid"
    assert License.objects.get().status == "disputed"
    assert order.events.get(event_id="evt_d").result == "disputed"


def test_an_event_for_nobody_is_recorded_and_ignored(db):
    result = event_process(
        provider="sandbox",
        event_id="evt_x",
        type="checkout.session.completed",
        order_ref="not-a-uuid",
        payment_id="",
        amount_cents=1,
        payload={},
    )
    assert result == "ignored: no matching order"
    assert (
        event_process(
            provider="sandbox",
            event_id="evt_y",
            type="customer.created",
            order_ref=None,
            payment_id="",
            amount_cents=None,
            payload={},
        )
        == "ignored: customer.created is not handled"
    )
