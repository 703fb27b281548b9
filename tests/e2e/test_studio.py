"""The studio in a real browser: a creator submits a prompt, watches its take render, and plays it; a
buyer fits a published cue to their video.

The jobs really run: a Celery worker runs in a thread of the test process, on the configured broker
(files under var/ by default, Redis in CI), and renders what the pages queue.
"""

from __future__ import annotations

import re
import time

import pytest
from django.db import transaction
from django.db.models.signals import post_save
from playwright.sync_api import expect

from catalog.models import Track
from generation.models import GenerationJob
from tests.e2e.conftest import MOBILE

pytestmark = pytest.mark.e2e

RENDER_TIMEOUT_MS = 90_000
# Records every stage the page showed under a progress bar, so a test can tell the bar moved.
WATCH_STAGES = """() => {
  window.__stages = [];
  const note = () => {
    for (const node of document.querySelectorAll('[data-stage]')) {
      const text = node.textContent.trim();
      if (text && !window.__stages.includes(text)) window.__stages.push(text);
    }
    for (const bar of document.querySelectorAll('[data-progress]')) {
      window.__maxProgress = Math.max(window.__maxProgress || 0, bar.value);
    }
  };
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""
WORK_STAGES = {"Understanding the prompt", "Composing", "Rendering", "Mastering", "Exporting"}


@pytest.fixture
def worker(transactional_db):
    """A real Celery worker in a thread, taking jobs from the broker the pages queue them on."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60):
        yield


@pytest.fixture
def visible_stages():
    """Holds the worker for a moment after it claims a job, so a page polling once a second sees a stage
    of the render even where a short take renders in under a second."""

    def hold(sender, instance, **kwargs):
        if instance.status == GenerationJob.Status.RUNNING and instance.stage == "prompt":
            transaction.on_commit(lambda: time.sleep(2.5))

    post_save.connect(hold, sender=GenerationJob, weak=False, dispatch_uid="e2e-visible-stages")
    yield
    post_save.disconnect(sender=GenerationJob, dispatch_uid="e2e-visible-stages")


def _wait_playing(page, scope: str) -> None:
    page.wait_for_function(
        "scope => { const a = document.querySelector(scope + ' audio');"
        " return a && !a.paused && a.currentTime > 0.2; }",
        arg=scope,
    )


def test_a_creator_submits_watches_the_progress_and_plays_the_take(
    open_page, creator, worker, visible_stages, screenshot
):
    page = open_page("/studio/", user=creator.user)
    page.evaluate("() => { window.__samePage = true; }")
    page.evaluate(WATCH_STAGES)

    # An example fills the prompt box; the creator then writes their own.
    page.locator("[data-example]").first.click()
    expect(page.locator("#id_prompt")).to_have_value(re.compile("heist"))
    page.locator("#id_prompt").fill("calm reflective piano for an interview")
    page.locator("details.advanced > summary").click()
    page.locator("#id_duration").fill("5")
    page.locator("#instrument-filter").fill("pia")
    expect(page.locator("[data-instrument='electric piano']")).to_be_visible()
    expect(page.locator("[data-instrument='taiko']")).to_be_hidden()
    page.locator("[data-instrument='piano']").click()
    page.locator("#id_variations").fill("1")
    page.get_by_role("button", name="Generate").click()

    job_row = page.locator("[data-job]").first
    # The first prompt a server reads loads the sentence-embedding model: allow it a while.
    expect(job_row).to_be_visible(timeout=60_000)
    expect(job_row.locator(".job-prompt")).to_contain_text("calm reflective piano")
    job = GenerationJob.objects.get()
    assert job.parameters["instruments"] == ["piano"] and job.parameters["duration"] == 5.0

    take = job_row.locator("[data-track]")
    expect(take).to_have_count(1, timeout=RENDER_TIMEOUT_MS)
    assert page.evaluate("() => window.__samePage === true"), "the page reloaded"
    stages = set(page.evaluate("() => window.__stages"))
    assert stages & WORK_STAGES, f"no stage of the render was shown: {stages}"
    expect(job_row.locator(".job-status")).to_have_text("Succeeded")
    # The allowance card followed the job without a reload: five seconds asked for, nothing running.
    expect(page.locator("[data-quota=seconds]")).to_have_text("5")
    expect(page.locator("[data-quota=active]")).to_have_text("0")
    screenshot(page, "studio-desktop")

    button = take.locator("[data-play]")
    button.click()
    _wait_playing(page, "[data-job] [data-track]")
    expect(button).to_have_attribute("aria-pressed", "true")

    track = Track.objects.get()
    assert track.status == Track.Status.DRAFT and track.disclosure_label == Track.Disclosure.AI_GENERATED


