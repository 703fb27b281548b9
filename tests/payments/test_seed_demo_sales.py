"""`manage.py seed_demo_sales`: a whole sandbox cycle from sale to payout, made once."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from payments import ledger
from payments.models import Order, Payout


def test_it_sells_pays_out_and_leaves_one_sale_pending(make_track, creator, buyer):
    for name in ("heist", "sunny", "piano", "epic"):
        make_track(name)
    out = io.StringIO()
    call_command("seed_demo_sales", stdout=out)
    assert "Demo sales ready: 1 sandbox payout of $438.90" in out.getvalue()
    payout = Payout.objects.get()
    assert (payout.status, payout.amount_cents) == ("paid", 2030 + 6930 + 34930)
    assert Order.objects.filter(status="paid").count() == 4
    balance = ledger.creator_balance(creator_id=creator.pk, currency="usd")
    assert (balance.available_cents, balance.pending_cents) == (0, 2030)

    call_command("seed_demo_sales", stdout=io.StringIO())
    assert Payout.objects.count() == 1 and Order.objects.count() == 4


def test_it_needs_the_demo_users(db):
    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_demo_sales", stdout=io.StringIO())


def test_it_makes_nothing_outside_the_sandbox(settings, make_track, creator, buyer):
    settings.PAYMENTS_PROVIDER = "stripe"
    out = io.StringIO()
    call_command("seed_demo_sales", stdout=out)
    assert "not in the sandbox" in out.getvalue() and not Order.objects.exists()
