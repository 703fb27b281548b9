"""Fixtures for every test: media folders of its own, personas, and tracks made by the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

# Short cues the engine renders once per test session; tracks are made from copies of them.
ENGINE_PROMPTS = {
    "heist": ("dark pulsing synth bass, tense and mysterious, 100 bpm in D minor", "Night Vault"),
    "sunny": ("happy uplifting acoustic guitar and claps for a sunny travel vlog", "Open Road Morning"),
    "piano": ("calm melancholic solo piano, slow and reflective", "Quiet Letters"),
    "epic": ("epic triumphant orchestral brass and taiko drums for a trailer", "Banners Rise"),
}


@pytest.fixture(autouse=True)
def _media_roots(settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(root / "public")
    settings.PRIVATE_MEDIA_ROOT = str(root / "private")


@pytest.fixture(scope="session")
def engine_outputs(tmp_path_factory) -> dict[str, Path]:
    """Engine output folders (8 s each), rendered once for the whole session, keyed by name."""
    from generation.engine import generate, parse_prompt

    root = tmp_path_factory.mktemp("engine")
    outputs = {}
    for i, (name, (prompt, _)) in enumerate(ENGINE_PROMPTS.items()):
        outputs[name] = root / name
        generate(parse_prompt(prompt, duration=8), seed=i + 1, out_dir=outputs[name])
    return outputs


@pytest.fixture
def creator(db):
    from accounts.models import CreatorProfile, User

    user = User.objects.create_user("creator@example.com", "pass-for-tests-1")
    return CreatorProfile.objects.create(
        user=user, display_name="Nadia Okafor", slug="nadia-okafor", bio="Cues."
    )


@pytest.fixture
def buyer(db):
    from accounts.models import User

    return User.objects.create_user("buyer@example.com", "pass-for-tests-1")


@pytest.fixture
def stranger(db):
    from accounts.models import User

    return User.objects.create_user("stranger@example.com", "pass-for-tests-1")


@pytest.fixture
def make_track(db, engine_outputs, creator):
    """make_track(name="heist", publish=True, creator=..., **kwargs) -> Track, through the real service."""
    from catalog import services

    def make(name: str = "heist", *, publish: bool = True, creator=creator, **kwargs):
        kwargs.setdefault("title", ENGINE_PROMPTS[name][1])
        return services.track_create_from_output(
            creator=creator, out_dir=engine_outputs[name], publish=publish, **kwargs
        )

    return make
