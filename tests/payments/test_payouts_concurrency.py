"""Two payout runs started at once on PostgreSQL pay each creator once (real threads, real row locks).

SQLite serialises every write to the whole database, so the race cannot happen there: skipped."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from payments import payouts, services
from payments.models import LedgerEntry, Payout, PayoutRun

pytest_plugins = ["tests.fakes.stripe_server"]


@pytest.fixture
def on_postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite cannot run two writers at once")


def _creator(n: int):
    from accounts.models import CreatorProfile, User

    user = User.objects.create_user(f"maker{n}@example.com", "pass-for-tests-1")
    return CreatorProfile.objects.create(user=user, display_name=f"Maker {n}", slug=f"maker-{n}")


def test_two_runs_at_once_pay_each_creator_once(on_postgres, stripe_standin, make_track, tiers, buyer):
    creators = [_creator(n) for n in range(4)]
    for i, creator in enumerate(creators):
        track = make_track("heist" if i % 2 else "piano", creator=creator)
        order = services.order_create(
            buyer=buyer,
            lines=[(track, tiers["commercial"])],
            licensee_name="Ada",
            licensee_email="a@example.com",
        )
        services.order_mark_paid(order_id=order.pk, payment_id=f"pi_{i}", amount_cents=None)
        payouts.connect_onboarding_link(creator=creator, refresh_url="http://t/r", return_url="http://t/b")
        stripe_standin.onboard(creator.connect_account.account_id)
        payouts.connect_account_refresh(creator=creator)

    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait(timeout=30)
            payouts.payouts_run(trigger="schedule", hold_days=0)
        except Exception as exc:  # reported below, with the thread's failure
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert PayoutRun.objects.count() == 2
    assert sorted(Payout.objects.values_list("creator_id", flat=True)) == sorted(c.pk for c in creators)
    assert set(Payout.objects.values_list("status", flat=True)) == {"paid"}
    assert len(stripe_standin.transfers) == 4
    assert sorted(t["destination"] for t in stripe_standin.transfers.values()) == sorted(
        c.connect_account.account_id for c in creators
    )
    assert LedgerEntry.objects.filter(kind="payout").count() == 8
    assert sum(PayoutRun.objects.values_list("paid_count", flat=True)) == 4
