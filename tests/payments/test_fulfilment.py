"""order_mark_paid, the one fulfilment path: exclusive buyouts, late payments, mismatched amounts."""

from __future__ import annotations

from licensing.models import License
from payments import services
from payments.models import Order, Refund


def test_an_exclusive_buyout_takes_the_track_out_of_the_catalog(
    exclusive_track, tiers, make_order, sandbox_pay
):
    order = sandbox_pay(make_order([(exclusive_track, tiers["exclusive"])]))
    line = order.lines.get()
    assert order.status == Order.Status.PAID and line.license_code and not line.holds_track
    exclusive_track.refresh_from_db()
    assert exclusive_track.status == "sold_exclusive"


def test_a_second_exclusive_payment_is_refunded_automatically(
    buyer, stranger, exclusive_track, track, tiers, make_order, sandbox_pay
):
    first = make_order([(exclusive_track, tiers["exclusive"])])
    services.order_release(order_id=first.pk, reason="expired")  # the hold lapsed ...
    second = make_order([(exclusive_track, tiers["exclusive"])], buyer=stranger)
    sandbox_pay(second)
    # ... yet the first buyer's payment still arrives: it is fulfilled where it can be, refunded where not.
    first = services.order_mark_paid(order_id=first.pk, payment_id="pi_late", amount_cents=first.total_cents)

    assert first.status == Order.Status.REFUNDED and first.refunded_cents == first.total_cents
    assert "exclusive" in first.failure_reason
    line = first.lines.get()
    assert line.refunded and not line.license_code
    refund = Refund.objects.get(order=first)
    assert refund.line == line and refund.amount_cents == line.price_cents
    assert refund.provider_refund_id.startswith("re_sandbox_")
    assert License.objects.filter(track=exclusive_track, exclusive=True).count() == 1


def test_only_the_line_that_cannot_be_licensed_is_refunded(
    buyer, stranger, exclusive_track, other_track, tiers, make_order, sandbox_pay
):
    first = make_order([(exclusive_track, tiers["exclusive"]), (other_track, tiers["creator"])])
    services.order_release(order_id=first.pk, reason="expired")
    sandbox_pay(make_order([(exclusive_track, tiers["exclusive"])], buyer=stranger))
    first = services.order_mark_paid(order_id=first.pk, payment_id="pi_late", amount_cents=first.total_cents)
    exclusive_line, creator_line = first.lines.order_by("id")
    assert first.status == Order.Status.PARTIALLY_REFUNDED
    assert first.refunded_cents == exclusive_line.price_cents
    assert exclusive_line.refunded and not creator_line.refunded and creator_line.license_code


def test_a_payment_of_the_wrong_amount_is_refunded_not_fulfilled(track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    order = services.order_mark_paid(order_id=order.pk, payment_id="pi_odd", amount_cents=100)
    assert order.status == Order.Status.REFUNDED and "did not match" in order.failure_reason
    assert not License.objects.exists()


def test_a_release_after_payment_is_ignored(track, tiers, make_order, sandbox_pay):
    order = sandbox_pay(make_order([(track, tiers["creator"])]))
    assert services.order_release(order_id=order.pk, reason="expired").status == Order.Status.PAID
