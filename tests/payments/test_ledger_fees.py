"""The processor's fee in the ledger: its own account, borne by the platform, posted once per order, kept
by the processor on refunds. The sandbox simulates it (2.9 % + 30 cents); Stripe's is in
test_stripe_fees.py."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse

from accounts.models import User
from payments import ledger, selectors, services
from payments.models import LedgerEntry, creator_account
from payments.providers import sandbox


@pytest.fixture
def paid(track, other_track, tiers, make_order, sandbox_pay):
    """$29 + $99: the simulated fee is 2.9 % of 12800 (371.2 -> 371) + 30 = 401 cents."""
    return sandbox_pay(make_order([(track, tiers["creator"]), (other_track, tiers["commercial"])]))


def _fee_rows(order) -> set[tuple[str, int, str]]:
    return {
        (e.account, e.amount_cents, e.currency) for e in LedgerEntry.objects.filter(order=order, kind="fee")
    }


@pytest.mark.parametrize(
    ("amount", "fee"), [(0, 0), (1, 30), (2900, 114), (9900, 317), (12800, 401), (49900, 1477), (17, 30)]
)
def test_the_simulated_fee_is_2_9_percent_rounded_half_up_plus_30_cents(amount, fee):
    assert sandbox.simulated_fee_cents(amount) == fee


def test_it_posts_the_fee_on_its_own_account_borne_by_the_platform(paid, creator):
    assert _fee_rows(paid) == {("processor_fees", 401, "usd"), ("platform", -401, "usd")}
    memo = LedgerEntry.objects.get(order=paid, account="processor_fees").memo
    assert memo.startswith("simulated fee of charge ch_sandbox_") and "2.9% + 30c" in memo
    assert LedgerEntry.objects.filter(order=paid).aggregate(s=Sum("amount_cents"))["s"] == 0
    # The creator's share stays a share of the price; the platform's commission is net of the fee.
    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == 2030 + 6930
    assert ledger.account_balance(account="platform", currency="usd") == 870 + 2970 - 401
    assert ledger.order_fee_cents(order=paid) == 401


def test_the_fee_is_recorded_once_however_often_the_payment_is_reported(paid, sandbox_pay):
    sandbox_pay(paid)  # the same payment reported again, under a new event id
    assert services.order_fee_sync(order_id=paid.pk) == "ignored: fee already recorded"
    assert LedgerEntry.objects.filter(order=paid, kind="fee").count() == 2


def test_the_database_refuses_a_second_fee_posting(paid):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            posting=LedgerEntry.objects.filter(order=paid, kind="fee").first().posting,
            kind="fee",
            account="processor_fees",
            amount_cents=1,
            currency="usd",
            order=paid,
        )


def test_an_unpaid_order_has_no_fee(track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    assert services.order_fee_sync(order_id=order.pk) == "waiting: the order is not paid yet"
    assert not LedgerEntry.objects.filter(order=order).exists()


def test_it_refuses_a_fee_that_is_not_whole_cents(paid):
    for bad in (-1, 1.5, "3", True):
        with pytest.raises(ValueError, match="fee_cents"):
            ledger.post_fee(order=paid, fee_cents=bad, currency="usd", memo="x")


def test_a_full_refund_leaves_the_fee_with_the_processor_and_the_creator_whole(paid, creator):
    services.order_refund(order=paid, amount_cents=5000, reason="part")
    services.order_refund(order=paid, reason="the rest")
    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == 0
    assert ledger.account_balance(account="platform", currency="usd") == -401
    assert ledger.account_balance(account="processor_fees", currency="usd") == 401
    assert ledger.account_balance(account="refunds", currency="usd") == 12800
    assert LedgerEntry.objects.filter(order=paid).aggregate(s=Sum("amount_cents"))["s"] == 0


def test_an_order_refunded_at_once_still_pays_the_fee(
    stranger, exclusive_track, tiers, make_order, sandbox_pay, creator
):
    """A buyout another buyer won meanwhile: the payment goes straight back, the processor keeps its fee."""
    first = make_order([(exclusive_track, tiers["exclusive"])])
    services.order_release(order_id=first.pk, reason="expired")
    won = sandbox_pay(make_order([(exclusive_track, tiers["exclusive"])], buyer=stranger))
    late = sandbox_pay(first)
    assert late.status == "refunded"
    assert ledger.order_fee_cents(order=late) == sandbox.simulated_fee_cents(late.total_cents)
    assert LedgerEntry.objects.filter(order=late).aggregate(s=Sum("amount_cents"))["s"] == 0
    # The creator earns from the buyout that went through only.
    share = ledger.creator_share(won.total_cents)
    assert ledger.account_balance(account=creator_account(creator.pk), currency="usd") == share


def test_the_creators_earnings_and_statement_do_not_show_the_fee(paid, creator):
    earnings = selectors.creator_earnings(creator=creator, currency="usd")
    assert earnings.lifetime_cents == 2030 + 6930
    assert earnings.balance.total_cents == 2030 + 6930
    lines = list(selectors.statement_lines(creator=creator, currency="usd"))
    assert {line["kind"] for line in lines} == {"Sale"}


def test_staff_see_the_fee_on_the_order_in_the_admin(client, paid):
    staff = User.objects.create_superuser("staff@example.com", "pass-for-tests-1")
    client.force_login(staff)
    listing = client.get(reverse("admin:payments_order_changelist")).content.decode()
    assert "$4.01 (simulated)" in listing
    detail = client.get(reverse("admin:payments_order_change", args=[paid.pk])).content.decode()
    assert "Processor fee" in detail and "$4.01 (simulated)" in detail
    ledger_page = client.get(reverse("admin:payments_ledgerentry_changelist") + "?kind__exact=fee")
    assert "simulated fee of charge" in ledger_page.content.decode()


def test_a_buyer_does_not_see_the_fee(client, buyer, paid):
    client.force_login(buyer)
    html = client.get(reverse("payments:order", args=[paid.pk])).content.decode()
    assert "$4.01" not in html and "fee" not in html.lower()
