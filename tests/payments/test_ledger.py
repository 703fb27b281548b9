"""The ledger: every sale, refund and dispute posts balanced entries; balances are sums of entries."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from payments import ledger, services
from payments.models import LedgerEntry, creator_account


def _order_sum(order) -> int:
    return LedgerEntry.objects.filter(order=order).aggregate(s=Sum("amount_cents"))["s"]


@pytest.fixture
def paid(track, other_track, tiers, make_order, sandbox_pay):
    return sandbox_pay(make_order([(track, tiers["creator"]), (other_track, tiers["commercial"])]))


def test_it_posts_the_creators_share_and_the_platforms_on_a_sale(paid, creator):
    entries = {(e.account, e.amount_cents) for e in LedgerEntry.objects.filter(order=paid, kind="sale")}
    assert entries == {
        ("processor", -12800),
        (creator_account(creator.pk), 2030),
        (creator_account(creator.pk), 6930),
        ("platform", 870),
        ("platform", 2970),
    }
    assert _order_sum(paid) == 0
    assert {e.currency for e in LedgerEntry.objects.all()} == {"usd"}


def test_it_honours_the_share_setting(settings, track, tiers, make_order, sandbox_pay, creator):
    settings.CREATOR_SHARE_PERCENT = 55
    sandbox_pay(make_order([(track, tiers["creator"])]))
    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == 1595


def test_paying_twice_posts_once(paid, creator):
    services.order_mark_paid(order_id=paid.pk, payment_id="pi_again", amount_cents=None)
    assert LedgerEntry.objects.filter(order=paid, kind="sale").count() == 5
    assert LedgerEntry.objects.filter(order=paid, kind="fee").count() == 2


def test_a_full_refund_reverses_every_share_exactly(paid, creator):
    services.order_refund(order=paid, amount_cents=333, reason="goodwill")
    services.order_refund(order=paid, amount_cents=4001, reason="more")
    services.order_refund(order=paid, reason="the rest")
    assert _order_sum(paid) == 0
    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == 0
    # The processor keeps its fee on a refund, and the platform bears it (12800: 2.9 % + 30 = 401).
    assert ledger.account_balance(account="platform", currency="usd") == -401
    assert ledger.account_balance(account="processor_fees", currency="usd") == 401
    assert ledger.account_balance(account="refunds", currency="usd") == 12800


def test_a_partial_refund_takes_back_a_proportional_share(paid, creator):
    services.order_refund(order=paid, amount_cents=6400, reason="half")
    assert _order_sum(paid) == 0
    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == 8960 - 4480


def test_a_dispute_reverses_what_is_left_once(paid, creator):
    services.order_refund(order=paid, amount_cents=6400, reason="half")
    services.order_dispute(order_id=paid.pk, reason="fraud")
    services.order_dispute(order_id=paid.pk, reason="fraud, again")
    assert _order_sum(paid) == 0
    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == 0
    assert ledger.account_balance(account="disputes", currency="usd") == 6400
    assert LedgerEntry.objects.filter(kind="dispute").values("posting").distinct().count() == 1


def test_an_unfulfilled_order_goes_to_refunds_and_earns_nothing(track, tiers, make_order, creator):
    order = make_order([(track, tiers["creator"])])
    order = services.order_mark_paid(order_id=order.pk, payment_id="pi_short", amount_cents=100)
    assert order.status == "refunded"
    assert _order_sum(order) == 0
    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == 0
    assert ledger.account_balance(account="refunds", currency="usd") == 2900


def test_balances_split_pending_earnings_from_available_ones(paid, creator, settings):
    settings.PAYOUT_HOLD_DAYS = 7
    balance = ledger.creator_balance(creator_id=creator.pk, currency="usd")
    assert (balance.available_cents, balance.pending_cents) == (0, 8960)
    services.order_refund(order=paid, amount_cents=6400, reason="half")
    balance = ledger.creator_balance(creator_id=creator.pk, currency="usd")
    # The refund counts at once; the sale is still held.
    assert (balance.available_cents, balance.pending_cents) == (-4480, 8960)


def test_entries_cannot_be_changed_or_deleted(paid):
    entry = LedgerEntry.objects.filter(order=paid).first()
    entry.amount_cents = 1
    with pytest.raises(ValueError, match="immutable"):
        entry.save()
    with pytest.raises(ValueError, match="immutable"):
        entry.delete()
