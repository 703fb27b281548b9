"""Cancelling stops a job at its next stage; retrying re-queues a failed one without redoing its tracks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Track
from generation import services
from generation.errors import JobStateError
from generation.models import GenerationJob, JobVariation


@pytest.fixture
def job(creator):
    return services.job_submit(
        owner=creator.user,
        creator=creator,
        prompt="calm piano",
        params={"duration": 5},
        variations=2,
        enqueue=False,
    )


@pytest.mark.django_db
def test_a_cancelled_queued_job_is_never_rendered(job, creator):
    services.job_cancel(job=job)

    outcome = services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert outcome.status == job.status == GenerationJob.Status.CANCELLED
    assert job.attempts == 0 and job.finished_at
    assert not Track.objects.filter(creator=creator).exists()
    assert set(job.variation_set.values_list("status", flat=True)) == {JobVariation.Status.CANCELLED}


@pytest.mark.django_db
def test_a_running_job_stops_at_its_next_stage_when_cancelled(job, creator, monkeypatch):
    """The cancel arrives while the first variation renders (here: when it reports its mastering)."""
    from generation.engine import procedural

    real_master = procedural.master
    cancelled = []

    def master_then_cancel(*args, **kwargs):
        if not cancelled:
            services.job_cancel(job=job)
            cancelled.append(True)
        return real_master(*args, **kwargs)

    monkeypatch.setattr(procedural, "master", master_then_cancel)  # the engine's, not ours: a user's click

    outcome = services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert outcome.status == job.status == GenerationJob.Status.CANCELLED
    assert not Track.objects.filter(creator=creator).exists()


def _left_behind(job, work_dir):
    """A temporary folder as a worker killed mid-render leaves it."""
    stale = work_dir / f"job-{job.pk}-dead"
    (stale / "out").mkdir(parents=True)
    (stale / "out" / "mix.wav").write_bytes(b"RIFF")
    return stale


@pytest.mark.django_db
def test_cancelling_a_job_whose_worker_died_clears_what_it_left(
    job, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.GENERATION_WORK_DIR = tmp_path
    stale = _left_behind(job, tmp_path)
    other = tmp_path / "job-someone-else-1"
    other.mkdir()
    GenerationJob.objects.filter(pk=job.pk).update(
        status=GenerationJob.Status.RUNNING,
        lease_token="gone",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.job_cancel(job=job)

    assert not stale.exists()
    assert other.exists()


@pytest.mark.django_db
def test_cancelling_a_job_a_live_worker_renders_leaves_its_folder_to_it(
    job, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.GENERATION_WORK_DIR = tmp_path
    live = _left_behind(job, tmp_path)
    GenerationJob.objects.filter(pk=job.pk).update(
        status=GenerationJob.Status.RUNNING,
        lease_token="alive",
        lease_expires_at=timezone.now() + timedelta(seconds=30),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.job_cancel(job=job)

    assert live.exists()


@pytest.mark.django_db
def test_a_finished_job_cannot_be_cancelled(job):
    services.job_run(job_id=job.pk)

    with pytest.raises(JobStateError) as refused:
        services.job_cancel(job=job)

    assert refused.value.field == "status"


@pytest.mark.django_db
def test_retry_requeues_a_failed_job_and_keeps_what_it_made(job, creator, django_capture_on_commit_callbacks):
    # Variation 0 was made; the job then failed.
    services._claim(job.pk, "w")
    first = job.variation_set.get(index=0)
    services._render(job, first, services._brief_for(job), "w", 0)
    services._finish(job, "w", GenerationJob.Status.FAILED, "engine_error", "out of memory")

    with django_capture_on_commit_callbacks() as callbacks:
        services.job_retry(job=job)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.QUEUED and job.error_code == "" and len(callbacks) == 1

    services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED
    assert Track.objects.filter(creator=creator).count() == 2
    first.refresh_from_db()
    assert Track.objects.filter(pk=first.track_id).exists()


@pytest.mark.django_db
def test_a_queued_job_cannot_be_retried(job):
    with pytest.raises(JobStateError):
        services.job_retry(job=job)
