"""Stripe's dispute events through the signed webhook: created holds the licenses and the money, closed
as won gives both back, closed as lost leaves them; early arrivals wait for the payment."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.urls import reverse

from licensing.models import License
from payments import ledger
from payments.models import LedgerEntry, creator_account
from tests.fakes.stripe_server import deliver

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.stripe_server"]

URL = reverse("payments:stripe_webhook")


@pytest.fixture
def order(stripe_standin, tiers, track, make_order):
    return make_order([(track, tiers["commercial"])])


@pytest.fixture
def send(client, stripe_standin):
    def post(type: str, obj: dict):
        return deliver(client, URL, stripe_standin.event(type, obj), stripe_standin.webhook_secret).json()

    return post


def _state(order, creator) -> tuple:
    order.refresh_from_db()
    return (
        order.status,
        list(License.objects.values_list("status", flat=True)),
        ledger.account_balance(account=creator_account(creator.pk), currency="usd"),
        ledger.account_balance(account="disputes", currency="usd"),
        LedgerEntry.objects.filter(order=order).aggregate(s=Sum("amount_cents"))["s"],
    )


def test_a_dispute_won_at_stripe_puts_everything_back(stripe_standin, order, send, creator):
    session = stripe_standin.complete(order.provider_session_id)
    send("checkout.session.completed", session)
    paid = _state(order, creator)
    dispute = stripe_standin.dispute(session["payment_intent"])

    assert send("charge.dispute.created", dispute) == {"result": "disputed"}
    assert _state(order, creator) == ("paid", ["disputed"], 0, order.total_cents, 0)

    closed = stripe_standin.close_dispute(dispute["id"], won=True)
    assert send("charge.dispute.closed", closed) == {"result": "dispute won"}
    assert _state(order, creator) == paid == ("paid", ["active"], 6930, 0, 0)


def test_a_dispute_lost_at_stripe_leaves_the_licenses_disputed(stripe_standin, order, send, creator):
    session = stripe_standin.complete(order.provider_session_id)
    send("checkout.session.completed", session)
    dispute = stripe_standin.dispute(session["payment_intent"])
    send("charge.dispute.created", dispute)

    closed = stripe_standin.close_dispute(dispute["id"], won=False)
    assert send("charge.dispute.closed", closed) == {"result": "ignored: the dispute closed as lost"}
    assert _state(order, creator) == ("paid", ["disputed"], 0, order.total_cents, 0)


def test_a_won_dispute_reported_before_the_payment_and_the_dispute_waits(
    stripe_standin, order, send, creator
):
    session = stripe_standin.complete(order.provider_session_id)
    dispute = stripe_standin.dispute(session["payment_intent"])
    closed = stripe_standin.close_dispute(dispute["id"], won=True)

    assert send("charge.dispute.closed", closed)["result"].startswith("deferred")
    assert send("charge.dispute.created", dispute)["result"].startswith("deferred")
    assert send("checkout.session.completed", session) == {"result": "paid"}

    assert _state(order, creator) == ("paid", ["active"], 6930, 0, 0)
    results = dict(order.events.values_list("type", "result"))
    assert results["charge.dispute.closed"] == "dispute won"
    assert results["charge.dispute.created"] == "ignored: the dispute was won already"
