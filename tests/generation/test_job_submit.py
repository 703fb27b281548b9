"""Submitting jobs: every parameter checked, the quota enforced, nothing queued on refusal."""

from __future__ import annotations

import pytest

from generation import services
from generation.errors import GenerationError, QuotaExceeded
from generation.models import GenerationJob, JobVariation


def submit(creator, **kwargs):
    kwargs.setdefault("prompt", "calm piano, slow and reflective")
    return services.job_submit(owner=creator.user, creator=creator, **kwargs)


@pytest.mark.django_db
def test_it_queues_the_job_after_the_transaction_commits(creator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = submit(creator, params={"duration": 30, "bpm": 92, "key": "D minor"}, variations=3, seed=40)

    assert len(callbacks) == 1
    assert job.status == GenerationJob.Status.QUEUED and job.stage == ""
    assert job.parameters == {"duration": 30.0, "bpm": 92, "key": "D minor"}
    assert job.audio_seconds == 90.0
    assert list(job.variation_set.values_list("index", "seed")) == [(0, 40), (1, 41), (2, 42)]


@pytest.mark.django_db
def test_it_picks_a_seed_and_the_default_length_when_none_is_given(creator):
    job = submit(creator, enqueue=False)

    assert 0 <= job.seed < 2**32
    assert job.parameters["duration"] == services.DEFAULT_DURATION_S


@pytest.mark.django_db
def test_the_last_seed_wraps_around(creator):
    job = submit(creator, variations=2, seed=2**32 - 1, enqueue=False)

    assert list(job.variation_set.values_list("seed", flat=True)) == [2**32 - 1, 0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"prompt": ""}, "prompt"),
        ({"prompt": "x" * 501}, "prompt"),
        ({"params": {"duration": 0}}, "duration"),
        ({"params": {"duration": 601}}, "duration"),
        ({"params": {"bpm": 500}}, "bpm"),
        ({"params": {"key": "H minor"}}, "key"),
        ({"params": {"energy": "loud"}}, "energy"),
        ({"params": {"duration": 20, "hits": [30]}}, "hits"),
        ({"params": {"instruments": ["kazoo"]}}, "instruments"),
        ({"params": {"colour": "blue"}}, "colour"),
        ({"variations": 0}, "variations"),
        ({"variations": 9}, "variations"),
        ({"variations": "2"}, "variations"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**32}, "seed"),
        ({"seed": 1.5}, "seed"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(creator, kwargs, field):
    with pytest.raises(GenerationError) as refused:
        submit(creator, **kwargs)

    assert refused.value.field == field
    assert refused.value.message
    assert not GenerationJob.objects.exists() and not JobVariation.objects.exists()


@pytest.mark.django_db
def test_only_the_creator_fills_their_library(creator, stranger):
    with pytest.raises(GenerationError):
        services.job_submit(owner=stranger, creator=creator, prompt="calm piano")

    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_it_refuses_more_active_jobs_than_the_quota(creator, settings, django_capture_on_commit_callbacks):
    settings.GENERATION_MAX_ACTIVE_JOBS = 2
    submit(creator, enqueue=False)
    submit(creator, enqueue=False)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(QuotaExceeded) as refused:
        submit(creator)

    assert refused.value.field == "quota"
    assert "2 jobs queued or running" in refused.value.message
    assert GenerationJob.objects.count() == 2 and callbacks == []


@pytest.mark.django_db
def test_finished_jobs_free_their_place(creator, settings):
    settings.GENERATION_MAX_ACTIVE_JOBS = 1
    job = submit(creator, enqueue=False)
    services.job_cancel(job=job)

    assert submit(creator, enqueue=False).status == GenerationJob.Status.QUEUED


@pytest.mark.django_db
def test_it_refuses_more_audio_per_day_than_the_quota(creator, settings):
    settings.GENERATION_DAILY_AUDIO_SECONDS = 100
    submit(creator, params={"duration": 30}, variations=2, enqueue=False)

    with pytest.raises(QuotaExceeded) as refused:
        submit(creator, params={"duration": 45}, enqueue=False)

    assert "40 s of your 100 s" in refused.value.message
    assert submit(creator, params={"duration": 40}, enqueue=False)


@pytest.mark.django_db
def test_a_batch_is_queued_whole_or_not_at_all(creator, settings):
    settings.GENERATION_MAX_ACTIVE_JOBS = 2
    requests = [services.JobRequest(prompt=p) for p in ("calm piano", "epic brass", "lofi beat")]

    with pytest.raises(QuotaExceeded) as refused:
        services.jobs_submit(owner=creator.user, creator=creator, requests=requests)

    assert "room for 2 more" in refused.value.message
    assert not GenerationJob.objects.exists()
