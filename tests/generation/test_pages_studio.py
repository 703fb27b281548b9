"""The studio page: creators queue jobs from a prompt or a pack, watch them, cancel and retry them."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Track
from generation import services
from generation.models import GenerationJob, JobVariation

STUDIO = reverse("generation:studio")
PACK = reverse("generation:pack")
STATUS = reverse("generation:jobs_status")
PROMPT = "calm piano, slow and reflective"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def studio_client(client, creator):
    client.force_login(creator.user)
    return client


def _job(creator, **kwargs) -> GenerationJob:
    kwargs.setdefault("params", {"duration": 5})
    return services.job_submit(owner=creator.user, creator=creator, prompt=PROMPT, enqueue=False, **kwargs)


# --- who may enter ---------------------------------------------------------------------------------


def test_it_sends_visitors_to_log_in(client, db):
    response = client.get(STUDIO)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_sends_a_buyer_to_become_a_creator(client, buyer):
    client.force_login(buyer)
    response = client.get(STUDIO, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:become_creator")
    assert "The studio is for creators" in response.content.decode()
    assert client.post(STUDIO, {"prompt": PROMPT, "variations": 1}).status_code == 302
    assert not GenerationJob.objects.exists()


def test_it_shows_the_prompt_box_examples_and_controls(studio_client):
    html = studio_client.get(STUDIO).content.decode()
    for needle in (
        'name="prompt"',
        "data-example=",
        'name="bpm"',
        'name="key"',
        'name="mode"',
        'value="taiko"',
    ):
        assert needle in html
    assert 'name="hits"' in html and 'name="seed"' in html and 'name="variations"' in html
    assert 'name="pack"' in html and reverse("generation:example_pack") in html


def test_an_example_link_fills_the_prompt_box_without_script(studio_client):
    html = studio_client.get(STUDIO, {"prompt": "Lo-fi study beat"}).content.decode()
    assert "\nLo-fi study beat</textarea>" in html


def test_the_nav_offers_the_studio_to_creators_only(client, creator, buyer):
    client.force_login(buyer)
    html = client.get("/").content.decode()
    assert STUDIO not in html and reverse("accounts:become_creator") in html
    client.force_login(creator.user)
    assert STUDIO in client.get("/").content.decode()


# --- submitting ------------------------------------------------------------------------------------


def test_it_queues_a_job_after_the_commit_and_shows_it(
    studio_client, creator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = studio_client.post(
            STUDIO,
            {
                "prompt": PROMPT,
                "duration": "0:06",
                "bpm": "84",
                "key": "D",
                "mode": "minor",
                "energy": "low",
                "instruments": ["piano", "strings"],
                "hits": "2.5, 4",
                "variations": "2",
                "seed": "7",
            },
        )

    job = GenerationJob.objects.get()
    assert response.status_code == 302 and response.url == f"{STUDIO}#job-{job.pk}"
    assert len(callbacks) == 1  # handed to a worker once the job is committed
    assert job.status == GenerationJob.Status.QUEUED and job.variations == 2 and job.seed == 7
    assert job.parameters == {
        "duration": 6.0,
        "bpm": 84,
        "key": "D",
        "mode": "minor",
        "energy": "low",
        "instruments": ["piano", "strings"],
        "hits": [2.5, 4.0],
    }
    html = studio_client.get(STUDIO).content.decode()
    assert f'id="job-{job.pk}"' in html and "Waiting for a worker" in html and "Cancel" in html


def test_a_finished_job_shows_each_take_with_a_player(studio_client, creator):
    job = _job(creator, variations=2)
    services.job_run(job_id=job.pk)

    html = studio_client.get(STUDIO).content.decode()

    tracks = Track.objects.filter(creator=creator)
    assert tracks.count() == 2
    for track in tracks:
        assert reverse("generation:draft", args=[track.slug]) in html
        assert track.preview.url in html and track.peaks.url in html
    assert html.count("data-play") == 2 and "Succeeded" in html


def test_the_script_gets_the_new_job_as_json(studio_client, creator):
    response = studio_client.post(
        STUDIO, {"prompt": PROMPT, "duration": "5", "variations": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 201
    data = response.json()
    job = GenerationJob.objects.get()
    assert data["job"] == str(job.pk) and f'data-job="{job.pk}"' in data["html"]
    assert data["message"] == "Queued 1 take. It appears below as it renders."
    # The allowance card follows without a reload.
    assert data["quota"]["active"] == 1 and data["quota"]["seconds"] == 5


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"prompt": ""}, "prompt"),
        ({"prompt": "x" * 501}, "prompt"),
        ({"bpm": "500"}, "bpm"),
        ({"bpm": "fast"}, "bpm"),
        ({"duration": "2"}, "duration"),
        ({"duration": "long"}, "duration"),
        ({"key": "H"}, "key"),
        ({"instruments": ["kazoo"]}, "instruments"),
        ({"hits": "3, soon"}, "hits"),
        ({"hits": "0.2"}, "hits"),
        ({"variations": "9"}, "variations"),
        ({"seed": "-1"}, "seed"),
        ({"prompt": "a waltz in 7/8"}, "prompt"),
    ],
)
def test_bad_input_is_named_beside_its_field_and_queues_nothing(studio_client, data, field):
    response = studio_client.post(STUDIO, {"prompt": PROMPT, "duration": "6", "variations": "1", **data})

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode() or (
        field == "instruments" and 'id="instruments-error"' in response.content.decode()
    )
    assert not GenerationJob.objects.exists()


def test_bad_input_comes_back_to_the_script_with_the_form(studio_client):
    response = studio_client.post(
        STUDIO, {"prompt": PROMPT, "bpm": "500", "variations": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    data = response.json()
    assert list(data["errors"]) == ["bpm"] and 'id="id_bpm_error"' in data["form"]


def test_over_the_quota_it_says_so_at_the_top_and_queues_nothing(studio_client, creator, settings):
    settings.GENERATION_MAX_ACTIVE_JOBS = 1
    _job(creator)

    response = studio_client.post(STUDIO, {"prompt": PROMPT, "duration": "5", "variations": "1"})

    assert response.status_code == 429
    html = response.content.decode()
    assert 'id="quota-error"' in html and "may have 1 at once" in html
    assert GenerationJob.objects.count() == 1


def test_over_the_daily_seconds_it_says_how_many_are_left(studio_client, settings):
    settings.GENERATION_DAILY_AUDIO_SECONDS = 20
    response = studio_client.post(STUDIO, {"prompt": PROMPT, "duration": "6", "variations": "4"})
    assert response.status_code == 429
    assert "20 s" in response.content.decode()
    assert not GenerationJob.objects.exists()


# --- prompt packs ----------------------------------------------------------------------------------


def _upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def test_a_text_pack_queues_one_job_per_line(studio_client, creator):
    pack = _upload("cues.txt", "calm piano, 6 seconds\n\n# a comment\ntense synth pulse, 6 seconds\n")
    response = studio_client.post(PACK, {"pack": pack})
    assert response.status_code == 302
    assert sorted(GenerationJob.objects.values_list("prompt", flat=True)) == [
        "calm piano, 6 seconds",
        "tense synth pulse, 6 seconds",
    ]


def test_a_csv_pack_carries_its_columns(studio_client, creator):
    pack = _upload("cues.csv", 'prompt,duration,bpm,key,variations\n"warm guitar",6,96,E minor,2\n')
    studio_client.post(PACK, {"pack": pack})
    job = GenerationJob.objects.get()
    assert job.variations == 2 and job.parameters["bpm"] == 96 and job.parameters["key"] == "E minor"


def test_a_bad_line_queues_nothing_and_names_the_line(studio_client):
    pack = _upload("cues.csv", "prompt,duration,bpm\ncalm piano,6,90\ntense pulse,6,999\n")
    response = studio_client.post(PACK, {"pack": pack})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_pack_error"' in html and "Line 3" in html
    assert not GenerationJob.objects.exists()


def test_a_pack_of_another_kind_is_refused(studio_client):
    response = studio_client.post(PACK, {"pack": _upload("cues.docx", "calm piano")})
    assert response.status_code == 400 and "id_pack_error" in response.content.decode()
    assert studio_client.post(PACK, {}).status_code == 400
    assert not GenerationJob.objects.exists()


def test_a_pack_over_the_quota_queues_none_of_its_lines(studio_client, settings):
    settings.GENERATION_MAX_ACTIVE_JOBS = 2
    pack = _upload("cues.txt", "calm piano, 5 s\ndark pulse, 5 s\nbright pop, 5 s\n")
    response = studio_client.post(PACK, {"pack": pack})
    assert response.status_code == 429 and 'id="quota-error"' in response.content.decode()
    assert not GenerationJob.objects.exists()


def test_the_example_pack_downloads(client, db):
    response = client.get(reverse("generation:example_pack"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("prompt,duration,bpm,key,variations")


# --- live state, cancel, retry ---------------------------------------------------------------------


def test_the_status_json_follows_a_job_to_its_end(studio_client, creator):
    job = _job(creator)
    url = f"{STATUS}?ids={job.pk}"

    answer = studio_client.get(url).json()
    queued = answer["jobs"][0]
    assert queued["status"] == "queued" and queued["active"] is True
    assert answer["quota"]["active"] == 1
    assert (
        queued["variations"][0]["label"] == "Waiting for a worker" and "html" not in queued["variations"][0]
    )

    services.job_run(job_id=job.pk)
    answer = studio_client.get(url).json()
    done = answer["jobs"][0]
    assert answer["quota"]["active"] == 0 and answer["quota"]["seconds"] == round(job.audio_seconds)
    assert done["status"] == "succeeded" and done["active"] is False and done["progress"] == 1.0
    assert "data-track" in done["variations"][0]["html"] and "data-play" in done["variations"][0]["html"]


def test_the_status_json_shows_only_your_own_jobs(client, creator, stranger):
    job = _job(creator)
    client.force_login(stranger)
    answer = client.get(f"{STATUS}?ids={job.pk}").json()
    assert answer["jobs"] == [] and answer["quota"]["active"] == 0


def test_the_status_json_refuses_bad_ids_and_visitors(client, studio_client):
    response = studio_client.get(f"{STATUS}?ids=not-a-job")
    assert response.status_code == 400 and response.json()["field"] == "ids"
    client.logout()
    assert client.get(f"{STATUS}?ids=").status_code == 401


def test_a_creator_cancels_a_queued_job(studio_client, creator):
    job = _job(creator)
    response = studio_client.post(reverse("generation:job_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert response.status_code == 302 and job.status == GenerationJob.Status.CANCELLED
    assert "Retry" in studio_client.get(STUDIO).content.decode()


def test_a_failed_job_shows_its_error_and_retries(studio_client, creator, django_capture_on_commit_callbacks):
    job = _job(creator)
    GenerationJob.objects.filter(pk=job.pk).update(parameters={"duration": 5, "bpm": 999})
    services.job_run(job_id=job.pk)
    html = studio_client.get(STUDIO).content.decode()
    assert "Failed:" in html and "Tempo must be between" in html

    GenerationJob.objects.filter(pk=job.pk).update(parameters={"duration": 5})
    with django_capture_on_commit_callbacks() as callbacks:
        response = studio_client.post(
            reverse("generation:job_retry", args=[job.pk]), HTTP_ACCEPT="application/json"
        )
    job.refresh_from_db()
    assert response.status_code == 200 and job.status == GenerationJob.Status.QUEUED and len(callbacks) == 1
    assert "Cancel" in response.json()["html"]
    assert set(job.variation_set.values_list("status", flat=True)) == {JobVariation.Status.PENDING}


def test_retrying_a_running_job_is_refused(studio_client, creator):
    job = _job(creator)
    response = studio_client.post(reverse("generation:job_retry", args=[job.pk]), follow=True)
    assert "Only a failed or cancelled job can be retried." in response.content.decode()
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.QUEUED


def test_a_stranger_cannot_cancel_anothers_job(client, creator, stranger):
    job = _job(creator)
    client.force_login(stranger)
    assert client.post(reverse("generation:job_cancel", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.QUEUED


def test_the_status_json_is_plain_json(studio_client, creator):
    job = _job(creator)
    response = studio_client.get(f"{STATUS}?ids={job.pk}")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["jobs"][0]["id"] == str(job.pk)
