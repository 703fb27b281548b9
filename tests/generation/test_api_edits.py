"""POST /api/v1/tracks/{slug}/edits/: a signed-in buyer asks for a published engine-made track at
another length, with hit points, and auditions the edit's preview once its job has run."""

from __future__ import annotations

import json
import shutil

import pytest
from rest_framework.test import APIClient

from catalog.models import TrackEdit
from generation import services
from generation.models import GenerationJob

JOBS = "/api/v1/generation/jobs/"


def edits_url(slug: str) -> str:
    return f"/api/v1/tracks/{slug}/edits/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(buyer) -> APIClient:
    client = APIClient()
    client.force_authenticate(buyer)
    return client


@pytest.fixture
def track(make_track):
    return make_track("heist", publish=True)


@pytest.mark.django_db
def test_a_buyer_asks_for_an_edit_and_gets_its_job(api, buyer, track, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(edits_url(track.slug), {"duration": 6, "hits": [3, 2.5]}, format="json")

    assert response.status_code == 201, response.json()
    assert len(callbacks) == 1
    job = response.json()
    assert job["kind"] == "edit" and job["status"] == "queued"
    assert job["parent_track"] == track.slug
    assert job["duration"] == 6.0 and job["hits"] == [2.5, 3.0]
    assert job["seed"] == track.provenance.seed
    assert job["preview_url"] is None  # not rendered yet
    assert GenerationJob.objects.get().owner == buyer
    assert api.get(f"{JOBS}{job['id']}/").json()["id"] == job["id"]


@pytest.mark.django_db
def test_the_job_carries_the_preview_once_the_edit_is_made(
    api, buyer, track, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        job = api.post(edits_url(track.slug), {"duration": 5, "hits": [2]}, format="json").json()

    services.job_run(job_id=job["id"])
    done = api.get(f"{JOBS}{job['id']}/").json()

    edit = TrackEdit.objects.get()
    assert done["status"] == "succeeded"
    assert edit.requested_by == buyer and edit.track == track and edit.duration == pytest.approx(5, abs=0.05)
    assert done["preview_url"] == f"http://testserver{edit.preview.url}"
    served = api.get(done["preview_url"])
    assert served.status_code == 200
    audio = b"".join(served.streaming_content) if served.streaming else served.content
    assert audio.startswith((b"ID3", b"\xff"))  # an MP3: a tag or a frame header
    assert done["variations"][0]["track"] is None  # an edit makes no track of its own


@pytest.mark.django_db
def test_the_tracks_own_routes_still_answer(api, track):
    """The edits route sits beside the catalog's track routes without shadowing them."""
    assert api.get(f"/api/v1/tracks/{track.slug}/").json()["slug"] == track.slug
    assert api.get(edits_url(track.slug)).status_code == 405  # only POST here


@pytest.mark.django_db
def test_an_unknown_track_is_not_found(api):
    response = api.post(edits_url("no-such-track"), {"duration": 10}, format="json")

    assert response.status_code == 404
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_a_draft_is_not_found_even_for_its_creator(make_track, creator):
    draft = make_track("heist", publish=False)
    client = APIClient()
    client.force_authenticate(creator.user)

    response = client.post(edits_url(draft.slug), {"duration": 10}, format="json")

    assert response.status_code == 404
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_a_track_not_made_by_the_engine_gets_no_edit(api, creator, engine_outputs, tmp_path):
    from catalog import services as catalog_services

    # A cue made in another tool: its manifest names that tool, not this engine.
    made_elsewhere = tmp_path / "daw"
    shutil.copytree(engine_outputs["piano"], made_elsewhere)
    manifest = json.loads((made_elsewhere / "manifest.json").read_text())
    manifest["engine"] = {"name": "studio-daw", "version": "12"}
    (made_elsewhere / "manifest.json").write_text(json.dumps(manifest))
    track = catalog_services.track_create_from_output(
        creator=creator, out_dir=made_elsewhere, title="Hand Played", publish=True
    )

    response = api.post(edits_url(track.slug), {"duration": 10}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["track"]
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "duration"),
        ({"duration": "abc"}, "duration"),
        ({"duration": 4}, "duration"),
        ({"duration": 601}, "duration"),
        ({"duration": 10, "hits": [0.5]}, "hits"),
        ({"duration": 10, "hits": [9.5]}, "hits"),
        ({"duration": 10, "hits": ["soon"]}, "hits"),
        ({"duration": 10, "hits": 3}, "hits"),
        ({"duration": 10, "hits": [float(h) + 1.5 for h in range(33)]}, "hits"),
        ({"duration": 10, "bpm": 90}, "bpm"),
    ],
)
def test_bad_input_names_the_field(api, track, body, field):
    response = api.post(edits_url(track.slug), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(track):
    response = APIClient().post(edits_url(track.slug), {"duration": 10}, format="json")

    assert response.status_code == 401
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_an_edit_over_the_daily_audio_quota_is_refused(
    api, track, settings, django_capture_on_commit_callbacks
):
    settings.GENERATION_DAILY_AUDIO_SECONDS = 30

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(edits_url(track.slug), {"duration": 45}, format="json")

    assert response.status_code == 429
    assert response.json()["field"] == "quota" and "30 s" in response.json()["detail"]
    assert callbacks == [] and not GenerationJob.objects.exists()
