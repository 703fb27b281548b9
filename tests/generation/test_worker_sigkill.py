"""A real worker's pool process killed mid-render: the message comes back (acks_late and
reject_on_worker_lost), waits for the dead process's lease to lapse, and the job completes once.
And a job cancelled while a real worker renders it stops at the next stage."""

from __future__ import annotations

import os
import signal

import pytest

from catalog.models import Track
from generation import services
from generation.models import GenerationJob, JobVariation
from tests.generation.worker import Live, storage_problems, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

# Long enough that rendering and mastering one variation take a second or more to catch.
LONG_S = 40
LEASE_S = 6


@pytest.fixture
def live(transactional_db, tmp_path):
    with Live(tmp_path) as live:
        yield live


@pytest.fixture
def creator(live, creator):
    # Made after `live`, so in the database the worker shares.
    return creator


def _submit(creator, variations: int) -> GenerationJob:
    return services.job_submit(
        owner=creator.user,
        creator=creator,
        prompt="driving synthwave for a night drive",
        params={"duration": LONG_S},
        variations=variations,
        seed=41,
        enqueue=False,
    )


def _rendering(job: GenerationJob, index: int) -> bool:
    """Variation `index` is being rendered or mastered: its output exists only in the work folder."""
    return JobVariation.objects.filter(job=job, index=index, stage__in=("render", "master")).exists()


def test_it_completes_a_job_once_after_its_worker_process_was_killed(live, creator):
    worker = live.worker(concurrency=1, lease_seconds=LEASE_S)
    job = _submit(creator, variations=2)
    task_id = live.send(job)
    wait_until(lambda: _rendering(job, 1), 240, "the second variation to render", worker)
    first_track = JobVariation.objects.get(job=job, index=0).track_id
    assert first_track is not None
    [pool_process] = worker.pool_processes()

    os.kill(pool_process, signal.SIGKILL)

    # The worker replaces its pool process and the message is delivered again.
    wait_until(lambda: pool_process not in worker.pool_processes(), 30, "the pool process to go", worker)
    # Delivered again while the dead process's lease still runs, it waits (a task retry) for the lease
    # to lapse; delivered later, it takes over at once. Either way it is the job's second attempt.
    assert worker.wait_for_task(task_id, timeout=300) == "succeeded"
    assert "WorkerLostError" in worker.log()
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED
    assert job.attempts == 2
    variations = list(job.variation_set.order_by("index"))
    assert [v.status for v in variations] == [JobVariation.Status.DONE] * 2
    assert variations[0].track_id == first_track  # stored before the kill, not made again
    assert Track.objects.filter(creator=creator).count() == 2
    assert storage_problems() == []
    # The killed process never cleaned its temporary folder; the attempt that took over did.
    assert live.work_dir_contents() == []


def test_it_stops_a_job_cancelled_while_a_worker_renders_it(live, creator):
    worker = live.worker(concurrency=1)
    job = _submit(creator, variations=3)
    task_id = live.send(job)
    wait_until(lambda: _rendering(job, 1), 240, "the second variation to render", worker)

    services.job_cancel(job=job)

    assert worker.wait_for_task(task_id, timeout=120) == "cancelled"
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.CANCELLED
    statuses = list(job.variation_set.order_by("index").values_list("status", flat=True))
    assert statuses == [
        JobVariation.Status.DONE,
        JobVariation.Status.CANCELLED,
        JobVariation.Status.CANCELLED,
    ]
    # The take made before the cancel stays; the worker stored nothing after it.
    assert Track.objects.filter(creator=creator).count() == 1
    assert storage_problems() == []
    assert live.work_dir_contents() == []
