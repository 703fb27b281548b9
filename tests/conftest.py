"""Fixtures for every test: media folders of its own, so no test leaves files behind or sees another's."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_roots(settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(root / "public")
    settings.PRIVATE_MEDIA_ROOT = str(root / "private")
