"""Property test of the ledger: random sequences of sales (paid through the sandbox's signed events, so
each carries its simulated processor fee), refunds, disputes, won disputes (also ones whose decision
arrives before the dispute) and payout runs keep every invariant. Each example runs in a transaction of
its own that is rolled back afterwards."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payments import ledger, payouts, services
from payments.errors import PaymentsError
from payments.models import ConnectAccount, LedgerEntry, Payout, creator_account
from payments.providers import sandbox

TIERS = ("creator", "commercial", "broadcast")
SHARE = {2900: 2030, 9900: 6930, 49900: 34930}

steps = st.lists(
    st.one_of(
        st.tuples(st.just("sale"), st.integers(0, 1), st.sampled_from(TIERS)),
        st.tuples(st.just("refund"), st.integers(0, 20), st.integers(1, 100)),
        st.tuples(st.just("dispute"), st.integers(0, 20)),
        st.tuples(st.just("won"), st.integers(0, 20)),
        st.tuples(st.just("payout")),
        st.tuples(st.just("switch"), st.integers(0, 1)),
    ),
    min_size=1,
    max_size=14,
)


class Rollback(Exception):
    pass


@pytest.fixture
def world(db, make_track, creator, tiers, buyer):
    from accounts.models import CreatorProfile, User

    second_user = User.objects.create_user("second@example.com", "pass-for-tests-1")
    second = CreatorProfile.objects.create(user=second_user, display_name="Sam Ito", slug="sam-ito")
    creators = [creator, second]
    tracks = [make_track("heist", creator=creator), make_track("piano", creator=second)]
    return {"creators": creators, "tracks": tracks, "tiers": tiers, "buyer": buyer}


def _check_invariants(world, model) -> None:
    for order_id, total in (
        LedgerEntry.objects.values("order", "currency")
        .annotate(s=Sum("amount_cents"))
        .values_list("order", "s")
    ):
        assert total == 0, f"order {order_id} does not balance"
    for posting, total in (
        LedgerEntry.objects.values("posting").annotate(s=Sum("amount_cents")).values_list("posting", "s")
    ):
        assert total == 0, f"posting {posting} does not balance"
    entries = defaultdict(int)
    for account, amount in LedgerEntry.objects.values_list("account", "amount_cents"):
        entries[account] += amount
    for creator in world["creators"]:
        account = creator_account(creator.pk)
        balance = ledger.creator_balance(creator_id=creator.pk, currency="usd")
        assert (
            balance.total_cents == entries[account] == ledger.account_balance(account=account, currency="usd")
        )
        # What the creator keeps of their sales is what they hold plus what reached them.
        paid = sum(p.amount_cents - p.reversed_cents for p in Payout.objects.filter(creator=creator))
        assert balance.total_cents + paid == sum(model["kept"][o] for o in model["orders_of"][creator.pk])
    transfers = list(Payout.objects.exclude(transfer_id="").values_list("transfer_id", flat=True))
    assert len(transfers) == len(set(transfers)), "a transfer was made twice"
    # Each order's fee is posted once, borne by the platform, and never given back.
    fees = sum(sandbox.simulated_fee_cents(sold) for sold in model["sold"].values())
    assert entries["processor_fees"] == fees
    assert LedgerEntry.objects.filter(kind="fee").count() == 2 * len(model["sold"])
    # What the platform holds is what it earned of the sales, less what went back and the fees.
    disputed = sum(model["held"][o] for o, state in model["dispute"].items() if state == "open")
    assert entries["disputes"] == disputed
    assert entries["refunds"] == sum(model["refunded"].values())
    kept_by_creators = sum(model["kept"].values())
    assert entries["platform"] == (
        sum(model["sold"].values()) - entries["refunds"] - disputed - kept_by_creators - fees
    )


def _kept(share: int, sold: int, taken: int) -> int:
    """An order's creator share after `taken` of `sold` cents went back (one line per order)."""
    return 0 if taken >= sold else share - share * taken // sold


def _taken(model, order_pk) -> int:
    """What went back of an order: its refunds, or all of it while a dispute holds it (a won dispute
    gives its part back)."""
    if model["dispute"][order_pk] == "open":
        return model["sold"][order_pk]
    return model["refunded"][order_pk]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_random_sequences_keep_the_ledger_balanced(world, django_settings_for_property, steps):
    try:
        with transaction.atomic():
            _run(world, steps)
            raise Rollback
    except Rollback:
        pass


