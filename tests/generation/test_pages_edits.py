"""Custom edits on a track's page: any signed-in user asks for the cue at another length, with hits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog import services as catalog_services
from catalog.models import TrackEdit
from generation import services
from generation.models import GenerationJob


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def heist(make_track):
    return make_track("heist")


def _page(track) -> str:
    return reverse("catalog:track", args=[track.slug])


def _edit(track) -> str:
    return reverse("generation:edit", args=[track.slug])


def test_the_panel_asks_visitors_to_log_in(client, heist):
    html = client.get(_page(heist)).content.decode()
    assert 'id="custom-edit"' in html and "Fit this cue to your video" in html
    assert "Log in to ask for an edit" in html and 'name="duration"' not in html


def test_the_panel_offers_a_buyer_the_form(client, buyer, heist):
    client.force_login(buyer)
    html = client.get(_page(heist)).content.decode()
    assert f'action="{_edit(heist)}"' in html and 'name="duration"' in html and 'name="hits"' in html
    assert "delivered with any license of this track" in html


def test_no_panel_on_a_track_the_engine_did_not_make(client, buyer, heist):
    from catalog.models import Provenance

    Provenance.objects.filter(track=heist).update(engine="someone-elses-daw")
    client.force_login(buyer)
    assert 'id="custom-edit"' not in client.get(_page(heist)).content.decode()
    assert client.post(_edit(heist), {"duration": "12"}).status_code == 404


def test_no_panel_on_a_draft(client, creator, make_track):
    draft = make_track("piano", publish=False)
    client.force_login(creator.user)
    assert 'id="custom-edit"' not in client.get(_page(draft)).content.decode()
    assert client.post(_edit(draft), {"duration": "12"}).status_code == 404


def test_a_buyer_asks_for_an_edit_and_auditions_its_preview(
    client, buyer, heist, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(_edit(heist), {"duration": "7", "hits": "2.5, 5"})
    job = GenerationJob.objects.get()
    assert response.status_code == 302 and response.url == f"{_page(heist)}#custom-edit"
    assert len(callbacks) == 1
    assert job.kind == GenerationJob.Kind.EDIT and job.owner == buyer and job.parent_track == heist
    assert job.parameters["duration"] == 7 and job.parameters["hits"] == [2.5, 5.0]
    html = client.get(_page(heist)).content.decode()
    assert f'data-job="{job.pk}"' in html and "Waiting for a worker" in html

    services.job_run(job_id=job.pk)

    edit = TrackEdit.objects.get()
    html = client.get(_page(heist)).content.decode()
    assert edit.preview.url in html and edit.peaks.url in html and "Watermarked preview" in html
    assert "Night Vault, 0:07 edit" in html and "Hits at 2.5, 5.0 s" in html


def test_each_buyer_sees_only_their_own_edits(client, buyer, stranger, heist):
    job = services.edit_submit(owner=buyer, track=heist, duration=7, enqueue=False)
    client.force_login(stranger)
    html = client.get(_page(heist)).content.decode()
    assert str(job.pk) not in html
    status = client.get(reverse("generation:jobs_status"), {"ids": str(job.pk)}).json()
    assert status["jobs"] == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"duration": ""}, "duration"),
        ({"duration": "4"}, "duration"),
        ({"duration": "601"}, "duration"),
        ({"duration": "soon"}, "duration"),
        ({"duration": "12", "hits": "3, later"}, "hits"),
        ({"duration": "12", "hits": "11.5"}, "hits"),
    ],
)
def test_bad_input_is_named_and_queues_nothing(client, buyer, heist, data, field):
    client.force_login(buyer)
    response = client.post(_edit(heist), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not GenerationJob.objects.exists()


def test_over_the_quota_it_says_so_and_queues_nothing(client, buyer, heist, settings):
    settings.GENERATION_DAILY_AUDIO_SECONDS = 10
    client.force_login(buyer)
    response = client.post(_edit(heist), {"duration": "12"})
    assert response.status_code == 429 and "Over your allowance" in response.content.decode()
    assert not GenerationJob.objects.exists()


def test_a_visitor_posting_is_sent_to_log_in(client, heist):
    response = client.post(_edit(heist), {"duration": "12"})
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not GenerationJob.objects.exists()


def test_the_edit_form_page_stands_alone(client, buyer, heist):
    client.force_login(buyer)
    html = client.get(_edit(heist)).content.decode()
    assert "Fit “Night Vault” to your video" in html and 'name="duration"' in html


def test_a_buyer_cancels_an_edit_from_the_track_page(client, buyer, heist):
    job = services.edit_submit(owner=buyer, track=heist, duration=7, enqueue=False)
    client.force_login(buyer)
    response = client.post(reverse("generation:job_cancel", args=[job.pk]))
    assert response.url == f"{_page(heist)}#custom-edit"
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.CANCELLED


def test_a_track_withdrawn_after_the_panel_loaded_is_refused(client, buyer, heist):
    client.force_login(buyer)
    catalog_services.track_sell_exclusive(track=heist)
    assert client.post(_edit(heist), {"duration": "12"}).status_code == 404
    assert not GenerationJob.objects.exists()
