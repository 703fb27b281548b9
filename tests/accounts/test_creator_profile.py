import pytest
from django.urls import reverse

from accounts import services
from accounts.errors import SlugTaken
from accounts.models import CreatorProfile, User
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("accounts:become_creator")


def test_a_stranger_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_buyer_becomes_a_creator(client, buyer):
    client.force_login(buyer)
    assert "Become a creator" in client.get(URL).content.decode()

    response = client.post(URL, {"display_name": "Sunny Side", "slug": "", "bio": "Bright pop."})
    profile = CreatorProfile.objects.get(user=buyer)
    assert (profile.display_name, profile.slug, profile.bio) == ("Sunny Side", "sunny-side", "Bright pop.")
    assert response["Location"] == reverse("catalog:creator", args=["sunny-side"])


def test_a_derived_slug_gets_a_suffix_when_taken(creator, buyer):
    profile = services.creator_profile_save(user=buyer, display_name="Night Owl!", slug="", bio="")
    assert profile.slug == "night-owl-2"


def test_a_name_without_latin_letters_still_gets_an_address(buyer):
    profile = services.creator_profile_save(user=buyer, display_name="夜の音", slug="", bio="")
    assert profile.slug == "creator"


def test_a_taken_slug_is_an_error_on_slug(client, creator, buyer):
    client.force_login(buyer)
    response = client.post(URL, {"display_name": "Copycat", "slug": "Night-Owl", "bio": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == ["This address is taken. Try another."]
    assert not CreatorProfile.objects.filter(user=buyer).exists()


def test_the_service_refuses_a_taken_slug_too(creator, buyer):
    with pytest.raises(SlugTaken):
        services.creator_profile_save(user=buyer, display_name="Copycat", slug="night-owl", bio="")


def test_a_slug_with_spaces_is_an_error_on_slug(client, buyer):
    client.force_login(buyer)
    response = client.post(URL, {"display_name": "Spacey", "slug": "not a slug", "bio": ""})
    assert "slug" in response.context["form"].errors
    assert not CreatorProfile.objects.exists()


def test_a_creator_edits_the_profile_and_keeps_the_address(client, creator):
    client.login(username=creator.email, password=PASSWORD)
    page = client.get(URL)
    assert page.context["form"].initial["slug"] == "night-owl"
    assert "Your creator profile" in page.content.decode()

    response = client.post(URL, {"display_name": "Night Owl Trio", "slug": "", "bio": "Now a trio."})
    assert response["Location"] == reverse("catalog:creator", args=["night-owl"])
    profile = CreatorProfile.objects.get(user=creator)
    assert (profile.display_name, profile.slug, profile.bio) == ("Night Owl Trio", "night-owl", "Now a trio.")
    assert CreatorProfile.objects.count() == 1


def test_a_creator_keeps_their_own_slug_on_resave(client, creator):
    client.force_login(creator)
    response = client.post(URL, {"display_name": "Night Owl", "slug": "night-owl", "bio": ""})
    assert response.status_code == 302


def test_a_missing_display_name_is_named(client, buyer):
    client.force_login(buyer)
    response = client.post(URL, {"display_name": "  ", "slug": "", "bio": ""})
    assert "display_name" in response.context["form"].errors
    assert not CreatorProfile.objects.exists()


def test_one_profile_per_user(creator):
    services.creator_profile_save(user=creator, display_name="Again", slug="again", bio="")
    assert CreatorProfile.objects.filter(user=creator).count() == 1
    assert User.objects.get(pk=creator.pk).creator_profile.slug == "again"
