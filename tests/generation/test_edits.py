"""Custom edits: a published engine-made track re-rendered at another length for one buyer."""

from __future__ import annotations

import json

import pytest
import soundfile

from catalog.models import Track, TrackEdit
from catalog.storage import private_storage
from generation import services
from generation.errors import GenerationError
from generation.models import GenerationJob


@pytest.mark.django_db
def test_it_renders_the_same_brief_and_seed_at_the_asked_length(make_track, buyer):
    track = make_track("heist")

    job = services.edit_submit(owner=buyer, track=track, duration=12, hits=[4.5, 9], enqueue=False)
    outcome = services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert outcome.status == job.status == GenerationJob.Status.SUCCEEDED
    edit = TrackEdit.objects.get()
    assert edit.track == track and edit.requested_by == buyer
    assert edit.duration == pytest.approx(12, abs=0.01)
    assert edit.hits == [4.5, 9.0] and edit.seed == track.provenance.seed
    brief = edit.manifest["brief"]
    parent = track.provenance.parameters["brief"]
    assert {k: brief[k] for k in ("genre", "bpm", "key", "mode", "moods")} == {
        k: parent[k] for k in ("genre", "bpm", "key", "mode", "moods")
    }
    with private_storage().open(edit.master.name) as fh:
        assert soundfile.info(fh).duration == pytest.approx(12, abs=0.01)
    assert edit.preview.name.startswith("edits/") and edit.preview.size > 0
    assert json.loads(edit.peaks.read())["peaks"]
    # An edit is not a catalog track.
    assert Track.objects.count() == 1


@pytest.mark.django_db
def test_a_second_delivery_makes_no_second_edit(make_track, buyer):
    job = services.edit_submit(owner=buyer, track=make_track("heist"), duration=6, enqueue=False)
    services.job_run(job_id=job.pk)
    GenerationJob.objects.filter(pk=job.pk).update(status=GenerationJob.Status.RUNNING, lease_expires_at=None)

    services.job_run(job_id=job.pk)

    assert TrackEdit.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("duration", "hits", "field"),
    [
        (4, [], "duration"),
        (601, [], "duration"),
        ("30", [], "duration"),
        (True, [], "duration"),
        (30, [0.5], "hits"),
        (30, [29.5], "hits"),
        (30, "12", "hits"),
        (30, [1.0] * 33, "hits"),
    ],
)
def test_it_refuses_bad_lengths_and_hits(make_track, buyer, duration, hits, field):
    track = make_track("heist")

    with pytest.raises(GenerationError) as refused:
        services.edit_submit(owner=buyer, track=track, duration=duration, hits=hits)

    assert refused.value.field == field
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_only_published_engine_tracks_can_be_edited(make_track, buyer):
    draft = make_track("heist", publish=False)
    with pytest.raises(GenerationError, match="on sale"):
        services.edit_submit(owner=buyer, track=draft, duration=30)

    published = make_track("piano")
    published.provenance.__class__.objects.filter(pk=published.provenance.pk).update(engine="another-tool")
    published.refresh_from_db()
    with pytest.raises(GenerationError, match="the engine made") as refused:
        services.edit_submit(owner=buyer, track=published, duration=30)
    assert refused.value.field == "track"
    assert not GenerationJob.objects.exists()
