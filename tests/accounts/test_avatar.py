import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts import services
from accounts.errors import AvatarInvalid, SlugTaken
from accounts.models import CreatorProfile
from tests.accounts.conftest import image_upload

pytestmark = pytest.mark.django_db

URL = reverse("accounts:become_creator")


def _stored_image(profile: CreatorProfile) -> Image.Image:
    with profile.avatar.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


def _is_red(pixel) -> bool:
    return pixel[0] > 150 and pixel[2] < 100


def _is_blue(pixel) -> bool:
    return pixel[2] > 150 and pixel[0] < 100


def test_an_uploaded_picture_becomes_a_256_square(client, buyer, media_files):
    client.force_login(buyer)
    client.post(URL, {"display_name": "Sunny", "slug": "", "bio": "", "avatar": image_upload(640, 360)})
    profile = CreatorProfile.objects.get(user=buyer)
    image = _stored_image(profile)
    assert image.size == (256, 256)
    assert image.format in ("WEBP", "JPEG")
    # Centre crop of a red|blue picture: both halves survive, split down the middle.
    assert _is_red(image.getpixel((40, 128))) and _is_blue(image.getpixel((215, 128)))
    assert media_files() == [profile.avatar.name]
    assert profile.avatar.name.startswith("avatars/")


def test_a_picture_is_turned_upright_by_its_exif_orientation(buyer):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    upload = image_upload(400, 200, fmt="JPEG", name="phone.jpg", exif=exif.tobytes())
    profile = services.creator_profile_save(user=buyer, display_name="Phone", slug="", bio="", avatar=upload)
    image = _stored_image(profile)
    # The red left half of the stored picture is the top once it is turned upright.
    assert _is_red(image.getpixel((128, 30))) and _is_blue(image.getpixel((128, 225)))


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_kept(client, buyer, media_files):
    client.force_login(buyer)
    fake = SimpleUploadedFile("me.png", b"%PDF-1.4 definitely not a picture", content_type="image/png")
    response = client.post(URL, {"display_name": "Sunny", "slug": "", "bio": "", "avatar": fake})
    assert response.status_code == 200
    assert response.context["form"].errors["avatar"]
    assert 'id="id_avatar_error"' in response.content.decode()
    assert not CreatorProfile.objects.exists()
    assert media_files() == []


def test_the_service_refuses_a_non_image_too(buyer, media_files):
    fake = SimpleUploadedFile("me.png", b"not a picture")
    with pytest.raises(AvatarInvalid):
        services.creator_profile_save(user=buyer, display_name="Sunny", slug="", bio="", avatar=fake)
    assert not CreatorProfile.objects.exists()
    assert media_files() == []


def test_a_picture_over_5_mb_is_refused(client, buyer, media_files):
    client.force_login(buyer)
    big = SimpleUploadedFile("big.png", image_upload(64, 64).read() + b"\0" * (5 * 1024 * 1024))
    response = client.post(URL, {"display_name": "Sunny", "slug": "", "bio": "", "avatar": big})
    assert "5 MB" in response.context["form"].errors["avatar"][0]
    assert media_files() == []


def test_a_picture_of_absurd_dimensions_is_refused(client, buyer, media_files):
    client.force_login(buyer)
    # A strip 20000 pixels wide is a tiny file; refused from its header, before any decoding.
    response = client.post(
        URL,
        {"display_name": "Sunny", "slug": "", "bio": "", "avatar": image_upload(20000, 20, name="wide.png")},
    )
    assert "too large" in response.context["form"].errors["avatar"][0]
    assert media_files() == []


def test_a_refused_slug_leaves_no_picture_behind(creator, buyer, media_files):
    before = media_files()
    with pytest.raises(SlugTaken):
        services.creator_profile_save(
            user=buyer, display_name="Copycat", slug="night-owl", bio="", avatar=image_upload()
        )
    assert media_files() == before


def test_a_new_picture_replaces_the_old_file_after_commit(
    buyer, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.creator_profile_save(
            user=buyer, display_name="Sunny", slug="", bio="", avatar=image_upload()
        )
    old_name = first.avatar.name
    assert media_files() == [old_name]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = services.creator_profile_save(
            user=buyer, display_name="Sunny", slug="", bio="", avatar=image_upload(300, 300)
        )
    # Until the row pointing at the new file commits, the old file stays where pages can still show it.
    assert sorted(media_files()) == sorted([old_name, second.avatar.name])
    for callback in callbacks:
        callback()
    assert media_files() == [second.avatar.name]
    assert CreatorProfile.objects.get(user=buyer).avatar.name == second.avatar.name


def test_saving_without_a_new_picture_keeps_the_current_one(client, buyer, media_files):
    client.force_login(buyer)
    client.post(URL, {"display_name": "Sunny", "slug": "", "bio": "", "avatar": image_upload()})
    name = CreatorProfile.objects.get(user=buyer).avatar.name
    client.post(URL, {"display_name": "Sunny Again", "slug": "", "bio": ""})
    assert CreatorProfile.objects.get(user=buyer).avatar.name == name
    assert media_files() == [name]


def test_clearing_the_picture_deletes_its_file(
    client, buyer, media_files, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    client.post(URL, {"display_name": "Sunny", "slug": "", "bio": "", "avatar": image_upload()})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"display_name": "Sunny", "slug": "", "bio": "", "avatar-clear": "on"})
    assert CreatorProfile.objects.get(user=buyer).avatar.name == ""
    assert media_files() == []
