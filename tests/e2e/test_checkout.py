"""Buying in a real browser: choose a tier on the track page, check out, pay in the sandbox."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from licensing.models import License
from payments.models import Order
from tests.e2e.conftest import MOBILE

pytestmark = pytest.mark.e2e


@pytest.fixture
def on_sale(make_track, transactional_db):
    from licensing import services

    services.tiers_seed()  # the tiers a fresh install sells (flushed between browser tests)
    return make_track("heist", description="A pulsing, tense cue for break-ins and countdowns.")


def test_a_buyer_licenses_a_track_through_the_sandbox(open_page, on_sale, buyer, screenshot):
    page = open_page(f"/tracks/{on_sale.slug}/", user=buyer)
    panel = page.locator(".license-panel")
    expect(panel).to_contain_text("$29.00")
    expect(panel.get_by_role("link", name="Compare license tiers")).to_have_attribute(
        "href", "/licenses/tiers/"
    )
    panel.locator("input[name=tier][value=commercial]").check()
    screenshot(page, "checkout-track-panel-desktop")
    panel.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".message")).to_contain_text("“Night Vault” (Commercial license) is in your cart.")
    expect(page.locator(".nav-cart .cart-count")).to_contain_text("1")

    page.locator(".nav-cart").click()
    expect(page.locator("h1")).to_have_text("Your cart")
    expect(page.locator(".cart-line")).to_contain_text("Night Vault")
    expect(page.locator(".cart-total")).to_contain_text("$99.00")
    expect(page.get_by_label("Email for the license")).to_have_value("buyer@example.com")
    page.get_by_label("Licensee name").fill("Ada Park")
    page.get_by_label("Project").fill("Harbour documentary")
    screenshot(page, "checkout-cart-desktop")
    page.get_by_role("button", name=re.compile("^Checkout")).click()

    expect(page.locator(".sandbox-banner")).to_contain_text("Sandbox: no money moves")
    expect(page.locator(".summary-lines")).to_contain_text("Commercial license")
    screenshot(page, "checkout-sandbox-desktop")
    page.get_by_role("button", name=re.compile("^Pay")).click()

    order = Order.objects.get(buyer=buyer)
    expect(page).to_have_url(re.compile(f"/payments/orders/{order.pk}/$"))
    expect(page.locator(".order-head .status")).to_have_text("Paid")
    code = License.objects.get(licensee=buyer).code
    expect(page.locator(".license-code a")).to_have_attribute("href", f"/licenses/{code}/")
    expect(page.locator(".license-code")).to_contain_text(code)
    expect(page.locator(".nav-cart .cart-count")).to_contain_text("0")
    screenshot(page, "checkout-order-desktop")

    mobile = open_page(f"/payments/orders/{order.pk}/", user=buyer, viewport=MOBILE)
    expect(mobile.locator(".license-code")).to_contain_text(code)
    screenshot(mobile, "checkout-order-mobile")


def test_the_cart_and_panel_at_phone_size(open_page, on_sale, make_track, buyer, screenshot):
    from licensing.models import LicenseTier
    from payments import services

    other = make_track("piano")
    services.cart_add(user=buyer, track=on_sale, tier=LicenseTier.objects.get(slug="creator"))
    services.cart_add(user=buyer, track=other, tier=LicenseTier.objects.get(slug="broadcast"))
    page = open_page(f"/tracks/{on_sale.slug}/", user=buyer, viewport=MOBILE)
    expect(page.locator(".license-panel")).to_contain_text("Update cart")
    screenshot(page, "checkout-track-panel-mobile")

    page = open_page("/payments/cart/", user=buyer, viewport=MOBILE)
    expect(page.locator(".cart-line")).to_have_count(2)
    # Choosing another tier submits at once (the button is for pages without scripts).
    page.get_by_label("License tier for Quiet Letters").select_option("commercial")
    expect(page.locator(".message")).to_contain_text("(Commercial license) is in your cart")
    expect(page.locator(".cart-total")).to_contain_text("$128.00")
    screenshot(page, "checkout-cart-mobile")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    page.get_by_role("button", name="Remove Night Vault from the cart").click()
    expect(page.locator(".cart-line")).to_have_count(1)