def test_a_bad_value_is_shown_on_its_field_without_a_reload(open_page, creator):
    page = open_page("/studio/", user=creator.user)
    page.locator("#id_prompt").fill("dark synth pulse")
    page.locator("details.advanced > summary").click()
    page.locator("#id_bpm").fill("500")
    page.get_by_role("button", name="Generate").click()
    expect(page.locator("#id_bpm_error")).to_be_visible()
    expect(page.locator("#id_bpm")).to_be_focused()
    assert not GenerationJob.objects.exists()


def test_the_studio_pages_at_phone_width(open_page, creator, make_track, screenshot):
    from generation import services

    draft = make_track("heist", publish=False)
    job = services.job_submit(
        owner=creator.user, creator=creator, prompt="tense heist pulse", params={"duration": 5}, enqueue=False
    )
    failed = services.job_submit(
        owner=creator.user,
        creator=creator,
        prompt="warm acoustic guitar",
        params={"duration": 5},
        enqueue=False,
    )
    GenerationJob.objects.filter(pk=failed.pk).update(
        status=GenerationJob.Status.FAILED,
        error_code="engine_error",
        error_message="The renderer ran out of memory.",
    )
    GenerationJob.objects.filter(pk=job.pk).update(
        status=GenerationJob.Status.RUNNING, stage="render", progress=0.4
    )
    job.variation_set.update(status="running", stage="render", progress=0.4)

    page = open_page("/studio/", user=creator.user, viewport=MOBILE)
    expect(page.locator("[data-job]")).to_have_count(2)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "studio-mobile")

    page = open_page("/studio/library/", user=creator.user, viewport=MOBILE)
    expect(page.locator(".track-row")).to_have_count(1)
    screenshot(page, "studio-library-mobile")
    page = open_page(f"/studio/tracks/{draft.slug}/", user=creator.user, viewport=MOBILE)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "studio-draft-mobile")


def test_the_library_and_a_draft(open_page, creator, make_track, screenshot):
    draft = make_track("heist", publish=False)
    make_track("piano", publish=False)
    make_track("sunny")
    page = open_page("/studio/library/", user=creator.user)
    expect(page.locator(".track-row")).to_have_count(2)
    expect(page.locator(".status-tabs [aria-current=page]")).to_contain_text("Draft")
    screenshot(page, "studio-library")

    page.get_by_role("link", name="Night Vault", exact=True).click()
    expect(page.locator("h1")).to_have_text("Night Vault")
    page.locator("#id_title").fill("Vault Run")
    page.locator("label.check", has_text="Dark").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message-success")).to_have_text("Saved.")
    screenshot(page, "studio-draft")
    draft.refresh_from_db()
    assert draft.title == "Vault Run" and "dark" in draft.moods

    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".message-success")).to_contain_text("Submitted for review.")
    draft.refresh_from_db()
    assert draft.status == Track.Status.IN_REVIEW


def test_a_buyer_fits_a_cue_to_their_video(open_page, make_track, buyer, worker, screenshot):
    track = make_track("heist")
    page = open_page(f"/tracks/{track.slug}/", user=buyer)
    panel = page.locator("#custom-edit")
    expect(panel.get_by_role("heading", name="Fit this cue to your video")).to_be_visible()
    panel.get_by_label("Length (seconds)").fill("6")
    panel.get_by_label("Hit points").fill("3")
    panel.get_by_role("button", name="Make my edit").click()

    expect(page.locator(".message-success")).to_contain_text("Your edit is on its way")
    edit_row = page.locator("#custom-edit [data-track]")
    expect(edit_row).to_have_count(1, timeout=RENDER_TIMEOUT_MS)
    expect(edit_row).to_contain_text("0:06 edit")
    page.wait_for_timeout(300)
    screenshot(page, "studio-edit-panel")
    edit_row.locator("[data-play]").click()
    _wait_playing(page, "#custom-edit [data-track]")
