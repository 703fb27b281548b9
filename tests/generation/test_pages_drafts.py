"""A draft's page: its creator edits its words, submits it, and asks for more like it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Track
from generation.models import GenerationJob


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft(make_track):
    return make_track("heist", publish=False)


def _url(name: str, track: Track) -> str:
    return reverse(f"generation:{name}", args=[track.slug])


def test_the_creator_sees_the_draft_with_its_label_fixed(client, creator, draft):
    client.force_login(creator.user)
    html = client.get(_url("draft", draft)).content.decode()
    assert "Night Vault" in html and 'name="title"' in html and 'value="tense"' in html
    assert "badge-ai_generated" in html and "always labelled AI-generated" in html
    assert 'name="disclosure_label"' not in html
    assert f'href="/licenses/prices/{draft.slug}/"' in html
    assert "More like this" in html and "Regenerate" in html and "Submit for review" in html


def test_the_creator_edits_title_description_and_moods(client, creator, draft):
    client.force_login(creator.user)
    response = client.post(
        _url("draft", draft),
        {"title": "Vault Run", "description": "Safe-cracking pulse.", "moods": ["tense", "dark"]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.description, draft.moods) == (
        "Vault Run",
        "Safe-cracking pulse.",
        ["tense", "dark"],
    )


def test_the_disclosure_label_cannot_be_changed_by_tampering(client, creator, draft):
    client.force_login(creator.user)
    client.post(
        _url("draft", draft), {"title": "Vault Run", "disclosure_label": "human_made", "status": "published"}
    )
    draft.refresh_from_db()
    assert draft.title == "Vault Run"
    assert draft.disclosure_label == Track.Disclosure.AI_GENERATED and draft.status == Track.Status.DRAFT


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"title": "Ok", "moods": ["grumpy"]}, "moods"),
    ],
)
def test_bad_words_are_named_and_nothing_changes(client, creator, draft, data, field):
    client.force_login(creator.user)
    response = client.post(_url("draft", draft), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html or (field == "moods" and 'id="moods-error"' in html)
    draft.refresh_from_db()
    assert draft.title == "Night Vault"


def test_a_stranger_and_another_creator_get_404(client, stranger, draft, db):
    from accounts.models import CreatorProfile, User

    for user in (
        stranger,
        CreatorProfile.objects.create(
            user=User.objects.create_user("ines@example.com", "pass-for-tests-1"),
            display_name="I",
            slug="ines",
        ).user,
    ):
        client.force_login(user)
        assert client.get(_url("draft", draft)).status_code == 404
        assert client.post(_url("draft", draft), {"title": "Mine"}).status_code == 404
        assert client.post(_url("draft_submit", draft)).status_code == 404
        assert client.post(_url("draft_more", draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Night Vault" and draft.status == Track.Status.DRAFT
    assert not GenerationJob.objects.exists()


def test_a_visitor_is_sent_to_log_in(client, draft):
    assert reverse("accounts:login") in client.get(_url("draft", draft)).url


def test_submitting_puts_it_in_review_and_says_so(client, creator, draft):
    client.force_login(creator.user)
    response = client.post(_url("draft_submit", draft), follow=True)
    draft.refresh_from_db()
    assert draft.status == Track.Status.IN_REVIEW
    html = response.content.decode()
    assert "Submitted for review." in html and "Waiting for a reviewer" in html
    assert "can no longer be edited" in html and 'name="title"' not in html


def test_submitting_twice_is_refused_politely(client, creator, make_track):
    published = make_track("sunny")
    client.force_login(creator.user)
    response = client.post(_url("draft_submit", published), follow=True)
    assert "Only a draft can be submitted." in response.content.decode()


def test_more_like_this_queues_four_takes_and_shows_them_in_the_studio(client, creator, draft):
    client.force_login(creator.user)
    response = client.post(_url("draft_more", draft))
    job = GenerationJob.objects.get()
    assert response.status_code == 302 and response.url == f"{reverse('generation:studio')}#job-{job.pk}"
    assert job.variations == 4 and job.prompt == draft.provenance.prompt
    assert f'id="job-{job.pk}"' in client.get(reverse("generation:studio")).content.decode()


def test_regenerate_queues_one_take_with_a_new_seed(client, creator, draft):
    client.force_login(creator.user)
    client.post(_url("draft_regenerate", draft))
    job = GenerationJob.objects.get()
    assert job.variations == 1 and job.title == draft.title


def test_more_like_this_over_the_quota_says_so(client, creator, draft, settings):
    settings.GENERATION_MAX_ACTIVE_JOBS = 1
    client.force_login(creator.user)
    client.post(_url("draft_regenerate", draft))
    response = client.post(_url("draft_more", draft), follow=True)
    assert "may have 1 at once" in response.content.decode()
    assert GenerationJob.objects.count() == 1
