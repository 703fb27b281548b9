"""Catalog fixtures: a shelf of published tracks shared by a module's read-only tests, a longer render,
an API client, and a look at every file either storage holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from tests.conftest import ENGINE_PROMPTS

LONG_PROMPT = "happy uplifting acoustic guitar and claps for a sunny travel vlog"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas are made in nearly every test here; real password hashing would dominate their time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Shelf:
    creator: object
    tracks: dict  # fixture name ("heist", "sunny", "piano", "epic") -> Track

    def slugs(self, *names: str) -> list[str]:
        return [self.tracks[n].slug for n in names]


@pytest.fixture(scope="module")
def shelf(django_db_setup, django_db_blocker, engine_outputs, tmp_path_factory):
    """The four session renders published by one creator, made once per test module.

    Search tests only read, so they share these rows instead of making four tracks each. The rows are
    committed (each test's own writes still roll back) and deleted when the module is done.
    """
    from accounts.models import CreatorProfile, User
    from catalog import services
    from catalog.models import SearchIndexState, Track

    root = tmp_path_factory.mktemp("shelf-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(root / "public"), PRIVATE_MEDIA_ROOT=str(root / "private")),
    ):
        user = User.objects.create_user("ines@example.com", "pass-for-tests-1")
        creator = CreatorProfile.objects.create(user=user, display_name="Ines Park", slug="ines-park")
        tracks = {
            name: services.track_create_from_output(
                creator=creator, out_dir=engine_outputs[name], title=title, publish=True
            )
            for name, (_, title) in ENGINE_PROMPTS.items()
        }
    try:
        yield Shelf(creator=creator, tracks=tracks)
    finally:
        with django_db_blocker.unblock():
            Track.objects.filter(creator=creator).delete()
            user.delete()
            SearchIndexState.objects.all().delete()


@pytest.fixture(scope="session")
def long_output(tmp_path_factory) -> Path:
    """One 25 s render: long enough for a 15 s cut and three watermark tags."""
    from generation.engine import generate, parse_prompt

    out = tmp_path_factory.mktemp("engine-long") / "long"
    generate(parse_prompt(LONG_PROMPT, duration=25), seed=11, out_dir=out)
    return out


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def stored_files():
    """Every file in the public and the private storage, as 'public/...' and 'private/...' paths."""

    def list_files() -> list[str]:
        found = []
        for label, root in (("public", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
            root = Path(root)
            if root.exists():
                found += [f"{label}/{p.relative_to(root)}" for p in root.rglob("*") if p.is_file()]
        return sorted(found)

    return list_files


@pytest.fixture
def reviewer(db):
    from accounts import services as accounts_services
    from accounts.models import User

    user = User.objects.create_user("reviewer@example.com", "pass-for-tests-1")
    accounts_services.reviewer_grant(user=user)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def in_review(make_track):
    """in_review("heist", **kwargs) -> a track made by the engine and submitted for review."""
    from catalog import services

    def make(name: str = "heist", **kwargs):
        return services.track_submit(track=make_track(name, publish=False, **kwargs))

    return make
