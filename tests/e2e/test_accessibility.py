"""Keyboard reach with a visible focus ring, and no sideways scrolling on a phone."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import MOBILE

pytestmark = pytest.mark.e2e

FOCUSED = """() => {
  const el = document.activeElement;
  const ring = el.matches('.check input, .segmented input') ? el.nextElementSibling : el;
  const style = getComputedStyle(ring);
  return {
    id: el.id, name: el.name || '', play: el.matches('[data-play]'),
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def test_tab_reaches_search_filters_and_the_first_play_button_with_a_ring(open_page, catalog):
    page = open_page("/")
    seen = []
    for _ in range(160):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        seen.append(focused)
        if focused["play"]:
            break
    order = {"search": None, "filter": None, "play": None}
    for i, f in enumerate(seen):
        if f["id"] == "q" and order["search"] is None:
            order["search"] = i
        if f["name"] == "genre" and order["filter"] is None:
            order["filter"] = i
        if f["play"] and order["play"] is None:
            order["play"] = i
    assert None not in order.values(), seen
    assert order["search"] < order["filter"] < order["play"]
    for i in order.values():
        assert seen[i]["ring"], seen[i]


def test_skip_to_results_jumps_past_the_filters(open_page, catalog):
    page = open_page("/")
    page.locator("#q").focus()
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "ordering"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.track-row [data-play]')")


@pytest.mark.parametrize("path", ["/", "/?q=tense+heist&mood=tense", "track", "creator", "/collections/"])
def test_a_phone_never_scrolls_sideways(open_page, catalog, buyer, creator, path):
    path = {"track": f"/tracks/{catalog['epic'].slug}/", "creator": f"/creators/{creator.slug}/"}.get(
        path, path
    )
    page = open_page(path, viewport=MOBILE, user=buyer)
    page.wait_for_timeout(200)
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"{path} is {width[0]}px wide on a {width[1]}px screen"
