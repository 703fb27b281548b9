"""The audition player in a real browser: play, one at a time, the space bar, seeking."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

AUDIO = "i => { const a = document.querySelectorAll('.track-row audio')[i]; return {paused: a.paused, time: a.currentTime}; }"


def _audio(page, i: int) -> dict:
    return page.evaluate(AUDIO, i)


def _wait_playing(page, i: int, after: float = 0.0) -> None:
    page.wait_for_function(
        "([i, after]) => { const a = document.querySelectorAll('.track-row audio')[i];"
        " return !a.paused && a.currentTime > after; }",
        arg=[i, after],
    )


def test_play_is_one_at_a_time_and_the_space_bar_toggles(open_page, catalog):
    page = open_page("/")
    rows = page.locator(".track-row")
    first, second = rows.nth(0).locator("[data-play]"), rows.nth(1).locator("[data-play]")

    first.click()
    _wait_playing(page, 0, after=0.3)
    start = _audio(page, 0)["time"]
    page.wait_for_timeout(500)
    assert _audio(page, 0)["time"] > start  # the clock runs
    expect(first).to_have_attribute("aria-pressed", "true")

    second.click()
    _wait_playing(page, 1, after=0.2)
    assert _audio(page, 0)["paused"]
    expect(first).to_have_attribute("aria-pressed", "false")
    expect(second).to_have_attribute("aria-pressed", "true")

    # With focus away from any control, space pauses and resumes the current track.
    page.locator("#results-count").click()
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelectorAll('.track-row audio')[1].paused")
    expect(second).to_have_attribute("aria-pressed", "false")
    paused_at = _audio(page, 1)["time"]
    page.keyboard.press("Space")
    _wait_playing(page, 1, after=paused_at)
    assert _audio(page, 0)["paused"]


def test_space_starts_the_first_track_when_nothing_played_yet(open_page, catalog):
    page = open_page("/")
    page.locator("#results-count").click()
    page.keyboard.press("Space")
    _wait_playing(page, 0)
    expect(page.locator(".track-row").first.locator("[data-play]")).to_have_attribute("aria-pressed", "true")


def test_space_in_the_search_box_types_a_space(open_page, catalog):
    page = open_page("/")
    page.locator("#q").click()
    page.keyboard.type("night heist")
    expect(page.locator("#q")).to_have_value("night heist")
    assert all(_audio(page, i)["paused"] for i in range(4))


def test_clicking_the_waveform_seeks_and_arrow_keys_move(open_page, catalog):
    page = open_page("/")
    canvas = page.locator(".track-row").first.locator("canvas[data-wave]")
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    # An 8-second preview clicked at three quarters plays from about 6 s.
    _wait_playing(page, 0, after=5.0)
    page.evaluate("() => document.querySelectorAll('.track-row audio')[0].pause()")
    before = _audio(page, 0)["time"]
    canvas.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "t => document.querySelectorAll('.track-row audio')[0].currentTime < t - 4", arg=before
    )
    expect(canvas).to_have_attribute("aria-valuetext", re.compile(r"^0:0[0-4] of 0:08$"))
    page.keyboard.press("Home")
    page.wait_for_function("() => document.querySelectorAll('.track-row audio')[0].currentTime < 0.1")
