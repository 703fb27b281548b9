"""Who may do what with generation jobs: creators queue them; a job is its owner's and staff's alone;
to anyone else it does not exist."""

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
def staff(db):
    from accounts.models import User

    return User.objects.create_user("operator@example.com", "pass-for-tests-1", is_staff=True)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def job(creator) -> GenerationJob:
    return services.job_submit(
        owner=creator.user, creator=creator, prompt="calm piano", params={"duration": 5}, enqueue=False
    )


@pytest.mark.django_db
def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(job):
    visitor = client_for(None)

    for response in (
        visitor.get(URL),
        visitor.post(URL, {"prompt": "calm piano"}, format="json"),
        visitor.get(f"{URL}{job.pk}/"),
        visitor.post(f"{URL}{job.pk}/cancel/"),
        visitor.post(f"{URL}{job.pk}/retry/"),
    ):
        assert response.status_code == 401
    assert GenerationJob.objects.get().status == GenerationJob.Status.QUEUED


@pytest.mark.django_db
def test_a_bad_token_is_refused(job):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get(URL).status_code == 401


@pytest.mark.django_db
def test_a_user_who_is_not_a_creator_cannot_queue_a_job(buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(buyer).post(URL, {"prompt": "calm piano", "duration": 5}, format="json")

    assert response.status_code == 403
    assert "creator" in response.json()["detail"]
    assert callbacks == [] and not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_a_stranger_cannot_see_cancel_or_retry_a_job(job, stranger):
    other = client_for(stranger)

    assert other.get(URL).json()["count"] == 0
    assert other.get(f"{URL}{job.pk}/").status_code == 404
    assert other.post(f"{URL}{job.pk}/cancel/").status_code == 404
    services.job_cancel(job=job)
    assert other.post(f"{URL}{job.pk}/retry/").status_code == 404
    assert GenerationJob.objects.get().status == GenerationJob.Status.CANCELLED


@pytest.mark.django_db
def test_staff_see_and_cancel_any_job(job, staff):
    operator = client_for(staff)

    assert operator.get(f"{URL}{job.pk}/").json()["id"] == str(job.pk)
    assert operator.post(f"{URL}{job.pk}/cancel/").json()["status"] == "cancelled"
    assert operator.get(URL).json()["count"] == 0  # the list holds one's own jobs only


@pytest.mark.django_db
def test_a_buyer_lists_and_cancels_their_own_edits(make_track, buyer):
    track = make_track("heist", publish=True)
    edit = services.edit_submit(owner=buyer, track=track, duration=6, enqueue=False)
    client = client_for(buyer)

    listed = client.get(URL).json()
    cancelled = client.post(f"{URL}{edit.pk}/cancel/")

    assert [j["id"] for j in listed["results"]] == [str(edit.pk)]
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


@pytest.mark.django_db
def test_the_creator_does_not_see_a_buyers_edit_of_their_track(make_track, buyer, creator):
    track = make_track("heist", publish=True)
    edit = services.edit_submit(owner=buyer, track=track, duration=6, enqueue=False)

    assert client_for(creator.user).get(f"{URL}{edit.pk}/").status_code == 404
