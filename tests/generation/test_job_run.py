"""A job renders its variations into draft tracks, once, however often it is delivered."""

from __future__ import annotations

import pytest

from catalog.models import Track
from generation import services
from generation.models import GenerationJob, JobVariation

PROMPT = "calm piano, slow and reflective"


@pytest.fixture
def job(creator):
    return services.job_submit(
        owner=creator.user,
        creator=creator,
        prompt=PROMPT,
        params={"duration": 5},
        variations=2,
        seed=11,
        enqueue=False,
    )


@pytest.mark.django_db
def test_it_makes_one_draft_track_per_variation(job, creator):
    outcome = services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert outcome.status == job.status == GenerationJob.Status.SUCCEEDED
    assert job.progress == 1.0 and job.stage == "done" and job.attempts == 1
    tracks = Track.objects.filter(creator=creator).order_by("title")
    assert [t.title for t in tracks] == [
        "Calm Piano Slow And Reflective (take 1)",
        "Calm Piano Slow And Reflective (take 2)",
    ]
    assert {t.status for t in tracks} == {Track.Status.DRAFT}
    assert {t.disclosure_label for t in tracks} == {Track.Disclosure.AI_GENERATED}
    assert sorted(t.provenance.seed for t in tracks) == [11, 12]
    assert all(v.track_id and v.status == JobVariation.Status.DONE for v in job.variation_set.all())


@pytest.mark.django_db
def test_it_does_nothing_when_delivered_again_after_finishing(job, creator):
    services.job_run(job_id=job.pk)
    again = services.job_run(job_id=job.pk)

    assert again.status == GenerationJob.Status.SUCCEEDED
    assert Track.objects.filter(creator=creator).count() == 2


@pytest.mark.django_db
def test_it_waits_while_another_worker_holds_the_job(job):
    first, _ = services._claim(job.pk, "other-worker")
    assert first is not None

    outcome = services.job_run(job_id=job.pk)

    assert outcome.status == "busy" and 0 < outcome.retry_in <= 31


@pytest.mark.django_db
def test_it_takes_over_a_job_whose_worker_died(job, creator):
    # The first worker stored variation 0 and died: its lease lapsed without a finished job.
    services._claim(job.pk, "dead-worker")
    GenerationJob.objects.filter(pk=job.pk).update(lease_expires_at=None)

    outcome = services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert outcome.status == GenerationJob.Status.SUCCEEDED
    assert job.attempts == 2
    assert Track.objects.filter(creator=creator).count() == 2


@pytest.mark.django_db
def test_it_keeps_a_track_stored_before_the_worker_died(job, creator, engine_outputs):
    """The worker stored a variation's track but died before noting it on the variation: the re-run
    finds the track under the variation's key instead of making a second one."""
    from catalog import services as catalog_services

    variation = job.variation_set.get(index=0)
    stored = catalog_services.track_create_from_output(
        creator=creator, out_dir=engine_outputs["piano"], source_key=variation.source_key
    )

    services.job_run(job_id=job.pk)

    variation.refresh_from_db()
    assert variation.track_id == stored.pk
    assert Track.objects.filter(creator=creator).count() == 2


@pytest.mark.django_db
def test_it_records_a_failure_with_its_code(creator):
    job = services.job_submit(
        owner=creator.user, creator=creator, prompt=PROMPT, params={"duration": 5}, enqueue=False
    )
    # A setting changed between submit and run: the brief no longer resolves.
    GenerationJob.objects.filter(pk=job.pk).update(parameters={"duration": 5, "bpm": 999})

    outcome = services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert outcome.status == job.status == GenerationJob.Status.FAILED
    assert job.error_code == "bad_parameters"
    assert "bpm" in job.error_message.lower() or "tempo" in job.error_message.lower()
    assert set(job.variation_set.values_list("status", flat=True)) == {JobVariation.Status.FAILED}
