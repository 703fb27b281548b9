"""A job run by a real Celery worker process over the configured broker (Redis in CI, the file broker
by default): queued, running through its stages, succeeded, its drafts and files in storage."""

from __future__ import annotations

import pytest

from catalog.models import Track
from generation import services
from generation.models import GenerationJob, JobVariation
from tests.generation.worker import Live, storage_problems, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

WORKING_STAGES = {"prompt", "compose", "render", "master", "export"}


@pytest.fixture
def live(transactional_db, tmp_path):
    with Live(tmp_path) as live:
        yield live


@pytest.fixture
def creator(live, creator):
    # Made after `live`, so in the database the worker shares.
    return creator


def _watch(job: GenerationJob, timeout: float) -> tuple[list[str], set[str]]:
    """Statuses in the order seen, and every stage seen, until the job is no longer active."""
    statuses: list[str] = []
    stages: set[str] = set()

    def finished() -> bool:
        status, stage = GenerationJob.objects.filter(pk=job.pk).values_list("status", "stage").get()
        if not statuses or statuses[-1] != status:
            statuses.append(status)
        stages.add(stage)
        return status not in GenerationJob.ACTIVE

    wait_until(finished, timeout, "the job to finish")
    return statuses, stages


def test_it_runs_a_job_from_queued_to_succeeded(live, creator):
    worker = live.worker()
    job = services.job_submit(
        owner=creator.user,
        creator=creator,
        prompt="calm piano, slow and reflective",
        params={"duration": 5},
        variations=2,
        seed=21,
        enqueue=False,
    )
    task_id = live.send(job)

    statuses, stages = _watch(job, timeout=180)

    assert statuses == ["queued", "running", "succeeded"], worker.tail()
    assert len(stages & WORKING_STAGES) >= 2, stages
    assert worker.wait_for_task(task_id) == "succeeded"
    job.refresh_from_db()
    assert (job.stage, job.progress, job.attempts) == ("done", 1.0, 1)
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    tracks = Track.objects.filter(creator=creator)
    assert tracks.count() == 2
    assert {t.status for t in tracks} == {Track.Status.DRAFT}
    assert sorted(t.provenance.seed for t in tracks) == [21, 22]
    variations = list(job.variation_set.order_by("index"))
    assert [v.status for v in variations] == [JobVariation.Status.DONE] * 2
    assert {v.track_id for v in variations} == {t.pk for t in tracks}
    assert all(t.assets.count() > 0 and t.preview for t in tracks)
    assert storage_problems() == []
    assert live.work_dir_contents() == []


def test_it_records_a_failed_job_with_its_error(live, creator):
    worker = live.worker()
    job = services.job_submit(
        owner=creator.user, creator=creator, prompt="calm piano", params={"duration": 5}, enqueue=False
    )
    # The parameters stopped resolving between submit and run (an older job, a stricter engine).
    GenerationJob.objects.filter(pk=job.pk).update(parameters={"duration": 5, "bpm": 999})

    assert worker.wait_for_task(live.send(job)) == "failed"

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.FAILED
    assert job.error_code == "bad_parameters" and job.error_message
    assert not Track.objects.exists()
    assert live.work_dir_contents() == []
