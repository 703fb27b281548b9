"""Payouts through the real `stripe` client against the stand-in: transfers keyed by the payout, retried
under the same key, never duplicated; refunds after a payout reversed through transfer reversals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from payments import ledger, payouts, services
from payments.models import Order, Payout
from tests.fakes.stripe_server import deliver

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.stripe_server"]


@pytest.fixture
def pay(client, stripe_standin, make_order):
    """pay([(track, tier)]) -> an order paid through Stripe's webhook."""

    def pay_(lines):
        order = make_order(lines)
        event = stripe_standin.event(
            "checkout.session.completed", stripe_standin.complete(order.provider_session_id)
        )
        deliver(client, reverse("payments:stripe_webhook"), event, stripe_standin.webhook_secret)
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        return order

    return pay_


@pytest.fixture
def stripe_account(stripe_standin, creator):
    payouts.connect_onboarding_link(
        creator=creator, refresh_url="http://testserver/r", return_url="http://testserver/b"
    )
    stripe_standin.onboard(creator.connect_account.account_id)
    return payouts.connect_account_refresh(creator=creator)


@pytest.fixture
def earned(pay, track, tiers):
    return pay([(track, tiers["commercial"])])  # the creator's share: 6930


def test_a_payout_is_one_transfer_keyed_by_the_payout(stripe_standin, stripe_account, earned, run_payouts):
    run = run_payouts()
    payout = Payout.objects.get()
    assert run.paid_count == 1 and payout.status == "paid"
    transfer = stripe_standin.transfers[payout.transfer_id]
    assert (transfer["amount"], transfer["currency"], transfer["destination"]) == (
        6930,
        "usd",
        stripe_account.account_id,
    )
    assert transfer["metadata"] == {"payout_id": str(payout.pk)}
    (call,) = stripe_standin.calls("POST", "/v1/transfers")
    assert call.idempotency_key == f"payout-{payout.pk}"


def test_a_failed_transfer_is_retried_by_the_next_run_with_the_same_key(
    stripe_standin, stripe_account, earned, run_payouts
):
    stripe_standin.fail_next("/v1/transfers", status=500)
    run = run_payouts()
    payout = Payout.objects.get()
    assert (run.paid_count, run.failed_count) == (0, 1)
    assert payout.status == "failed" and payout.attempts == 1 and payout.failure_message
    assert "Could not pay the creator" in run.notes
    assert ledger.creator_balance(creator_id=payout.creator_id, currency="usd").total_cents == 0  # reserved

    run = run_payouts()
    payout.refresh_from_db()
    assert (run.paid_count, run.failed_count) == (1, 0)
    assert payout.status == "paid" and payout.attempts == 2 and payout.failure_message == ""
    assert Payout.objects.count() == 1 and len(stripe_standin.transfers) == 1
    assert {c.idempotency_key for c in stripe_standin.calls("POST", "/v1/transfers")} == {
        f"payout-{payout.pk}"
    }


def test_a_transfer_whose_answer_was_lost_is_not_paid_twice(
    stripe_standin, stripe_account, earned, run_payouts
):
    stripe_standin.lose_next_answer("/v1/transfers")
    run_payouts()
    payout = Payout.objects.get()
    assert payout.status == "failed" and len(stripe_standin.transfers) == 1  # made, but we never heard

    run_payouts()
    payout.refresh_from_db()
    assert payout.status == "paid" and payout.transfer_id in stripe_standin.transfers
    assert len(stripe_standin.transfers) == 1
    assert [c.replayed for c in stripe_standin.calls("POST", "/v1/transfers")] == [False, True]


def test_no_transfer_goes_to_an_account_without_payouts_enabled(stripe_standin, creator, earned, run_payouts):
    payouts.connect_onboarding_link(
        creator=creator, refresh_url="http://testserver/r", return_url="http://testserver/b"
    )
    run = run_payouts()
    assert not Payout.objects.exists() and not stripe_standin.calls("POST", "/v1/transfers")
    assert "cannot receive payouts" in run.notes


def test_a_refund_after_a_payout_reverses_the_transfer(stripe_standin, stripe_account, earned, run_payouts):
    run_payouts()
    payout = Payout.objects.get()
    services.order_refund(order=earned, amount_cents=4950, reason="half back")
    payout.refresh_from_db()
    reversal = payout.reversals.get()
    assert (reversal.status, reversal.amount_cents) == ("reversed", 3465)
    transfer = stripe_standin.transfers[payout.transfer_id]
    assert transfer["amount_reversed"] == 3465
    assert transfer["reversals"]["data"][0]["id"] == reversal.provider_reversal_id
    (call,) = stripe_standin.calls("POST", f"/v1/transfers/{payout.transfer_id}/reversals")
    assert call.idempotency_key == reversal.idempotency_key
    assert ledger.creator_balance(creator_id=payout.creator_id, currency="usd").total_cents == 0


def test_a_refused_reversal_leaves_a_negative_balance_for_the_next_payout(
    stripe_standin, stripe_account, earned, run_payouts, pay, other_track, tiers, creator
):
    run_payouts()
    stripe_standin.fail_next("/v1/transfers/", status=400, message="Insufficient funds in the account.")
    services.order_refund(order=earned, reason="refund after payout")
    assert Payout.objects.get().reversals.get().status == "failed"
    assert ledger.creator_balance(creator_id=creator.pk, currency="usd").total_cents == -6930

    pay([(other_track, tiers["broadcast"])])  # the creator earns 34930
    run_payouts()
    latest = Payout.objects.order_by("-created_at").first()
    assert latest.amount_cents == 34930 - 6930 and latest.status == "paid"
    assert stripe_standin.transfers[latest.transfer_id]["amount"] == 28000


def test_a_dispute_after_a_payout_reverses_the_transfer(
    client, stripe_standin, stripe_account, earned, run_payouts
):
    run_payouts()
    dispute = stripe_standin.dispute(earned.provider_payment_id)
    event = stripe_standin.event("charge.dispute.created", dispute)
    deliver(client, reverse("payments:stripe_webhook"), event, stripe_standin.webhook_secret)
    payout = Payout.objects.get()
    assert payout.reversed_cents == 6930
    assert stripe_standin.transfers[payout.transfer_id]["reversed"] is True


def test_the_daily_retry_sends_failed_transfers_without_making_new_payouts(
    stripe_standin, stripe_account, earned, run_payouts, pay, other_track, tiers
):
    from payments import tasks

    assert payouts.payouts_retry(trigger="schedule") is None  # nothing open: no run recorded
    stripe_standin.fail_next("/v1/transfers", status=500)
    run_payouts()
    pay([(other_track, tiers["commercial"])])  # new earnings wait for the next full run
    assert tasks.payouts_retry.apply().get() == 1
    assert Payout.objects.count() == 1 and Payout.objects.get().status == "paid"
    assert len(stripe_standin.transfers) == 1
