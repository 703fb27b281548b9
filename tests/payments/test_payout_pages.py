"""The creator's earnings page and statement, the sandbox's payout account setup, and staff's payouts
page and admin action; each refused to those it is not for."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import User
from payments import services
from payments.models import ConnectAccount, Payout, PayoutRun


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("staff@example.com", "pass-for-tests-1")


@pytest.fixture
def earned(track, other_track, tiers, make_order, sandbox_pay):
    return sandbox_pay(make_order([(track, tiers["creator"]), (other_track, tiers["commercial"])]))


def test_the_sandbox_onboarding_is_labelled_and_enables_the_account(client, creator):
    client.force_login(creator.user)
    response = client.post(reverse("payments:connect_start"))
    assert response.status_code == 302 and response["Location"] == reverse("payments:connect_sandbox")
    page = client.get(response["Location"]).content.decode()
    assert "Sandbox: simulated payout account." in page and "no money will move" in page
    client.post(reverse("payments:connect_sandbox_complete"))
    account = ConnectAccount.objects.get(creator=creator)
    assert account.provider == "sandbox" and account.payouts_enabled


def test_the_sandbox_onboarding_is_off_while_the_site_takes_real_payments(client, creator, settings):
    client.force_login(creator.user)
    settings.PAYMENTS_PROVIDER = "stripe"
    assert client.get(reverse("payments:connect_sandbox")).status_code == 404
    assert client.post(reverse("payments:connect_sandbox_complete")).status_code == 404


def test_the_earnings_page_shows_balance_breakdowns_and_payouts(
    client, creator, earned, connected, run_payouts
):
    connected()
    run_payouts()
    services.order_refund(order=earned, amount_cents=1000, reason="partial")
    client.force_login(creator.user)
    html = client.get(reverse("payments:earnings")).content.decode()
    assert "Sandbox payouts:" in html
    assert "Night Vault" in html and "Quiet Letters" in html  # by track
    assert "Commercial" in html and "Creator" in html  # by tier
    assert "$89.60" in html  # the payout
    assert "<svg" in html and "chart-bar" in html
    assert "Download statement (CSV)" in html


def test_the_earnings_page_costs_a_constant_number_of_queries(
    client, creator, earned, connected, run_payouts, django_assert_max_num_queries
):
    connected()
    run_payouts()
    client.force_login(creator.user)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("payments:earnings")).status_code == 200


def test_the_statement_lists_every_movement_with_a_running_balance(
    client, creator, earned, connected, run_payouts
):
    connected()
    run_payouts()
    client.force_login(creator.user)
    response = client.get(reverse("payments:statement"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["kind"], r["amount"]) for r in rows] == [
        ("Sale", "20.30"),
        ("Sale", "69.30"),
        ("Payout", "-89.60"),
    ]
    assert [r["balance"] for r in rows] == ["20.30", "89.60", "0.00"]
    assert rows[0]["track"] == "Night Vault" and rows[0]["tier"] == "Creator"


def test_buyers_are_sent_to_become_a_creator(client, buyer):
    client.force_login(buyer)
    for name in ("earnings", "statement"):
        response = client.get(reverse(f"payments:{name}"))
        assert response.status_code == 302 and response["Location"] == reverse("accounts:become_creator")


def test_staff_run_payouts_from_their_page(client, staff, earned, connected):
    connected()
    client.force_login(staff)
    response = client.post(reverse("payments:staff_payouts_run"), follow=True)
    html = response.content.decode()
    assert "Payout run finished: 0 paid" in html  # the sales are still inside the hold
    assert PayoutRun.objects.get().by == staff


def test_the_staff_page_shows_runs_and_failures(client, staff, earned, creator, connected, run_payouts):
    account = connected()
    ConnectAccount.objects.filter(pk=account.pk).update(payouts_enabled=False)
    run_payouts()
    client.force_login(staff)
    html = client.get(reverse("payments:staff_payouts")).content.decode()
    assert "Run payouts now" in html
    assert "cannot receive payouts" in html and creator.display_name in html


def test_the_staff_pages_refuse_everyone_else(client, creator):
    client.force_login(creator.user)
    assert client.get(reverse("payments:staff_payouts")).status_code == 302
    assert client.post(reverse("payments:staff_payouts_run")).status_code == 302
    assert not PayoutRun.objects.exists()


def test_the_admin_action_pays_the_selected_creators(client, staff, earned, connected, settings):
    settings.PAYOUT_HOLD_DAYS = 0
    account = connected()
    client.force_login(staff)
    response = client.post(
        reverse("admin:payments_connectaccount_changelist"),
        {"action": "run_payouts", "_selected_action": [str(account.pk)]},
        follow=True,
    )
    assert "Payout run finished: 1 paid, 0 failed." in response.content.decode()
    assert Payout.objects.get().status == "paid"


def test_the_beat_schedule_runs_the_payout_task(settings, earned, connected):
    from config.celery import app
    from payments import tasks

    settings.PAYOUT_HOLD_DAYS = 0
    connected()
    assert app.conf.beat_schedule["payouts-run"]["task"] == "payments.tasks.payouts_run"
    assert tasks.payouts_run.apply().get() == 1
    assert PayoutRun.objects.get().trigger == "schedule"


def test_a_new_creator_sees_empty_states_and_the_setup_button(client, creator):
    client.force_login(creator.user)
    html = client.get(reverse("payments:earnings")).content.decode()
    assert "No sales in the last 30 days yet." in html and "No payouts yet." in html
    assert "Set up payouts" in html and "$0.00" in html


def test_the_staff_page_without_runs(client, staff):
    client.force_login(staff)
    html = client.get(reverse("payments:staff_payouts")).content.decode()
    assert "No payout run yet." in html and "Nothing waiting" in html
