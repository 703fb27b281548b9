"""What each verified Stripe event does to an order, whatever order and however often they arrive."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Track
from licensing.models import License
from payments.models import Order, PaymentEvent, Refund
from tests.fakes.stripe_server import deliver

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.stripe_server"]

URL = reverse("payments:stripe_webhook")


@pytest.fixture
def order(stripe_standin, tiers, exclusive_track, other_track, make_order):
    """A two-line order: the exclusive buyout of one track, a commercial license of another."""
    return make_order([(exclusive_track, tiers["exclusive"]), (other_track, tiers["commercial"])])


@pytest.fixture
def send(client, stripe_standin):
    """send(type, obj, event_id=None) -> the webhook's response to that signed event."""

    def post(type: str, obj: dict, *, event_id: str | None = None):
        event = stripe_standin.event(type, obj, event_id=event_id)
        return deliver(client, URL, event, stripe_standin.webhook_secret)

    return post


def licenses(order) -> list[License]:
    keys = [f"order-line:{pk}" for pk in order.lines.values_list("pk", flat=True)]
    return list(License.objects.filter(source_key__in=keys).order_by("pk"))


def outcome(order) -> tuple:
    """Everything a sequence of events decides, to compare sequences."""
    order.refresh_from_db()
    return (
        order.status,
        order.provider_payment_id,
        [(lic.tier.slug, lic.status) for lic in licenses(order)],
        Track.objects.get(pk=order.lines.get(exclusive=True).track_id).status,
        order.lines.filter(holds_track=True).count(),
        Refund.objects.filter(order=order).count(),
    )


def paid(order, stripe_standin) -> tuple:
    """The outcome of a paid order: both licenses active, the buyout sold, no hold, nothing refunded."""
    payment_intent = stripe_standin.sessions[order.provider_session_id]["payment_intent"]
    licensed = [("exclusive", "active"), ("commercial", "active")]
    return (Order.Status.PAID, payment_intent, licensed, Track.Status.SOLD_EXCLUSIVE, 0, 0)


def test_a_completed_paid_session_issues_one_license_per_line(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id)

    response = send("checkout.session.completed", session)

    assert response.status_code == 200
    assert response.json() == {"result": "paid"}
    assert outcome(order) == paid(order, stripe_standin)
    issued = licenses(order)
    assert [lic.price_cents for lic in issued] == list(
        order.lines.order_by("pk").values_list("price_cents", flat=True)
    )
    assert {lic.licensee_id for lic in issued} == {order.buyer_id}
    assert list(order.lines.order_by("pk").values_list("license_code", flat=True)) == [
        lic.code for lic in issued
    ]


def test_a_replayed_event_changes_nothing(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id)
    send("checkout.session.completed", session, event_id="evt_once")
    before = outcome(order)

    response = send("checkout.session.completed", session, event_id="evt_once")

    assert response.status_code == 200
    assert response.json() == {"result": "duplicate"}
    assert outcome(order) == before
    assert PaymentEvent.objects.filter(event_id="evt_once").count() == 1


def test_completed_twice_under_different_event_ids_issues_the_licenses_once(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id)

    send("checkout.session.completed", session)
    send("checkout.session.completed", session)

    assert outcome(order) == paid(order, stripe_standin)
    assert PaymentEvent.objects.filter(order=order).count() == 2


@pytest.mark.parametrize(
    "sequence",
    [
        ["completed"],
        ["expired", "completed"],
        ["completed", "expired"],
        ["completed", "async_failed"],
        ["async_failed", "completed"],
        ["completed", "completed"],
    ],
)
def test_any_order_of_arrival_ends_paid(stripe_standin, order, send, sequence):
    session = stripe_standin.complete(order.provider_session_id)
    types = {
        "completed": "checkout.session.completed",
        "expired": "checkout.session.expired",
        "async_failed": "checkout.session.async_payment_failed",
    }

    for step in sequence:
        assert send(types[step], session).status_code == 200

    assert outcome(order) == paid(order, stripe_standin)


def test_an_unpaid_completion_waits_for_the_async_payment(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id, payment_status="unpaid")

    response = send("checkout.session.completed", session)

    assert response.status_code == 200
    assert response.json()["result"].startswith("waiting")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert licenses(order) == []
    assert order.lines.filter(holds_track=True).count() == 1

    settled = stripe_standin.async_result(order.provider_session_id, succeeded=True)
    assert send("checkout.session.async_payment_succeeded", settled).json() == {"result": "paid"}
    assert outcome(order) == paid(order, stripe_standin)


def test_a_failed_async_payment_releases_the_order_and_its_hold(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id, payment_status="unpaid")
    send("checkout.session.completed", session)

    failed = stripe_standin.async_result(order.provider_session_id, succeeded=False)
    response = send("checkout.session.async_payment_failed", failed)

    assert response.json() == {"result": "released"}
    order.refresh_from_db()
    assert order.status == Order.Status.RELEASED
    assert licenses(order) == []
    assert order.lines.filter(holds_track=True).count() == 0


