"""The track page: player, facts, deliverables, provenance, similar tracks; drafts stay private."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def _url(track) -> str:
    return reverse("catalog:track", args=[track.slug])


@pytest.fixture
def heist(make_track):
    return make_track("heist", description="Pulsing bass for a vault break-in.")


def test_it_renders_for_anyone_with_player_and_facts(client, heist):
    response = client.get(_url(heist))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="track-title">Night Vault</h1>' in html
    assert heist.preview.url in html and heist.peaks.url in html and heist.cover.url in html
    assert "Pulsing bass for a vault break-in." in html
    for fact in (f"{heist.bpm} BPM", f"{heist.key} {heist.mode}", "0:08", "Synth bass"):
        assert fact in html


def test_it_lists_what_a_license_delivers_without_linking_any_file(client, heist):
    html = client.get(_url(heist)).content.decode()
    assert "What a license delivers" in html
    assert "Master WAV" in html
    stems = heist.assets.filter(kind="stem").count()
    assert f"{stems} stems" in html
    assert "Seamless loop" in html and "MIDI" in html
    assert "/private" not in html
    assert f"tracks/{heist.slug}/mix.wav" not in html
    assert not re.search(r"href=\"[^\"]*\.(wav|mid)\"", html)


def test_it_shows_provenance_and_the_disclosure_label(client, heist):
    html = client.get(_url(heist)).content.decode()
    provenance = heist.provenance
    assert "How it was made" in html
    assert f"{provenance.engine} {provenance.engine_version}" in html
    assert provenance.prompt in html
    assert str(provenance.seed) in html
    assert "Review status" in html and "Published" in html
    assert "AI-generated" in html


def test_it_shows_the_creator(client, heist):
    html = client.get(_url(heist)).content.decode()
    assert reverse("catalog:creator", args=["nadia-okafor"]) in html
    assert "Nadia Okafor" in html


def test_similar_tracks_appear_as_rows_with_players(client, heist, make_track):
    other = make_track("piano")
    response = client.get(_url(heist))
    assert [t.slug for t in response.context["similar"]] == [other.slug]
    html = response.content.decode()
    assert "Similar tracks" in html
    assert other.preview.url in html


def test_a_draft_is_404_for_strangers_and_visitors(client, make_track, stranger):
    draft = make_track("epic", publish=False)
    assert client.get(_url(draft)).status_code == 404
    client.force_login(stranger)
    assert client.get(_url(draft)).status_code == 404


def test_a_draft_is_visible_to_its_creator_with_a_notice(client, make_track, creator):
    draft = make_track("epic", publish=False)
    client.force_login(creator.user)
    response = client.get(_url(draft))
    assert response.status_code == 200
    assert "Only you can see this page" in response.content.decode()


def test_an_unknown_slug_is_a_404_page_of_the_site(client, db):
    response = client.get(reverse("catalog:track", args=["no-such-track"]))
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_a_signed_in_buyer_sees_favourite_and_collection_forms(client, buyer, heist):
    client.force_login(buyer)
    html = client.get(_url(heist)).content.decode()
    assert reverse("catalog:favorite", args=[heist.slug]) in html
    assert reverse("catalog:collect", args=[heist.slug]) in html
    assert "Start a new collection" in html


def test_the_creator_page_lists_published_tracks(client, heist, make_track, creator):
    make_track("epic", publish=False, title="Secret Draft")
    response = client.get(reverse("catalog:creator", args=[creator.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nadia Okafor" in html and "Cues." in html
    assert "1 published track" in html
    assert "Night Vault" in html
    assert "Secret Draft" not in html


def test_the_creator_page_is_paginated(client, settings, make_track, creator):
    settings.SEARCH_PAGE_SIZE = 1
    make_track("heist")
    make_track("piano")
    url = reverse("catalog:creator", args=[creator.slug])
    assert "Page 1 of 2" in client.get(url).content.decode()
    assert client.get(url, {"page": 2}).status_code == 200
    assert client.get(url, {"page": 3}).status_code == 404


def test_an_unknown_creator_is_404(client, db):
    assert client.get(reverse("catalog:creator", args=["nobody"])).status_code == 404
