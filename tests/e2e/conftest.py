"""A real Chromium driven by Playwright against the live test server.

The whole folder is skipped, with the reason, where Chromium or the playwright package is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 390, "height": 844}


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM}; browser tests skipped"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed; browser tests skipped"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(live_server):
    """The live server, answering /media/ through the site's own URLs as a real install does.

    Django's test server otherwise serves media itself, through a shortcut that ignores byte ranges,
    and a browser cannot seek in audio served that way.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.handlers.wsgi import WSGIHandler

    live_server.thread.httpd.set_app(StaticFilesHandler(WSGIHandler()))
    return live_server


@pytest.fixture
def open_page(browser, site, live_server, transactional_db):
    """open_page(path, viewport=DESKTOP, user=None) -> a Playwright page at `path` on the live server."""
    contexts = []
    script_errors = []

    def open_(path: str = "/", *, viewport: dict = DESKTOP, user=None):
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        contexts.append(context)
        if user is not None:
            _log_in(context, live_server.url, user)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))
        page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not script_errors, "the page's scripts failed:\n" + "\n".join(script_errors)


def _log_in(context, base_url: str, user) -> None:
    """Give the browser a real session cookie for `user`, as logging in through the form would."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.fixture
def screenshot():
    """screenshot(page, name): save a full-page picture under var/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        # Scroll through once so lazily loaded covers below the fold are in the picture too.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        page.evaluate("window.scrollTo(0, 0)")
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def catalog(make_track, transactional_db):
    """Four published tracks, newest last: Night Vault, Open Road Morning, Quiet Letters, Banners Rise."""
    descriptions = {
        "heist": "A pulsing, tense cue for break-ins and countdowns.",
        "sunny": "Bright acoustic strums for travel montages.",
        "piano": "Slow, reflective piano for interviews and quiet endings.",
        "epic": "Brass and taiko for trailers that build to a final hit.",
    }
    return {name: make_track(name, description=text) for name, text in descriptions.items()}