def test_an_expired_session_releases_the_order(stripe_standin, order, send):
    response = send("checkout.session.expired", stripe_standin.expire(order.provider_session_id))

    assert response.json() == {"result": "released"}
    order.refresh_from_db()
    assert order.status == Order.Status.RELEASED
    assert order.lines.filter(holds_track=True).count() == 0


def test_a_refund_made_at_stripe_revokes_the_licenses(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id)
    send("checkout.session.completed", session)

    charge = stripe_standin.refund_in_dashboard(session["payment_intent"])
    response = send("charge.refunded", charge)

    assert response.json() == {"result": "refunded"}
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert order.refunded_cents == order.total_cents
    assert [lic.status for lic in licenses(order)] == ["revoked", "revoked"]
    (refund,) = Refund.objects.filter(order=order)
    assert refund.amount_cents == order.total_cents
    # Revoked, not deleted.
    assert License.objects.count() == 2


def test_a_refund_reported_before_the_payment_waits_for_it(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id)
    charge = stripe_standin.refund_in_dashboard(session["payment_intent"])

    early = send("charge.refunded", charge)
    assert early.json()["result"].startswith("deferred")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING

    send("checkout.session.completed", session)

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert order.refunded_cents == order.total_cents
    assert [lic.status for lic in licenses(order)] == ["revoked", "revoked"]


def test_a_partial_refund_at_stripe_keeps_the_licenses(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id)
    send("checkout.session.completed", session)

    charge = stripe_standin.refund_in_dashboard(session["payment_intent"], amount=1000)
    send("charge.refunded", charge)
    send("charge.refunded", charge)  # Stripe may report the same refund twice

    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_REFUNDED
    assert order.refunded_cents == 1000
    assert [lic.status for lic in licenses(order)] == ["active", "active"]


def test_a_refund_made_here_is_not_counted_again_when_stripe_reports_it(
    stripe_standin, order, send, admin_user
):
    from payments import services

    session = stripe_standin.complete(order.provider_session_id)
    send("checkout.session.completed", session)

    services.order_refund(order=order, reason="Bought by mistake", by=admin_user)
    (call,) = stripe_standin.calls("POST", "/v1/refunds")
    assert call.status == 200
    assert call.params["payment_intent"] == session["payment_intent"]
    assert call.params["amount"] == str(order.total_cents)
    assert call.idempotency_key

    response = send("charge.refunded", stripe_standin.charge_for(session["payment_intent"]))

    assert response.json()["result"].startswith("ignored")
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert order.refunded_cents == order.total_cents
    (refund,) = Refund.objects.filter(order=order)
    assert refund.provider_refund_id in stripe_standin.refunds
    assert [lic.status for lic in licenses(order)] == ["revoked", "revoked"]


def test_a_dispute_marks_the_licenses_disputed(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id)
    send("checkout.session.completed", session)

    response = send("charge.dispute.created", stripe_standin.dispute(session["payment_intent"]))

    assert response.json() == {"result": "disputed"}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert [lic.status for lic in licenses(order)] == ["disputed", "disputed"]


def test_a_buyout_paid_after_another_buyer_won_it_is_refunded_at_stripe(
    stripe_standin, tiers, exclusive_track, make_order, stranger, send
):
    first = make_order([(exclusive_track, tiers["exclusive"])])
    stripe_standin.expire(first.provider_session_id)
    send("checkout.session.expired", stripe_standin.sessions[first.provider_session_id])
    second = make_order([(exclusive_track, tiers["exclusive"])], buyer=stranger)
    # The first buyer still pays on a page left open; the second pays too.
    send("checkout.session.completed", stripe_standin.complete(second.provider_session_id))
    stripe_standin.fail_next("/v1/refunds", status=500)
    late = stripe_standin.complete(first.provider_session_id)

    refused = send("checkout.session.completed", late, event_id="evt_late")

    assert refused.status_code == 503  # the refund could not be made: Stripe delivers the event again
    first.refresh_from_db()
    assert first.status == Order.Status.RELEASED
    assert not PaymentEvent.objects.filter(event_id="evt_late").exists()

    assert send("checkout.session.completed", late, event_id="evt_late").json() == {"result": "paid"}
    first.refresh_from_db()
    assert first.status == Order.Status.REFUNDED
    assert first.refunded_cents == first.total_cents
    assert licenses(first) == []
    calls = stripe_standin.calls("POST", "/v1/refunds")
    assert [c.status for c in calls] == [500, 200]
    assert calls[0].idempotency_key == calls[1].idempotency_key == f"order-{first.pk}-unfulfilled"
    assert [(lic.licensee_id, lic.status) for lic in License.objects.filter(track=exclusive_track)] == [
        (stranger.pk, "active")
    ]
