"""Stripe's fee, read through the real client from the charge's balance transaction: posted once, when
the payment is fulfilled or, where Stripe attaches the balance transaction later, on `charge.updated`."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.urls import reverse

from payments import ledger, stripe_api
from payments.errors import ProviderError
from payments.models import LedgerEntry, PaymentEvent, creator_account
from tests.fakes.stripe_server import deliver

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.stripe_server"]

URL = reverse("payments:stripe_webhook")


@pytest.fixture
def order(stripe_standin, tiers, track, other_track, make_order):
    """$29 + $99 = $128: Stripe's fee is 2.9 % (371) + 30 = 401 cents."""
    return make_order([(track, tiers["creator"]), (other_track, tiers["commercial"])])


@pytest.fixture
def send(client, stripe_standin):
    def post(type: str, obj: dict, *, event_id: str | None = None):
        return deliver(
            client, URL, stripe_standin.event(type, obj, event_id=event_id), stripe_standin.webhook_secret
        )

    return post


def _fees(order) -> set[tuple[str, int, str]]:
    return {
        (e.account, e.amount_cents, e.currency) for e in LedgerEntry.objects.filter(order=order, kind="fee")
    }


def _order_sums(order) -> dict[str, int]:
    rows = LedgerEntry.objects.filter(order=order).values("currency").annotate(s=Sum("amount_cents"))
    return {row["currency"]: row["s"] for row in rows}


def test_the_fee_of_a_card_payment_is_read_from_its_balance_transaction(stripe_standin, order, send, creator):
    session = stripe_standin.complete(order.provider_session_id)

    assert send("checkout.session.completed", session).json() == {"result": "paid"}

    charge = stripe_standin.charge_for(session["payment_intent"])
    txn = stripe_standin.balance_transactions[charge["balance_transaction"]]
    assert txn["fee"] == 401
    assert _fees(order) == {("processor_fees", 401, "usd"), ("platform", -401, "usd")}
    memo = LedgerEntry.objects.get(order=order, account="processor_fees").memo
    assert charge["id"] in memo and txn["id"] in memo and "simulated" not in memo
    (call,) = stripe_standin.calls("GET", f"/v1/payment_intents/{session['payment_intent']}")
    assert call.params == {"expand": ["latest_charge.balance_transaction"]}
    assert call.status == 200
    assert _order_sums(order) == {"usd": 0}
    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == 2030 + 6930


def test_a_fee_not_known_at_payment_is_posted_when_stripe_reports_the_charge_updated(
    stripe_standin, order, send
):
    stripe_standin.defer_balance_transactions = True
    session = stripe_standin.complete(order.provider_session_id)
    assert send("checkout.session.completed", session).json() == {"result": "paid"}
    assert _fees(order) == set()

    early = send("charge.updated", stripe_standin.charge_for(session["payment_intent"]))
    assert early.json() == {"result": "waiting: the fee is not known yet"}

    settled = stripe_standin.settle(session["payment_intent"])
    assert send("charge.updated", settled).json() == {"result": "fee recorded"}
    assert send("charge.updated", settled).json() == {"result": "ignored: fee already recorded"}

    assert _fees(order) == {("processor_fees", 401, "usd"), ("platform", -401, "usd")}
    assert _order_sums(order) == {"usd": 0}


def test_a_charge_update_that_arrives_before_the_payment_waits_for_it(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id)
    charge = stripe_standin.charge_for(session["payment_intent"])

    assert send("charge.updated", charge, event_id="evt_charge").json()["result"].startswith("deferred")
    assert send("checkout.session.completed", session).json() == {"result": "paid"}

    assert PaymentEvent.objects.get(event_id="evt_charge").result == "ignored: fee already recorded"
    assert LedgerEntry.objects.filter(order=order, kind="fee").values("posting").distinct().count() == 1
    assert _fees(order) == {("processor_fees", 401, "usd"), ("platform", -401, "usd")}


def test_when_stripe_cannot_say_the_fee_the_payment_still_goes_through(stripe_standin, order, send):
    session = stripe_standin.complete(order.provider_session_id)
    stripe_standin.fail_next("/v1/payment_intents/", status=500)

    assert send("checkout.session.completed", session).json() == {"result": "paid"}
    assert _fees(order) == set()

    # The charge.updated that follows cannot reach Stripe either: 503, nothing recorded, Stripe retries.
    charge = stripe_standin.charge_for(session["payment_intent"])
    stripe_standin.fail_next("/v1/payment_intents/", status=500)
    assert send("charge.updated", charge, event_id="evt_upd").status_code == 503
    assert not PaymentEvent.objects.filter(event_id="evt_upd").exists()

    assert send("charge.updated", charge, event_id="evt_upd").json() == {"result": "fee recorded"}
    assert _fees(order) == {("processor_fees", 401, "usd"), ("platform", -401, "usd")}


def test_stripe_keeps_its_fee_on_a_refund_and_the_platform_bears_it(stripe_standin, order, send, creator):
    session = stripe_standin.complete(order.provider_session_id)
    send("checkout.session.completed", session)

    send("charge.refunded", stripe_standin.refund_in_dashboard(session["payment_intent"]))

    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == 0
    assert ledger.account_balance(account="platform", currency="usd") == -401
    assert ledger.account_balance(account="processor_fees", currency="usd") == 401
    assert _order_sums(order) == {"usd": 0}


def test_a_fee_in_the_platforms_settlement_currency_balances_in_that_currency(stripe_standin, order, send):
    stripe_standin.settlement_currency = "eur"
    send("checkout.session.completed", stripe_standin.complete(order.provider_session_id))

    assert _fees(order) == {("processor_fees", 401, "eur"), ("platform", -401, "eur")}
    assert _order_sums(order) == {"usd": 0, "eur": 0}


def test_stripe_refuses_to_expand_what_cannot_be_expanded(stripe_standin, order):
    session = stripe_standin.complete(order.provider_session_id)

    with pytest.raises(ProviderError, match="Could not read the payment"):
        stripe_api.payment_intent_retrieve(payment_intent=session["payment_intent"], expand=["metadata"])
    with pytest.raises(ProviderError, match="Could not read the payment"):
        stripe_api.payment_intent_retrieve(payment_intent="pi_nobody")
    with pytest.raises(ProviderError) as caught:
        stripe_api.payment_intent_retrieve(payment_intent="")
    assert caught.value.field == "payment_id"
    assert [c.status for c in stripe_standin.calls("GET", "/v1/payment_intents/")] == [400, 404]
