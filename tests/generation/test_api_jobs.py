"""/api/v1/generation/jobs/: a creator queues a job, watches it, and cancels or retries it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from catalog.models import Track
from generation import services
from generation.models import GenerationJob

URL = "/api/v1/generation/jobs/"
PROMPT = "calm piano, slow and reflective"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(creator) -> APIClient:
    client = APIClient()
    client.force_authenticate(creator.user)
    return client


def queue(api, django_capture_on_commit_callbacks, **body) -> dict:
    body.setdefault("prompt", PROMPT)
    body.setdefault("duration", 5)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert len(callbacks) == 1
    return response.json()


@pytest.mark.django_db
def test_it_queues_a_job_once_and_answers_with_it(api, creator, django_capture_on_commit_callbacks):
    body = {
        "prompt": "tense heist scene, pulsing synth bass",
        "duration": 8,
        "bpm": 100,
        "key": "D minor",
        "energy": "high",
        "hits": [4],
        "instruments": ["synth_bass"],
        "variations": 3,
        "seed": 40,
        "title": "Night Vault",
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    assert len(callbacks) == 1  # one task, handed to the broker only once the rows are committed
    job = response.json()
    assert job["kind"] == "library" and job["status"] == "queued"
    assert job["stage"] == "" and job["stage_label"] == "Waiting for a worker" and job["progress"] == 0
    assert job["seed"] == 40 and job["title"] == "Night Vault" and job["error"] is None
    assert job["parameters"] == {
        "duration": 8.0,
        "bpm": 100.0,
        "key": "D minor",
        "energy": "high",
        "hits": [4.0],
        "instruments": ["synth_bass"],
    }
    assert [(v["index"], v["seed"], v["status"], v["track"]) for v in job["variations"]] == [
        (0, 40, "pending", None),
        (1, 41, "pending", None),
        (2, 42, "pending", None),
    ]
    assert job["url"] == f"http://testserver{URL}{job['id']}/"
    assert job["timings"]["run_s"] is None and job["timings"]["queued_s"] >= 0
    assert job["started_at"] is None and job["finished_at"] is None
    assert GenerationJob.objects.get().creator == creator


@pytest.mark.django_db
def test_it_takes_the_key_and_the_mode_apart(api, django_capture_on_commit_callbacks):
    job = queue(api, django_capture_on_commit_callbacks, key="F#", mode="minor")

    assert job["parameters"] == {"duration": 5.0, "key": "F#", "mode": "minor"}


@pytest.mark.django_db
def test_the_detail_shows_each_variation_and_the_track_it_made(
    api, creator, django_capture_on_commit_callbacks
):
    queued = queue(api, django_capture_on_commit_callbacks, seed=7)

    services.job_run(job_id=queued["id"])
    response = api.get(f"{URL}{queued['id']}/")

    assert response.status_code == 200
    job = response.json()
    assert job["status"] == "succeeded" and job["stage"] == "done" and job["progress"] == 1.0
    assert job["stage_label"] == "Done" and job["error"] is None and job["attempts"] == 1
    assert job["timings"]["run_s"] > 0 and job["finished_at"]
    (variation,) = job["variations"]
    assert variation["status"] == "done" and variation["progress"] == 1.0
    track = Track.objects.get(creator=creator)
    assert variation["track"] == {
        "slug": track.slug,
        "title": track.title,
        "url": f"http://testserver/tracks/{track.slug}/",
        "preview_url": f"http://testserver{track.preview.url}",
        "status": "draft",
    }
    api.force_login(creator.user)  # the page reads the session
    assert api.get(variation["track"]["url"]).status_code == 200  # the creator sees their draft
    assert job["preview_url"] is None  # only an edit has a preview of its own


@pytest.mark.django_db
def test_the_list_holds_the_callers_jobs_newest_first_and_filters_them(
    api, django_capture_on_commit_callbacks
):
    first = queue(api, django_capture_on_commit_callbacks)
    second = queue(api, django_capture_on_commit_callbacks)
    services.job_cancel(job=GenerationJob.objects.get(pk=first["id"]))

    listed = api.get(URL).json()
    cancelled = api.get(URL, {"status": "cancelled"}).json()
    edits = api.get(URL, {"kind": "edit"}).json()

    assert listed["count"] == 2 and [j["id"] for j in listed["results"]] == [second["id"], first["id"]]
    assert [j["id"] for j in cancelled["results"]] == [first["id"]]
    assert edits["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"status": "done"}, {"kind": "album"}, {"page": "x"}])
def test_a_bad_filter_names_itself(api, params):
    response = api.get(URL, params)

    assert response.status_code in (400, 404)
    assert list(response.json()) == list(params)


@pytest.mark.django_db
def test_a_queued_job_is_cancelled(api, django_capture_on_commit_callbacks):
    job = queue(api, django_capture_on_commit_callbacks, variations=2)

    response = api.post(f"{URL}{job['id']}/cancel/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled" and body["finished_at"]
    assert {v["status"] for v in body["variations"]} == {"cancelled"}
    # A worker that picks the job up later leaves it alone.
    assert services.job_run(job_id=job["id"]).status == "cancelled"
    assert not Track.objects.exists()


@pytest.mark.django_db
def test_a_finished_job_cannot_be_cancelled(api, django_capture_on_commit_callbacks):
    job = queue(api, django_capture_on_commit_callbacks)
    api.post(f"{URL}{job['id']}/cancel/")

    response = api.post(f"{URL}{job['id']}/cancel/")

    assert response.status_code == 409
    assert response.json()["field"] == "status"
    assert "only a queued or running job can be cancelled" in response.json()["detail"]


@pytest.mark.django_db
def test_a_cancelled_job_is_retried_and_queued_once_more(api, django_capture_on_commit_callbacks):
    job = queue(api, django_capture_on_commit_callbacks)
    api.post(f"{URL}{job['id']}/cancel/")

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(f"{URL}{job['id']}/retry/")

    assert response.status_code == 200
    assert len(callbacks) == 1
    body = response.json()
    assert body["status"] == "queued" and body["finished_at"] is None and body["error"] is None
    assert {v["status"] for v in body["variations"]} == {"pending"}


@pytest.mark.django_db
def test_a_failed_job_shows_its_error_and_is_retried(api, django_capture_on_commit_callbacks):
    job = queue(api, django_capture_on_commit_callbacks)
    # The tempo limit changed between submit and run: the brief no longer resolves.
    GenerationJob.objects.filter(pk=job["id"]).update(parameters={"duration": 5, "bpm": 999})
    services.job_run(job_id=job["id"])

    failed = api.get(f"{URL}{job['id']}/").json()
    with django_capture_on_commit_callbacks() as callbacks:
        retried = api.post(f"{URL}{job['id']}/retry/")

    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "bad_parameters" and "tempo" in failed["error"]["message"].lower()
    assert retried.status_code == 200 and retried.json()["status"] == "queued" and len(callbacks) == 1


@pytest.mark.django_db
def test_a_queued_job_cannot_be_retried(api, django_capture_on_commit_callbacks):
    job = queue(api, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(f"{URL}{job['id']}/retry/")

    assert response.status_code == 409 and response.json()["field"] == "status"
    assert callbacks == []


@pytest.mark.django_db
@pytest.mark.parametrize("job_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "12.5"])
def test_an_unknown_or_malformed_id_is_not_found(api, job_id):
    for response in (
        api.get(f"{URL}{job_id}/"),
        api.post(f"{URL}{job_id}/cancel/"),
        api.post(f"{URL}{job_id}/retry/"),
    ):
        assert response.status_code == 404


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_however_many_jobs(api, creator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def submit():
        services.job_submit(
            owner=creator.user,
            creator=creator,
            prompt=PROMPT,
            params={"duration": 5},
            variations=3,
            enqueue=False,
        )

    submit()
    with CaptureQueriesContext(connection) as one:
        assert api.get(URL).status_code == 200
    for _ in range(4):
        submit()
    with CaptureQueriesContext(connection) as five:
        assert api.get(URL).json()["count"] == 5

    assert len(five) == len(one)
