"""The library page: a creator's tracks by status, drafts first, with counts per status."""

from __future__ import annotations

import pytest
from django.urls import reverse

LIBRARY = reverse("generation:library")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shelf(make_track):
    return {
        "draft": make_track("heist", publish=False),
        "other_draft": make_track("piano", publish=False),
        "published": make_track("sunny"),
    }


def test_it_shows_drafts_by_default_with_counts_per_status(client, creator, shelf):
    client.force_login(creator.user)
    response = client.get(LIBRARY)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Night Vault" in html and "Quiet Letters" in html and "Open Road Morning" not in html
    assert 'aria-current="page">Draft <span class="tab-count">2</span>' in html
    assert 'Published <span class="tab-count">1</span>' in html
    assert reverse("generation:draft", args=[shelf["draft"].slug]) in html
    assert shelf["draft"].preview.url in html and html.count("data-play") == 2


def test_it_filters_by_status(client, creator, shelf):
    client.force_login(creator.user)
    html = client.get(LIBRARY, {"status": "published"}).content.decode()
    assert "Open Road Morning" in html and "Night Vault" not in html
    every = client.get(LIBRARY, {"status": "all"}).content.decode()
    assert all(title in every for title in ("Night Vault", "Quiet Letters", "Open Road Morning"))


def test_an_unknown_status_is_named(client, creator, shelf):
    client.force_login(creator.user)
    response = client.get(LIBRARY, {"status": "lost"})
    assert response.status_code == 400 and "There is no status “lost”" in response.content.decode()


def test_an_empty_library_points_to_the_studio(client, creator):
    client.force_login(creator.user)
    html = client.get(LIBRARY).content.decode()
    assert "No drafts right now." in html and reverse("generation:studio") in html


def test_it_lists_only_the_creators_own_tracks(client, creator, shelf, make_track):
    from accounts.models import CreatorProfile, User

    other = CreatorProfile.objects.create(
        user=User.objects.create_user("ines@example.com", "pass-for-tests-1"),
        display_name="Ines",
        slug="ines",
    )
    make_track("epic", publish=False, creator=other)
    client.force_login(other.user)
    html = client.get(LIBRARY).content.decode()
    assert "Banners Rise" in html and "Night Vault" not in html


def test_visitors_and_buyers_are_sent_elsewhere(client, buyer):
    assert reverse("accounts:login") in client.get(LIBRARY).url
    client.force_login(buyer)
    assert client.get(LIBRARY).url == reverse("accounts:become_creator")
