"""Twenty buyers race for one exclusive buyout: one gets it, the others get a clear answer or their money
back. Real concurrency needs PostgreSQL's row locks; SQLite runs one writer at a time."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from catalog.models import Track
from licensing import services as licensing
from licensing.models import License
from payments import services
from payments.errors import PaymentsError
from payments.models import Order, OrderLine, Refund
from payments.providers import sandbox
from tests.fakes.stripe_server import sign
from tests.payments.conftest import LICENSEE

pytest_plugins = ["tests.fakes.stripe_server"]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the race needs concurrent writers: run with DATABASE_URL=postgres://...",
    ),
]

BUYERS = 20


def race(work: Callable[[int], object]) -> list[object]:
    """Run work(0..BUYERS-1) in as many threads released at the same moment, each with its own database
    connection; returns each result or the exception it raised."""
    barrier = threading.Barrier(BUYERS)
    results: list[object] = [None] * BUYERS

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def buyout(make_track, creator):
    """A track whose exclusive buyout is on offer, its tier, and twenty buyers."""
    tiers = {tier.slug: tier for tier in licensing.tiers_seed()}  # a transactional test flushed the seed
    track = make_track("heist")
    licensing.track_price_set(track=track, tier=tiers["exclusive"], price_cents=150000, by=creator)
    buyers = [User.objects.create_user(f"buyer{i}@example.com", None) for i in range(BUYERS)]
    return track, tiers["exclusive"], buyers


def test_twenty_buyers_opening_checkout_at_once_leave_one_holding_the_track(buyout):
    track, tier, buyers = buyout

    def checkout(i: int) -> Order:
        return services.order_create(
            buyer=buyers[i], lines=[(Track.objects.get(pk=track.pk), tier)], provider="sandbox", **LICENSEE
        )

    results = race(checkout)

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, PaymentsError)]
    assert len(orders) == 1, results
    assert len(refused) == BUYERS - 1, results
    assert {(e.message, e.field) for e in refused} == {(services.HOLD_TAKEN, "lines[0].track")}
    # The refused ones left nothing behind.
    assert Order.objects.count() == 1
    assert list(OrderLine.objects.values_list("order_id", "holds_track")) == [(orders[0].pk, True)]


def twenty_open_checkouts(track, tier, buyers) -> list[Order]:
    """Twenty orders for the buyout, each with its checkout open at the provider. Only the last still
    holds the track: the others' holds expired one after another, their payment pages still open."""
    orders = []
    for i, buyer in enumerate(buyers):
        order = services.order_create(buyer=buyer, lines=[(track, tier)], **LICENSEE)
        order = services.order_checkout_begin(
            order=order, success_url="http://testserver/done/", cancel_url="http://testserver/cart/"
        )
        if i < len(buyers) - 1:
            services.order_release(order_id=order.pk, reason="The checkout expired.")
        orders.append(order)
    return orders


def assert_one_buyout_and_nineteen_refunds(track, orders) -> list[Order]:
    track.refresh_from_db()
    assert track.status == Track.Status.SOLD_EXCLUSIVE
    (license,) = License.objects.filter(track=track)
    assert license.exclusive and license.status == License.Status.ACTIVE
    for order in orders:
        order.refresh_from_db()
    winners = [o for o in orders if o.status == Order.Status.PAID]
    losers = [o for o in orders if o.status == Order.Status.REFUNDED]
    assert len(winners) == 1 and len(losers) == BUYERS - 1
    assert license.licensee_id == winners[0].buyer_id
    assert license.source_key == f"order-line:{winners[0].lines.get().pk}"
    assert all(o.refunded_cents == o.total_cents == 150000 for o in losers)
    assert Refund.objects.filter(order__in=losers, amount_cents=150000).count() == BUYERS - 1
    assert not Refund.objects.filter(order=winners[0]).exists()
    assert not OrderLine.objects.filter(holds_track=True).exists()
    return losers


def test_twenty_sandbox_payments_at_once_sell_the_buyout_once(settings, buyout):
    settings.PAYMENTS_PROVIDER = "sandbox"
    track, tier, buyers = buyout
    orders = twenty_open_checkouts(track, tier, buyers)
    events = [sandbox.event_build(order=order) for order in orders]

    results = race(lambda i: sandbox.event_receive(body=events[i][0], signature=events[i][1]))

    assert results == ["paid"] * BUYERS
    losers = assert_one_buyout_and_nineteen_refunds(track, orders)
    assert len({r.provider_refund_id for r in Refund.objects.filter(order__in=losers)}) == BUYERS - 1


def test_twenty_stripe_payments_at_once_sell_the_buyout_once(stripe_standin, buyout):
    track, tier, buyers = buyout
    orders = twenty_open_checkouts(track, tier, buyers)
    assert len(stripe_standin.sessions) == BUYERS
    bodies = []
    for order in orders:
        session = stripe_standin.complete(order.provider_session_id)
        event = stripe_standin.event("checkout.session.completed", session)
        bodies.append(json.dumps(event).encode())
    url = reverse("payments:stripe_webhook")

    def deliver(i: int):
        signature = sign(bodies[i], stripe_standin.webhook_secret)
        response = Client().post(
            url, bodies[i], content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        return response.status_code, response.json()

    results = race(deliver)

    assert results == [(200, {"result": "paid"})] * BUYERS
    losers = assert_one_buyout_and_nineteen_refunds(track, orders)
    refunds = stripe_standin.calls("POST", "/v1/refunds")
    assert [r.status for r in refunds] == [200] * (BUYERS - 1)
    assert len({r.idempotency_key for r in refunds}) == BUYERS - 1
    assert {r.params["payment_intent"] for r in refunds} == {o.provider_payment_id for o in losers}
    assert {r.params["amount"] for r in refunds} == {"150000"}
    assert {r.provider_refund_id for r in Refund.objects.filter(order__in=losers)} == set(
        stripe_standin.refunds
    )
