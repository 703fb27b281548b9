"""Personas and real image files for the accounts tests."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import services
from accounts.models import User

PASSWORD = "correct-horse-battery-staple"


def image_upload(
    width: int = 400, height: int = 300, *, fmt: str = "PNG", name: str = "me.png", exif: bytes | None = None
) -> SimpleUploadedFile:
    """A real image made with Pillow: left half red, right half blue, so crops and turns can be seen."""
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    out = io.BytesIO()
    image.save(out, format=fmt, **({"exif": exif} if exif else {}))
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def buyer(db) -> User:
    return User.objects.create_user("buyer@example.com", PASSWORD)


@pytest.fixture
def creator(db) -> User:
    user = User.objects.create_user("creator@example.com", PASSWORD)
    services.creator_profile_save(user=user, display_name="Night Owl", slug="night-owl", bio="Lo-fi at dusk.")
    return User.objects.get(pk=user.pk)


@pytest.fixture
def reviewer(db) -> User:
    user = User.objects.create_user("reviewer@example.com", PASSWORD)
    services.reviewer_grant(user=user)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def media_files(settings):
    """Every file under MEDIA_ROOT, as paths relative to it."""

    def list_files() -> list[str]:
        root = Path(settings.MEDIA_ROOT)
        return (
            sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []
        )

    return list_files
