"""Browsing in a real browser: rows with covers and waveforms, searching by scene and facet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import MOBILE

pytestmark = pytest.mark.e2e

# Counts the non-transparent pixels of a canvas: a drawn waveform has many.
DRAWN_PIXELS = """canvas => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
  return drawn;
}"""


def test_browse_shows_rows_with_covers_and_waveforms(open_page, catalog, screenshot):
    page = open_page("/")
    expect(page.locator("#results-count")).to_have_text("4 tracks")
    rows = page.locator(".track-row")
    expect(rows).to_have_count(4)
    for i in range(4):
        row = rows.nth(i)
        expect(row.locator("img.cover")).to_be_visible()
        assert row.locator("img.cover").evaluate("img => img.complete && img.naturalWidth > 0")
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-wave]')].every(c => c.width > 0)"
    )
    canvas = rows.first.locator("canvas[data-wave]")
    # Peaks arrive by fetch; the drawn waveform then has far more ink than the flat placeholder.
    page.wait_for_function(f"c => ({DRAWN_PIXELS})(c) > 3000", arg=canvas.element_handle())
    screenshot(page, "browse-desktop")

    mobile = open_page("/", viewport=MOBILE)
    expect(mobile.locator(".track-row")).to_have_count(4)
    mobile.wait_for_timeout(300)
    screenshot(mobile, "browse-mobile")


def test_a_scene_query_and_a_facet_update_the_url_and_the_results(open_page, catalog, screenshot):
    page = open_page("/")
    page.fill("#q", "calm reflective piano for an interview")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"\?q=calm\+reflective\+piano"))
    expect(page.locator(".track-row").first.locator(".track-title")).to_have_text("Quiet Letters")
    expect(page.locator("#results-count")).to_contain_text("for “calm reflective piano for an interview”")

    # Ticking a mood applies at once: the URL carries the filter and the list narrows to it.
    page.locator(".facet-mood label.check", has_text="Melancholic").click()
    page.wait_for_url(re.compile(r"mood=melancholic"))
    assert "q=calm+reflective+piano" in page.url
    assert "bpm_min" not in page.url  # empty fields stay out of shared links
    expect(page.locator(".track-row")).to_have_count(1)
    expect(page.locator(".track-title")).to_have_text("Quiet Letters")
    expect(page.locator(".chip", has_text="Melancholic")).to_be_visible()
    # Focus comes back to the box that was ticked, so keyboard users keep their place.
    assert page.evaluate("document.activeElement.value") == "melancholic"
    screenshot(page, "search-desktop")
    mobile = open_page(page.url, viewport=MOBILE)
    expect(mobile.locator(".track-row")).to_have_count(1)
    screenshot(mobile, "search-mobile")

    page.locator(".chip", has_text="Melancholic").click()
    page.wait_for_url(lambda url: "mood=" not in url)
    expect(page.locator(".chip", has_text="Melancholic")).to_have_count(0)


def test_bad_filters_show_the_message_beside_the_control(open_page, catalog):
    page = open_page("/?bpm_min=200&bpm_max=90")
    expect(page.locator("#bpm_min-error")).to_contain_text("Must not be above")
    expect(page.locator("#bpm_min")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".errorlist")).to_contain_text("Tempo from")
