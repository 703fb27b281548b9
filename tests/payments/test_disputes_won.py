"""`charge.dispute.closed`: a won dispute puts the licenses back and gives back exactly what the dispute
took; a lost one changes nothing. Any order of arrival ends the same way."""

from __future__ import annotations

import itertools

import pytest
from django.db.models import Sum

from licensing.models import License
from payments import ledger, services
from payments.errors import PaymentsError
from payments.events import event_process
from payments.models import LedgerEntry, Payout, TransferReversal, creator_account


@pytest.fixture
def order(track, other_track, tiers, make_order):
    """Unpaid: $29 (creator share 2030) + $99 (share 6930) of one creator."""
    return make_order([(track, tiers["creator"]), (other_track, tiers["commercial"])])


PAYMENT = "pi_sandbox_dispute"


def _send(order, type: str, *, event_id: str | None = None, status: str | None = None) -> str:
    """A sandbox event about `order`'s payment; dispute events name only the payment, as Stripe's do."""
    payload = {"type": type, "data": {"object": {"status": status} if status else {}}}
    paid = type == "checkout.session.completed"
    return event_process(
        provider="sandbox",
        event_id=event_id or f"evt_{type}_{status}",
        type=type,
        order_ref=str(order.pk) if paid else None,
        payment_id=PAYMENT,
        amount_cents=order.total_cents if paid else None,
        payload=payload,
    )


def pay(order):
    return _send(order, "checkout.session.completed")


def dispute(order):
    return _send(order, "charge.dispute.created")


def won(order, event_id=None):
    return _send(order, "charge.dispute.closed", status="won", event_id=event_id)


def lost(order):
    return _send(order, "charge.dispute.closed", status="lost")


def balances(creator) -> dict[str, int]:
    accounts = ["platform", "disputes", "refunds", "processor_fees", creator_account(creator.pk)]
    return {a: ledger.account_balance(account=a, currency="usd") for a in accounts}


def outcome(order, creator) -> tuple:
    order.refresh_from_db()
    sums = LedgerEntry.objects.filter(order=order).aggregate(s=Sum("amount_cents"))["s"]
    return (order.status, sorted(License.objects.values_list("status", flat=True)), balances(creator), sums)


def test_a_won_dispute_reinstates_the_licenses_and_gives_the_money_back(order, creator):
    pay(order)
    before = balances(creator)
    assert dispute(order) == "disputed"
    assert balances(creator)[creator_account(creator.pk)] == 0
    assert set(License.objects.values_list("status", flat=True)) == {"disputed"}

    assert won(order) == "dispute won"

    assert set(License.objects.values_list("status", flat=True)) == {"active"}
    assert balances(creator) == before
    assert LedgerEntry.objects.filter(order=order).aggregate(s=Sum("amount_cents"))["s"] == 0
    # The won posting is the dispute's, entry by entry, with the signs turned.
    taken = sorted(
        (e.account, e.order_line_id, e.amount_cents) for e in LedgerEntry.objects.filter(kind="dispute")
    )
    given = sorted(
        (e.account, e.order_line_id, -e.amount_cents) for e in LedgerEntry.objects.filter(kind="dispute_won")
    )
    assert taken == given and len(taken) == 4  # two creator lines, the platform, the disputes sink


def test_a_won_dispute_after_a_partial_refund_gives_back_the_exact_cents(order, creator):
    pay(order)
    order.refresh_from_db()
    services.order_refund(order=order, amount_cents=333, reason="goodwill")
    after_refund = balances(creator)
    dispute(order)
    won(order)
    assert balances(creator) == after_refund
    # The rest of the order can still be refunded, and the shares then settle at zero exactly.
    order.refresh_from_db()
    services.order_refund(order=order, reason="the rest")
    assert balances(creator)[creator_account(creator.pk)] == 0
    assert LedgerEntry.objects.filter(order=order).aggregate(s=Sum("amount_cents"))["s"] == 0


def test_a_lost_dispute_changes_nothing(order, creator):
    pay(order)
    dispute(order)
    before = outcome(order, creator)
    assert lost(order) == "ignored: the dispute closed as lost"
    assert outcome(order, creator) == before
    assert set(License.objects.values_list("status", flat=True)) == {"disputed"}


