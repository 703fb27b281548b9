import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Every test writes media into its own folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
