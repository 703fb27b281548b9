"""The review desk in a real browser: a creator uploads a track made elsewhere and confirms it, a
reviewer works the queue (a duplicate flagged, changes requested, a label corrected, a track approved),
the creator reads the message, and staff take a track down."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from playwright.sync_api import expect

from catalog import services
from catalog.models import Track
from tests.e2e.conftest import MOBILE


@pytest.fixture
def reviewer(transactional_db):
    from accounts import services as accounts_services
    from accounts.models import User

    user = User.objects.create_user("reviewer@example.com", "pass-for-tests-1")
    accounts_services.reviewer_grant(user=user)
    return User.objects.get(pk=user.pk)


def _wav_of(path) -> bytes:
    audio, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    out = io.BytesIO()
    soundfile.write(out, np.asarray(audio), rate, format="WAV", subtype="PCM_16")
    return out.getvalue()


def test_the_review_flow(open_page, make_track, engine_outputs, creator, reviewer, screenshot):
    original = make_track("heist", description="The original cue.")
    piano = services.track_submit(track=make_track("piano", publish=False))

    # The creator uploads a copy of the heist cue, declared as made with another tool.
    page = open_page("/upload/", user=creator.user)
    page.get_by_label("Audio file").set_input_files(
        {
            "name": "harbour.wav",
            "mimeType": "audio/wav",
            "buffer": _wav_of(engine_outputs["heist"] / "mix.wav"),
        }
    )
    page.get_by_label("Title").fill("Harbour Lights")
    page.get_by_label("How was it made?").select_option("human_made")
    page.get_by_label("Tool", exact=True).fill("Suno")
    page.get_by_label("Tool version").fill("v4.5")
    page.get_by_label("Plan or terms that grant commercial rights").fill("Pro plan, commercial use")
    page.get_by_label("Your own contribution").fill("Picked the best take")
    screenshot(page, "upload-form")
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page.get_by_role("heading", name="Confirm the details")).to_be_visible(timeout=30_000)
    expect(page.get_by_label("Tempo (BPM)")).to_have_value("100")
    screenshot(page, "upload-confirm")
    page.get_by_role("button", name="Confirm and submit for review").click()
    expect(page.locator(".message-success")).to_contain_text("Submitted for review.")
    upload = Track.objects.get(title="Harbour Lights")
    assert upload.status == Track.Status.IN_REVIEW

    # The reviewer's queue: oldest first, the copy flagged with the track it copies.
    page = open_page("/review/", user=reviewer)
    items = page.locator(".review-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Quiet Letters")
    copy_card = items.nth(1)
    expect(copy_card).to_contain_text("Declared tool")
    expect(copy_card.locator(".duplicates")).to_contain_text(original.title)
    expect(copy_card.locator(".check-fail")).to_contain_text("Duplicates")
    screenshot(page, "review-queue")
    small = open_page("/review/", user=reviewer, viewport=MOBILE)
    assert small.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(small, "review-queue-mobile")

    copy_card.get_by_label("Request changes").check()
    copy_card.get_by_label("Disclosure label").select_option("ai_generated")
    copy_card.get_by_label("Message to the creator").fill("This is the same audio as Night Vault.")
    copy_card.get_by_role("button", name="Record decision").click()
    expect(page.locator(".message-success")).to_contain_text("Changes requested")
    expect(page.locator(".review-item")).to_have_count(1)
    page.locator(".review-item").get_by_label("Approve and publish").check()
    page.locator(".review-item").get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", name="Nothing to review")).to_be_visible()
    upload.refresh_from_db()
    piano.refresh_from_db()
    assert (upload.status, upload.disclosure_label) == (Track.Status.DRAFT, "ai_generated")
    assert piano.status == Track.Status.PUBLISHED

    # The creator reads the message on their draft.
    page = open_page(f"/studio/tracks/{upload.slug}/", user=creator.user)
    note = page.locator(".review-note")
    expect(note).to_contain_text("Changes requested by the review team")
    expect(note).to_contain_text("same audio as Night Vault")
    expect(note).to_contain_text("corrected from Human-made to AI-generated")
    screenshot(page, "review-note-on-draft")

    # Staff take the approved track down from its page.
    page = open_page(f"/tracks/{piano.slug}/", user=reviewer)
    expect(page.locator(".provenance")).to_contain_text("Published")
    expect(page.get_by_role("link", name="Download the signed provenance record")).to_be_visible()
    page.get_by_label("Reason for the takedown").fill("Rights claim received")
    screenshot(page, "track-staff-actions")
    page.get_by_role("button", name="Take down").click()
    expect(page.locator(".message-success")).to_contain_text("Taken down")
    expect(page.locator(".provenance")).to_contain_text("Taken down")