def test_an_order_whose_dispute_holds_cannot_be_refunded(order):
    pay(order)
    dispute(order)
    order.refresh_from_db()
    with pytest.raises(PaymentsError, match="disputed") as caught:
        services.order_refund(order=order, amount_cents=100, reason="x")
    assert caught.value.field == "order"
    won(order)
    order.refresh_from_db()
    assert services.order_refund(order=order, amount_cents=100, reason="x").refunded_cents == 100


def test_a_won_dispute_is_applied_once(order, creator):
    pay(order)
    dispute(order)
    assert won(order, event_id="evt_won") == "dispute won"
    after = outcome(order, creator)
    assert won(order, event_id="evt_won") == "duplicate"
    assert won(order, event_id="evt_won_again") == "ignored: the dispute was won already"
    assert dispute(order) == "duplicate"
    again = _send(order, "charge.dispute.created", event_id="evt_created_again")
    assert again == "ignored: the dispute was won already"
    assert outcome(order, creator) == after
    assert LedgerEntry.objects.filter(kind="dispute_won").values("posting").distinct().count() == 1


def test_the_service_refuses_an_unknown_or_unpaid_payment(order):
    with pytest.raises(PaymentsError) as caught:
        services.order_dispute_won(payment_id="pi_nobody", reason="x")
    assert caught.value.field == "payment_id"
    with pytest.raises(PaymentsError, match="paid order") as caught:
        services.order_dispute_won(order_id=order.pk, reason="x")
    assert caught.value.field == "order"


SEQUENCES = {
    "won": ["pay", "dispute", "won"],
    "lost": ["pay", "dispute", "lost"],
}


def _play(order, steps) -> list[str]:
    actions = {"pay": pay, "dispute": dispute, "won": won, "lost": lost}
    return [actions[step](order) for step in steps]


@pytest.mark.parametrize("decision", ["won", "lost"])
@pytest.mark.parametrize("permutation", list(itertools.permutations(range(3))))
def test_any_order_of_arrival_ends_the_same(order, creator, decision, permutation):
    expected = {
        "won": ("paid", ["active", "active"]),
        "lost": ("paid", ["disputed", "disputed"]),
    }[decision]
    steps = [SEQUENCES[decision][i] for i in permutation]

    _play(order, steps)

    status, licenses, money, order_sum = outcome(order, creator)
    assert (status, licenses, order_sum) == (*expected, 0)
    share = 2030 + 6930
    assert money[creator_account(creator.pk)] == (share if decision == "won" else 0)
    assert money["disputes"] == (0 if decision == "won" else order.total_cents)
    assert money["platform"] == ((12800 - share - 401) if decision == "won" else -401)


def test_a_payout_after_a_won_dispute_pays_the_creator_what_they_are_owed(
    order, creator, connected, run_payouts
):
    connected()
    pay(order)
    share = 2030 + 6930
    assert run_payouts().paid_cents == share

    dispute(order)  # the share is pulled back from the paid transfer
    (reversal,) = TransferReversal.objects.all()
    assert (reversal.amount_cents, reversal.status) == (share, "reversed")
    assert ledger.creator_balance(creator_id=creator.pk, currency="usd").total_cents == 0
    assert run_payouts().paid_count == 0

    won(order)
    assert ledger.creator_balance(creator_id=creator.pk, currency="usd").available_cents == share

    again = run_payouts()
    assert (again.paid_count, again.paid_cents) == (1, share)
    paid = sum(p.amount_cents - p.reversed_cents for p in Payout.objects.filter(creator=creator))
    assert paid == share
    assert ledger.creator_balance(creator_id=creator.pk, currency="usd").total_cents == 0


def test_a_won_dispute_that_arrives_first_pulls_nothing_back(order, creator, connected, run_payouts):
    connected()
    pay(order)
    run_payouts()
    assert won(order) == "dispute won"
    # The dispute's own notice arrives late and changes nothing.
    assert dispute(order) == "ignored: the dispute was won already"
    assert not TransferReversal.objects.exists()
    assert ledger.creator_balance(creator_id=creator.pk, currency="usd").total_cents == 0
    assert set(License.objects.values_list("status", flat=True)) == {"active"}
