"""Over the quota a job is refused with 429 and a message that says why, and nothing is queued."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from generation import services
from generation.models import GenerationJob

URL = "/api/v1/generation/jobs/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(creator) -> APIClient:
    client = APIClient()
    client.force_authenticate(creator.user)
    return client


def post(api, callbacks_fixture, **body):
    body.setdefault("prompt", "calm piano, slow and reflective")
    body.setdefault("duration", 5)
    with callbacks_fixture() as callbacks:
        response = api.post(URL, body, format="json")
    return response, callbacks


@pytest.mark.django_db
def test_it_refuses_more_jobs_at_once_than_the_quota(api, settings, django_capture_on_commit_callbacks):
    settings.GENERATION_MAX_ACTIVE_JOBS = 2
    for _ in range(2):
        assert post(api, django_capture_on_commit_callbacks)[0].status_code == 201

    response, callbacks = post(api, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert response.json() == {
        "detail": "You have 2 jobs queued or running and may have 2 at once; "
        "wait for one to finish or cancel one.",
        "field": "quota",
    }
    assert callbacks == []
    assert GenerationJob.objects.count() == 2


@pytest.mark.django_db
def test_a_cancelled_job_frees_its_place(api, settings, django_capture_on_commit_callbacks):
    settings.GENERATION_MAX_ACTIVE_JOBS = 1
    first = post(api, django_capture_on_commit_callbacks)[0].json()
    api.post(f"{URL}{first['id']}/cancel/")

    response, callbacks = post(api, django_capture_on_commit_callbacks)

    assert response.status_code == 201 and len(callbacks) == 1


@pytest.mark.django_db
def test_it_refuses_more_audio_per_day_than_the_quota(api, settings, django_capture_on_commit_callbacks):
    settings.GENERATION_DAILY_AUDIO_SECONDS = 60
    assert post(api, django_capture_on_commit_callbacks, duration=20, variations=2)[0].status_code == 201

    response, callbacks = post(api, django_capture_on_commit_callbacks, duration=8, variations=3)

    assert response.status_code == 429
    body = response.json()
    assert body["field"] == "quota"
    assert "24 s of audio" in body["detail"] and "20 s of your 60 s" in body["detail"]
    assert callbacks == [] and GenerationJob.objects.count() == 1
    # What fits is still accepted.
    assert post(api, django_capture_on_commit_callbacks, duration=10, variations=2)[0].status_code == 201


@pytest.mark.django_db
def test_a_retry_over_the_quota_is_refused_and_the_job_stays_as_it_was(
    api, creator, settings, django_capture_on_commit_callbacks
):
    settings.GENERATION_MAX_ACTIVE_JOBS = 1
    cancelled = post(api, django_capture_on_commit_callbacks)[0].json()
    api.post(f"{URL}{cancelled['id']}/cancel/")
    assert post(api, django_capture_on_commit_callbacks)[0].status_code == 201

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(f"{URL}{cancelled['id']}/retry/")

    assert response.status_code == 429 and response.json()["field"] == "quota"
    assert callbacks == []
    assert GenerationJob.objects.get(pk=cancelled["id"]).status == GenerationJob.Status.CANCELLED


@pytest.mark.django_db
def test_the_quota_is_the_owners_own(api, settings, django_capture_on_commit_callbacks, stranger):
    from accounts.models import CreatorProfile

    settings.GENERATION_MAX_ACTIVE_JOBS = 1
    other = CreatorProfile.objects.create(user=stranger, display_name="Other", slug="other")
    services.job_submit(
        owner=stranger, creator=other, prompt="calm piano", params={"duration": 5}, enqueue=False
    )

    response, callbacks = post(api, django_capture_on_commit_callbacks)

    assert response.status_code == 201 and len(callbacks) == 1
