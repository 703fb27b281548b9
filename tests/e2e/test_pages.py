"""Track, creator and collection pages in a real browser, and the favourite heart."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalog.models import Collection, CollectionItem, Favorite
from tests.e2e.conftest import MOBILE

pytestmark = pytest.mark.e2e


def test_the_track_page_shows_provenance_and_deliverables(open_page, catalog, screenshot):
    heist = catalog["heist"]
    page = open_page(f"/tracks/{heist.slug}/")
    expect(page.locator("h1")).to_have_text("Night Vault")
    provenance = page.locator(".provenance")
    expect(provenance).to_contain_text(f"{heist.provenance.engine} {heist.provenance.engine_version}")
    expect(provenance).to_contain_text(heist.provenance.prompt)
    expect(provenance).to_contain_text("Published")
    deliverables = page.locator(".deliverables")
    expect(deliverables).to_contain_text("Master WAV")
    expect(deliverables).to_contain_text("stems")
    expect(deliverables.locator("a")).to_have_count(0)
    expect(page.locator(".similar .track-row")).to_have_count(3)
    # The big player plays too, and only it.
    page.locator(".track-hero [data-play]").click()
    page.wait_for_function("() => !document.querySelector('.track-hero audio').paused")
    page.locator(".track-hero [data-play]").click()
    page.wait_for_timeout(200)
    screenshot(page, "track-desktop")
    mobile = open_page(f"/tracks/{heist.slug}/", viewport=MOBILE)
    mobile.wait_for_timeout(300)
    screenshot(mobile, "track-mobile")


def test_the_favourite_heart_toggles_without_a_reload(open_page, catalog, buyer):
    page = open_page("/", user=buyer)
    heart = page.locator(".track-row").first.locator("button.heart")
    expect(heart).to_have_attribute("aria-pressed", "false")
    page.evaluate("window.__samePage = true")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__samePage === true")
    expect(page.locator("#announcer")).to_contain_text("added to your favourites")
    assert Favorite.objects.filter(user=buyer).count() == 1

    page.reload()
    heart = page.locator(".track-row").first.locator("button.heart")
    expect(heart).to_have_attribute("aria-pressed", "true")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(100)
    assert not Favorite.objects.filter(user=buyer).exists()


def test_adding_to_a_new_collection_from_the_track_page(open_page, catalog, buyer, screenshot):
    page = open_page(f"/tracks/{catalog['piano'].slug}/", user=buyer)
    page.fill("#id_new_name", "Documentary temp")
    page.get_by_role("button", name="Add to collection").click()
    expect(page.locator(".message")).to_contain_text("Added “Quiet Letters” to Documentary temp.")
    collection = Collection.objects.get(owner=buyer)
    assert collection.items.count() == 1

    page.goto(f"/collections/{collection.pk}/")
    expect(page.locator(".track-row")).to_have_count(1)
    screenshot(page, "collection-desktop")


def test_creator_and_collections_pages_at_both_sizes(open_page, catalog, buyer, creator, screenshot):
    for name in ("Heist film", "Podcast beds"):
        collection = Collection.objects.create(owner=buyer, name=name, is_public=name == "Podcast beds")
        CollectionItem.objects.create(collection=collection, track=catalog["heist"])
    Favorite.objects.create(user=buyer, track=catalog["sunny"])
    for viewport, suffix in ((None, "desktop"), (MOBILE, "mobile")):
        kwargs = {"viewport": viewport} if viewport else {}
        page = open_page(f"/creators/{creator.slug}/", **kwargs)
        expect(page.locator("h1")).to_have_text("Nadia Okafor")
        expect(page.locator(".track-row")).to_have_count(4)
        page.wait_for_timeout(300)
        screenshot(page, f"creator-{suffix}")
        page = open_page("/collections/", user=buyer, **kwargs)
        expect(page.locator(".collection-card")).to_have_count(3)
        screenshot(page, f"collections-{suffix}")