@pytest.fixture
def django_settings_for_property(settings):
    settings.PAYOUT_THRESHOLD_CENTS = 2500
    settings.CREATOR_SHARE_PERCENT = 70
    return settings


def _run(world, steps) -> None:
    creators, tracks, tiers, buyer = world["creators"], world["tracks"], world["tiers"], world["buyer"]
    for creator in creators:
        payouts.connect_onboarding_link(creator=creator, refresh_url="http://t/r", return_url="http://t/b")
        payouts.connect_sandbox_complete(creator=creator)
    orders = []
    model = {
        "kept": {},
        "sold": {},
        "share": {},
        "refunded": defaultdict(int),
        # None (no dispute), "open" (the bank holds `held` cents) or "won" (given back).
        "dispute": defaultdict(lambda: None),
        "held": defaultdict(int),
        "orders_of": defaultdict(list),
    }
    for step in steps:
        kind = step[0]
        if kind == "sale":
            creator_i, tier = step[1], tiers[step[2]]
            order = services.order_create(
                buyer=buyer,
                lines=[(tracks[creator_i], tier)],
                licensee_name="Ada",
                licensee_email="ada@example.com",
            )
            body, signature = sandbox.event_build(order=order)
            assert sandbox.event_receive(body=body, signature=signature) == "paid"
            order.refresh_from_db()
            orders.append(order)
            model["sold"][order.pk] = order.total_cents
            model["share"][order.pk] = SHARE[order.total_cents]
            model["kept"][order.pk] = SHARE[order.total_cents]
            model["orders_of"][creators[creator_i].pk].append(order.pk)
        elif kind == "refund" and orders:
            order = orders[step[1] % len(orders)]
            order.refresh_from_db()
            left = order.total_cents - order.refunded_cents
            if order.status not in ("paid", "partially_refunded") or left <= 0:
                continue
            amount = max(1, left * step[2] // 100)
            if model["dispute"][order.pk] == "open":
                # The bank holds the money: nothing can be refunded unless the dispute is won.
                with pytest.raises(PaymentsError):
                    services.order_refund(order=order, amount_cents=amount, reason="property")
                continue
            services.order_refund(order=order, amount_cents=amount, reason="property")
            model["refunded"][order.pk] += amount
        elif kind == "dispute" and orders:
            order = orders[step[1] % len(orders)]
            order.refresh_from_db()
            services.order_dispute(order_id=order.pk, reason="property")
            if model["dispute"][order.pk] is None:
                model["dispute"][order.pk] = "open"
                model["held"][order.pk] = order.total_cents - order.refunded_cents
        elif kind == "won" and orders:
            # The bank decides for us; without a dispute first, its notice arrives after the decision.
            order = orders[step[1] % len(orders)]
            order.refresh_from_db()
            services.order_dispute_won(order_id=order.pk, reason="property")
            model["dispute"][order.pk] = "won"
        elif kind == "payout":
            before = {
                c.pk: ledger.creator_balance(
                    creator_id=c.pk, currency="usd", cutoff=ledger.hold_cutoff(hold_days=0)
                ).available_cents
                for c in creators
            }
            enabled = dict(ConnectAccount.objects.values_list("creator_id", "payouts_enabled"))
            existing = set(Payout.objects.values_list("pk", flat=True))
            run = payouts.payouts_run(trigger="staff", hold_days=0)
            new = list(Payout.objects.exclude(pk__in=existing))
            assert len({p.creator_id for p in new}) == len(new), "two payouts for one creator in a run"
            for payout in new:
                assert enabled[payout.creator_id], "a payout to an account without payouts enabled"
                assert payout.amount_cents == before[payout.creator_id] >= 2500
                assert payout.status == "paid" and payout.run == run
            for creator in creators:
                if enabled[creator.pk] and before[creator.pk] >= 2500:
                    assert any(p.creator_id == creator.pk for p in new)
        elif kind == "switch":
            account = ConnectAccount.objects.get(creator=creators[step[1]])
            account.payouts_enabled = not account.payouts_enabled
            account.save(update_fields=["payouts_enabled"])
        for order_pk in model["kept"]:
            model["kept"][order_pk] = _kept(
                model["share"][order_pk], model["sold"][order_pk], _taken(model, order_pk)
            )
        _check_invariants(world, model)
