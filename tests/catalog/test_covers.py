"""Cover art: a 600x600 PNG drawn per track, or the creator's own image kept as given."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from catalog.covers import draw_cover


def read_cover(track) -> bytes:
    with default_storage.open(track.cover.name) as fh:
        return fh.read()


def test_a_track_gets_a_600_pixel_square_png(make_track):
    track = make_track("heist")

    image = Image.open(io.BytesIO(read_cover(track)))
    assert (image.format, image.size) == ("PNG", (600, 600))
    assert track.cover.name.endswith(".png")
    assert track.cover_uploaded is False


def test_two_tracks_with_the_same_title_get_different_covers(make_track):
    first = make_track("sunny", title="Same Title")
    second = make_track("sunny", title="Same Title")

    assert first.slug != second.slug
    assert read_cover(first) != read_cover(second)


def test_the_same_slug_always_draws_the_same_cover():
    attributes = {"title": "Night Vault", "genre": "cinematic", "mode": "minor", "energy": "high"}

    assert draw_cover(slug="night-vault-1", **attributes) == draw_cover(slug="night-vault-1", **attributes)
    assert draw_cover(slug="night-vault-1", **attributes) != draw_cover(slug="night-vault-2", **attributes)


def test_an_uploaded_cover_is_kept_as_given(make_track):
    upload = io.BytesIO()
    Image.new("RGB", (800, 800), (30, 90, 160)).save(upload, format="JPEG")

    track = make_track("piano", cover=ContentFile(upload.getvalue(), name="mine.jpg"))

    assert track.cover_uploaded is True
    assert track.cover.name.endswith(".jpg")
    assert read_cover(track) == upload.getvalue()
