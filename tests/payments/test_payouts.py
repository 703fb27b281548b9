"""Payout runs in the sandbox: who is paid, how much, and that nobody is ever paid twice."""

from __future__ import annotations

import pytest

from payments import ledger, payouts, services
from payments.models import LedgerEntry, Payout, PayoutRun, creator_account


@pytest.fixture
def earned(track, other_track, tiers, make_order, sandbox_pay):
    """The creator earned 2030 + 6930 = 8960 cents."""
    return sandbox_pay(make_order([(track, tiers["creator"]), (other_track, tiers["commercial"])]))


def test_it_pays_a_creator_whose_balance_reached_the_threshold(earned, creator, connected, run_payouts):
    account = connected()
    run = run_payouts()
    payout = Payout.objects.get()
    assert (payout.creator, payout.amount_cents, payout.currency, payout.status) == (
        creator,
        8960,
        "usd",
        "paid",
    )
    assert payout.idempotency_key == f"payout-{payout.pk}"
    assert payout.transfer_id.startswith("tr_sandbox_") and payout.attempts == 1
    assert (payout.account_id, payout.run) == (account.account_id, run)
    assert (run.paid_count, run.failed_count, run.paid_cents) == (1, 0, 8960)
    assert ledger.creator_balance(creator_id=creator.pk, currency="usd").total_cents == 0
    assert ledger.account_balance(account="payouts", currency="usd") == 8960


def test_a_second_run_pays_nobody_again(earned, connected, run_payouts):
    connected()
    run_payouts()
    run = run_payouts()
    assert Payout.objects.count() == 1
    assert (run.paid_count, run.failed_count) == (0, 0)


def test_it_waits_below_the_threshold(earned, connected, run_payouts, settings):
    settings.PAYOUT_THRESHOLD_CENTS = 9000
    connected()
    assert run_payouts().paid_count == 0
    assert not Payout.objects.exists()


def test_it_keeps_earnings_inside_the_hold(earned, connected, settings):
    settings.PAYOUT_HOLD_DAYS = 7
    connected()
    run = payouts.payouts_run(trigger="schedule")
    assert run.paid_count == 0 and not Payout.objects.exists()


def test_no_transfer_goes_to_an_account_without_payouts_enabled(earned, creator, connected, run_payouts):
    connected(enabled=False)
    run = run_payouts()
    assert not Payout.objects.exists()
    assert "cannot receive payouts" in run.notes and creator.display_name in run.notes


def test_a_creator_without_an_account_is_not_paid(earned, run_payouts):
    assert run_payouts().paid_count == 0
    assert not Payout.objects.exists()


def test_an_account_that_lost_payouts_keeps_its_payout_open(earned, creator, connected, run_payouts):
    account = connected()
    payout = payouts.payout_prepare(
        connect_account_pk=account.pk, run=None, cutoff=ledger.hold_cutoff(hold_days=0)
    )
    assert payout == ""
    account.payouts_enabled = False
    account.save()
    run = run_payouts()
    payout = Payout.objects.get()
    assert payout.status == "failed" and "cannot receive payouts" in payout.failure_message
    assert run.failed_count == 1
    payouts.connect_sandbox_complete(creator=creator)
    run = run_payouts()
    assert Payout.objects.get().status == "paid" and run.paid_count == 1
    assert Payout.objects.count() == 1


def test_a_refund_after_a_payout_is_pulled_back_by_a_transfer_reversal(
    earned, creator, connected, run_payouts
):
    connected()
    run_payouts()
    services.order_refund(order=earned, reason="refund after payout")
    balance = ledger.creator_balance(creator_id=creator.pk, currency="usd")
    assert balance.total_cents == 0  # the creator's share came back through the reversal
    payout = Payout.objects.get()
    assert payout.reversed_cents == 8960
    reversal = payout.reversals.get()
    assert (reversal.status, reversal.amount_cents, reversal.order) == ("reversed", 8960, earned)
    assert ledger.account_balance(account="payouts", currency="usd") == 0


def test_a_refund_is_first_taken_from_unpaid_earnings(
    earned, creator, connected, run_payouts, track, tiers, make_order, sandbox_pay
):
    connected()
    run_payouts()
    sandbox_pay(make_order([(track, tiers["broadcast"])]))  # 34930 unpaid
    services.order_refund(order=earned, reason="refund after payout")
    assert Payout.objects.get().reversed_cents == 0
    assert ledger.creator_balance(creator_id=creator.pk, currency="usd").total_cents == 34930 - 8960


def test_a_run_interrupted_after_planning_pays_each_creator_once(earned, creator, connected, run_payouts):
    account = connected()
    # The run stopped after making the payout, before its transfer.
    payouts.payout_prepare(connect_account_pk=account.pk, run=None, cutoff=ledger.hold_cutoff(hold_days=0))
    run = run_payouts()
    assert run.paid_count == 1
    assert Payout.objects.get().status == "paid"
    assert LedgerEntry.objects.filter(kind="payout").count() == 2  # one posting: creator and payouts


def test_every_posting_of_a_cycle_balances(earned, connected, run_payouts):
    connected()
    run_payouts()
    services.order_refund(order=earned, amount_cents=1000, reason="partial")
    for posting in LedgerEntry.objects.values_list("posting", flat=True).distinct():
        assert sum(LedgerEntry.objects.filter(posting=posting).values_list("amount_cents", flat=True)) == 0


def test_the_run_is_recorded(earned, connected, run_payouts, stranger):
    connected()
    run = run_payouts(by=stranger)
    assert PayoutRun.objects.get() == run and run.finished_at and run.by == stranger
    assert ledger.account_balance(account=creator_account(run.payouts.get().creator_id), currency="usd") == 0
