"""Where track files live.

Public files (previews, peaks, covers, avatars) go to the default storage, which serves them by URL.
Full-quality files (masters, stems, cuts, loops, MIDI) go to the "private" storage, which has no public
URL at all: they leave only through a license's download, which streams or signs them itself.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private storage under PRIVATE_MEDIA_ROOT: files on disk, deliberately without any URL."""

    # Read on every use rather than cached, so the folder follows the setting (tests move it).
    @property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL; deliver them through a license")


def private_storage() -> Storage:
    return storages["private"]
