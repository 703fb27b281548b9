"""A licensee's library in a real browser: their licenses, a license page, a download, verification."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

LICENSEE = {
    "licensee_name": "Ada Park",
    "licensee_organisation": "Northwind Films",
    "licensee_email": "ada@example.com",
    "project": "Harbour documentary",
}


@pytest.fixture
def held(make_track, buyer, settings, tmp_path, live_server):
    from licensing import services

    settings.VAR_DIR = tmp_path / "var"
    settings.LICENSE_FILES_ROOT = tmp_path / "licensed"
    settings.SITE_URL = live_server.url
    tiers = {t.slug: t for t in services.tiers_seed()}
    track = make_track("heist")
    quote = services.price_quote(track=track, tier=tiers["commercial"])
    return services.license_issue(source_key="order-line:e2e", quote=quote, licensee=buyer, **LICENSEE)


def test_a_licensee_downloads_the_stamped_master_and_anyone_verifies_it(
    open_page, held, buyer, screenshot, tmp_path
):
    page = open_page("/licenses/", user=buyer)
    expect(page.locator("h1")).to_contain_text("license")
    expect(page.locator("main")).to_contain_text(held.code)
    expect(page.locator("main")).to_contain_text("Night Vault")
    screenshot(page, "licenses-library-desktop")

    page.get_by_role("link", name="License page").click()
    expect(page).to_have_url(re.compile(f"/licenses/{held.code}/$"))
    expect(page.locator("main")).to_contain_text("Northwind Films")
    screenshot(page, "licenses-license-desktop")

    with page.expect_download() as download:
        page.get_by_role("link", name="Master WAV").first.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert held.code in saved.name and saved.stat().st_size > 1000

    page.goto(f"{page.url.split('/licenses/')[0]}/licenses/verify/{held.code}")
    expect(page.locator("main")).to_contain_text("Northwind Films")
    expect(page.locator("main")).not_to_contain_text("ada@example.com")
    screenshot(page, "licenses-verify-desktop")

    page.locator("input[type=file]").set_input_files(str(saved))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("main")).to_contain_text(held.code)
    expect(page.locator("main")).to_contain_text(re.compile("intact", re.I))
    screenshot(page, "licenses-verify-file-desktop")
