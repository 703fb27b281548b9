"""Collections and favourites on the pages: owners write through POST forms; privacy holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Collection, CollectionItem, Favorite

COLLECTIONS = reverse("catalog:collections")


@pytest.fixture
def heist(make_track):
    return make_track("heist")


@pytest.fixture
def shortlist(buyer, heist):
    collection = Collection.objects.create(owner=buyer, name="Heist film")
    CollectionItem.objects.create(collection=collection, track=heist)
    return collection


def test_collections_need_a_login(client, db):
    response = client.get(COLLECTIONS)
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_a_buyer_sees_their_collections_and_favourites(client, buyer, shortlist):
    client.force_login(buyer)
    html = client.get(COLLECTIONS).content.decode()
    assert "Heist film" in html and "1 track" in html
    assert reverse("catalog:favorites") in html


def test_a_buyer_creates_a_collection(client, buyer):
    client.force_login(buyer)
    response = client.post(COLLECTIONS, {"name": "Podcast beds", "is_public": "on"})
    created = Collection.objects.get(owner=buyer)
    assert response.status_code == 302 and response.url == reverse("catalog:collection", args=[created.pk])
    assert created.name == "Podcast beds" and created.is_public


def test_a_duplicate_name_is_refused_beside_the_field(client, buyer, shortlist):
    client.force_login(buyer)
    response = client.post(COLLECTIONS, {"name": "heist film"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert "You already have a collection with this name." in html
    assert Collection.objects.filter(owner=buyer).count() == 1


def test_a_private_collection_is_404_for_a_stranger_and_visitors(client, stranger, shortlist):
    url = reverse("catalog:collection", args=[shortlist.pk])
    assert client.get(url).status_code == 404
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_a_public_collection_is_readable_by_anyone_but_not_editable(client, stranger, shortlist):
    shortlist.is_public = True
    shortlist.save()
    url = reverse("catalog:collection", args=[shortlist.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Night Vault" in html and "Edit collection" not in html
    client.force_login(stranger)
    edit = reverse("catalog:collection_edit", args=[shortlist.pk])
    assert client.post(edit, {"name": "Mine now"}).status_code == 404
    assert client.post(reverse("catalog:collection_delete", args=[shortlist.pk])).status_code == 404
    shortlist.refresh_from_db()
    assert shortlist.name == "Heist film"


def test_the_owner_renames_and_publishes(client, buyer, shortlist):
    client.force_login(buyer)
    response = client.post(
        reverse("catalog:collection_edit", args=[shortlist.pk]), {"name": "Vault scene", "is_public": "on"}
    )
    assert response.status_code == 302
    shortlist.refresh_from_db()
    assert shortlist.name == "Vault scene" and shortlist.is_public


def test_an_empty_name_is_refused_and_nothing_changes(client, buyer, shortlist):
    client.force_login(buyer)
    response = client.post(reverse("catalog:collection_edit", args=[shortlist.pk]), {"name": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    shortlist.refresh_from_db()
    assert shortlist.name == "Heist film"


def test_the_owner_removes_a_track_and_deletes_the_collection(client, buyer, shortlist, heist):
    client.force_login(buyer)
    remove = reverse("catalog:collection_remove", args=[shortlist.pk, heist.slug])
    assert client.post(remove).status_code == 302
    assert not shortlist.items.exists()
    response = client.post(reverse("catalog:collection_delete", args=[shortlist.pk]))
    assert response.status_code == 302 and response.url == COLLECTIONS
    assert not Collection.objects.filter(pk=shortlist.pk).exists()


def test_collect_adds_to_an_existing_collection_and_returns(client, buyer, shortlist, make_track):
    other = make_track("piano")
    client.force_login(buyer)
    track_url = reverse("catalog:track", args=[other.slug])
    response = client.post(
        reverse("catalog:collect", args=[other.slug]), {"collection": shortlist.pk, "next": track_url}
    )
    assert response.status_code == 302 and response.url == track_url
    assert shortlist.items.filter(track=other).exists()


def test_collect_can_start_a_new_collection(client, buyer, heist):
    client.force_login(buyer)
    client.post(reverse("catalog:collect", args=[heist.slug]), {"new_name": "Trailer ideas"})
    assert Collection.objects.get(owner=buyer, name="Trailer ideas").items.filter(track=heist).exists()


def test_collect_without_a_choice_shows_the_error_on_the_track_page(client, buyer, shortlist, heist):
    client.force_login(buyer)
    response = client.post(reverse("catalog:collect", args=[heist.slug]), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_collection_error"' in html
    assert "Choose a collection or name a new one." in html


def test_collect_with_no_collections_yet_asks_for_a_name(client, buyer, heist):
    client.force_login(buyer)
    response = client.post(reverse("catalog:collect", args=[heist.slug]), {"new_name": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_new_name_error"' in html
    assert "Name your new collection." in html


def test_collect_refuses_someone_elses_collection(client, stranger, shortlist, heist):
    client.force_login(stranger)
    response = client.post(reverse("catalog:collect", args=[heist.slug]), {"collection": shortlist.pk})
    assert response.status_code == 400
    assert shortlist.items.count() == 1


def test_collect_ignores_a_next_that_leaves_the_site(client, buyer, shortlist, heist):
    client.force_login(buyer)
    response = client.post(
        reverse("catalog:collect", args=[heist.slug]),
        {"collection": shortlist.pk, "next": "https://evil.example/"},
    )
    assert response.url == reverse("catalog:track", args=[heist.slug])


def test_favourite_post_sets_and_clears_then_redirects(client, buyer, heist):
    client.force_login(buyer)
    url = reverse("catalog:favorite", args=[heist.slug])
    response = client.post(url, {"favorite": "1", "next": "/?q=heist"})
    assert response.status_code == 302 and response.url == "/?q=heist"
    assert Favorite.objects.filter(user=buyer, track=heist).exists()
    client.post(url, {"favorite": "0"})
    assert not Favorite.objects.filter(user=buyer, track=heist).exists()


def test_favourite_answers_json_to_the_page_script(client, buyer, heist):
    client.force_login(buyer)
    url = reverse("catalog:favorite", args=[heist.slug])
    response = client.post(url, {"favorite": "1"}, headers={"accept": "application/json"})
    assert response.json() == {"track": heist.slug, "favorite": True}


def test_favourite_sends_visitors_to_log_in(client, heist):
    response = client.post(reverse("catalog:favorite", args=[heist.slug]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not Favorite.objects.exists()


def test_favourite_of_a_draft_is_404_for_a_stranger(client, stranger, make_track):
    draft = make_track("epic", publish=False)
    client.force_login(stranger)
    assert client.post(reverse("catalog:favorite", args=[draft.slug])).status_code == 404


def test_the_favourites_page_lists_what_the_buyer_liked(client, buyer, heist, make_track):
    make_track("piano")
    Favorite.objects.create(user=buyer, track=heist)
    client.force_login(buyer)
    response = client.get(reverse("catalog:favorites"))
    assert response.status_code == 200
    assert [t.slug for t in response.context["tracks"]] == [heist.slug]
    assert 'aria-pressed="true"' in response.content.decode()
