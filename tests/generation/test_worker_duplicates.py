"""A job delivered twice to real workers, one after the other or at the same time, makes its tracks once."""

from __future__ import annotations

import pytest

from catalog.models import Track
from generation import services
from generation.models import GenerationJob
from tests.generation.worker import Live, storage_problems

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live(transactional_db, tmp_path):
    with Live(tmp_path) as live:
        yield live


@pytest.fixture
def creator(live, creator):
    # Made after `live`, so in the database the worker shares.
    return creator


@pytest.fixture
def job(creator):
    return services.job_submit(
        owner=creator.user,
        creator=creator,
        prompt="lofi hip hop beat with dusty keys",
        params={"duration": 5},
        variations=2,
        seed=31,
        enqueue=False,
    )


def _assert_made_once(job: GenerationJob, creator) -> None:
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED
    tracks = Track.objects.filter(creator=creator)
    assert tracks.count() == 2
    assert sorted(t.source_key for t in tracks) == [f"job:{job.pk}:0", f"job:{job.pk}:1"]
    assert storage_problems() == []


def test_it_makes_the_tracks_once_when_a_job_is_delivered_twice_in_a_row(live, job, creator):
    worker = live.worker(concurrency=1)

    first, second = live.send(job), live.send(job)

    assert worker.wait_for_task(first, timeout=240) == "succeeded"
    # The second delivery finds the job finished and leaves it alone.
    assert worker.wait_for_task(second, timeout=120) == "succeeded"
    _assert_made_once(job, creator)
    job.refresh_from_db()
    assert job.attempts == 1
    assert live.work_dir_contents() == []


def test_it_makes_the_tracks_once_when_two_deliveries_run_at_the_same_time(live, job, creator):
    # Two pool processes take the two messages at once; the one that does not hold the job's lease
    # retries until the lease's holder has finished, then finds nothing to do.
    worker = live.worker(concurrency=2, lease_seconds=10)

    first, second = live.send(job), live.send(job)

    outcomes = [worker.wait_for_task(task, timeout=300) for task in (first, second)]
    assert outcomes == ["succeeded", "succeeded"]
    assert worker.retried() & {first, second}, "one delivery should have waited for the other's lease"
    _assert_made_once(job, creator)
    job.refresh_from_db()
    assert job.attempts == 1  # the waiting delivery never took the job over
    assert live.work_dir_contents() == []
