"""A creator's earnings in a real browser: sales, setting up a (simulated) payout account, a payout,
the statement download; and staff running payouts from their page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import MOBILE

pytestmark = pytest.mark.e2e


@pytest.fixture
def sold(make_track, transactional_db, buyer, settings):
    """Three sandbox sales of the creator's tracks (creator's share: 20.30 + 69.30 + 349.30)."""
    from licensing import services as licensing_services
    from licensing.models import LicenseTier
    from payments import services

    settings.PAYMENTS_PROVIDER = "sandbox"
    settings.PAYOUT_HOLD_DAYS = 0
    licensing_services.tiers_seed()
    tiers = {t.slug: t for t in LicenseTier.objects.all()}
    tracks = [make_track("heist"), make_track("piano")]
    for track, tier in ((tracks[0], "creator"), (tracks[1], "commercial"), (tracks[0], "broadcast")):
        order = services.order_create(
            buyer=buyer, lines=[(track, tiers[tier])], licensee_name="Ada Park", licensee_email=buyer.email
        )
        services.order_mark_paid(order_id=order.pk, payment_id=f"pi_{order.pk.hex}", amount_cents=None)
    return tracks


def test_a_creator_sets_up_payouts_and_sees_their_earnings(open_page, sold, creator, screenshot):
    from payments import payouts

    page = open_page("/payments/earnings/", user=creator.user)
    expect(page.locator("h1")).to_have_text("Earnings")
    expect(page.get_by_test_id("available")).to_have_text("$438.90")
    expect(page.locator(".sales-chart rect.chart-bar")).to_have_count(1)
    expect(page.locator("#tracks-title + .table-wrap")).to_contain_text("Night Vault")
    expect(page.locator("#tiers-title + .table-wrap")).to_contain_text("Broadcast")

    page.get_by_role("button", name="Set up payouts").click()
    expect(page.locator(".sandbox-banner")).to_contain_text("Sandbox: simulated payout account.")
    screenshot(page, "payouts-sandbox-onboarding")
    page.get_by_role("button", name="Complete simulated setup").click()
    expect(page.locator(".message")).to_contain_text("Simulated payout account ready")
    expect(page.locator(".payout-account")).to_contain_text("Ready")

    run = payouts.payouts_run(trigger="schedule")
    assert run.paid_count == 1
    page.reload()
    expect(page.get_by_test_id("available")).to_have_text("$0.00")
    expect(page.locator("#payouts-title + .table-wrap")).to_contain_text("$438.90")
    expect(page.locator("#payouts-title + .table-wrap .status-paid")).to_have_text("Paid")
    screenshot(page, "payouts-earnings-desktop")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download statement (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["kind"] for r in rows] == ["Sale", "Sale", "Sale", "Payout"] and rows[-1]["balance"] == "0.00"

    mobile = open_page("/payments/earnings/", user=creator.user, viewport=MOBILE)
    expect(mobile.locator(".sales-chart svg")).to_be_visible()
    screenshot(mobile, "payouts-earnings-mobile")


def test_staff_run_payouts_and_see_failures(open_page, sold, creator, screenshot, transactional_db):
    from accounts.models import User
    from payments import payouts
    from payments.models import ConnectAccount

    payouts.connect_onboarding_link(creator=creator, refresh_url="http://t/r", return_url="http://t/b")
    ConnectAccount.objects.filter(creator=creator).update(payouts_enabled=False)
    staff = User.objects.create_superuser("staff@example.com", "pass-for-tests-1")
    page = open_page("/payments/payouts/", user=staff)
    expect(page.locator("h1")).to_have_text("Payouts")
    page.get_by_role("button", name="Run payouts now").click()
    expect(page.locator(".message")).to_contain_text("Payout run finished: 0 paid, 0 failed.")
    expect(page.locator("#runs-title + .table-wrap")).to_contain_text("cannot receive payouts")
    payouts.connect_sandbox_complete(creator=creator)
    page.get_by_role("button", name="Run payouts now").click()
    expect(page.locator(".message")).to_contain_text("Payout run finished: 1 paid, 0 failed.")
    screenshot(page, "payouts-staff-desktop")
