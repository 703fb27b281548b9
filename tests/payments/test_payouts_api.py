"""`/api/v1/payouts/`: a creator's balance and payouts; a run for staff only."""

from __future__ import annotations

import pytest

from accounts.models import User
from payments.models import PayoutRun

BALANCE = "/api/v1/payouts/balance/"
LIST = "/api/v1/payouts/"
RUN = "/api/v1/payouts/run/"


@pytest.fixture
def earned(track, tiers, make_order, sandbox_pay):
    return sandbox_pay(make_order([(track, tiers["commercial"])]))


def test_the_balance_splits_available_from_pending(api, creator, earned, settings):
    api.force_authenticate(creator.user)
    body = api.get(BALANCE).json()
    assert (body["available_cents"], body["pending_cents"], body["currency"]) == (0, 6930, "usd")
    assert body["threshold_cents"] == settings.PAYOUT_THRESHOLD_CENTS and body["next_payout_at"]


def test_a_creator_lists_their_payouts(api, creator, earned, connected, run_payouts):
    connected()
    run_payouts()
    api.force_authenticate(creator.user)
    body = api.get(LIST).json()
    (payout,) = body["results"]
    assert (payout["amount_cents"], payout["status"], payout["currency"]) == (6930, "paid", "usd")
    assert api.get(BALANCE).json()["available_cents"] == 0


def test_buyers_and_visitors_have_no_payouts(api, buyer):
    assert api.get(BALANCE).status_code in (401, 403)
    api.force_authenticate(buyer)
    assert api.get(BALANCE).status_code == 403 and api.get(LIST).status_code == 403


def test_only_staff_run_payouts(api, creator, earned, connected, settings):
    settings.PAYOUT_HOLD_DAYS = 0
    connected()
    api.force_authenticate(creator.user)
    assert api.post(RUN).status_code == 403
    assert not PayoutRun.objects.exists()
    api.force_authenticate(User.objects.create_user("staff@example.com", "pass-for-tests-1", is_staff=True))
    response = api.post(RUN)
    assert response.status_code == 201
    assert (response.json()["paid_count"], response.json()["paid_cents"]) == (1, 6930)
