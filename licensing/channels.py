"""Content ID channels: where a licensee uses a track, so claims there can be cleared.

The licensee lists their channels on the license page; the certificate names them (it is the clearance
letter for disputes) and staff export them all as CSV for the rights administrators.
"""

from __future__ import annotations

import csv
import io
import re

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.models import User
from licensing.errors import LicensingError
from licensing.models import ContentIdChannel, License

MAX_CHANNELS = 50
# A YouTube channel id ("UC" and 22 characters), or a handle (@name), possibly inside a channel URL.
_YOUTUBE_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")
_YOUTUBE_HANDLE = re.compile(r"@[A-Za-z0-9._-]{3,30}")
_YOUTUBE_URL = re.compile(
    r"(?:https?://)?(?:www\.|m\.)?youtube\.com/(?:channel/(UC[A-Za-z0-9_-]{22})|(@[A-Za-z0-9._-]{3,30}))/?"
)
_PRINTABLE = re.compile(r"[^\s\x00-\x1f\x7f]{1,120}")


def _clean_channel_id(platform: str, raw: object) -> str:
    value = raw.strip() if isinstance(raw, str) else ""
    if not value:
        raise LicensingError("Give the channel id.", field="channel_id")
    if platform == ContentIdChannel.Platform.YOUTUBE:
        url = _YOUTUBE_URL.fullmatch(value)
        if url:
            value = url.group(1) or url.group(2)
        if not (_YOUTUBE_ID.fullmatch(value) or _YOUTUBE_HANDLE.fullmatch(value)):
            raise LicensingError(
                "A YouTube channel id starts with UC and has 24 characters (or give the @handle).",
                field="channel_id",
            )
        return value
    if not _PRINTABLE.fullmatch(value):
        raise LicensingError(
            "A channel id is 1 to 120 characters without spaces (a profile URL or @handle works).",
            field="channel_id",
        )
    return value


def channel_add(*, license: License, by: User, platform: str, channel_id: str) -> ContentIdChannel:
    """Register a channel where the licensee uses the track. Only the licensee, only while the license
    is active; adding the same channel twice keeps one."""
    if license.licensee_id != getattr(by, "pk", None):
        raise LicensingError("Only the licensee registers channels for this license.", field="license")
    if license.status != License.Status.ACTIVE:
        raise LicensingError("Channels can be added only while the license is active.", field="license")
    if platform not in ContentIdChannel.Platform.values:
        raise LicensingError("Choose the platform of the channel.", field="platform")
    channel_id = _clean_channel_id(platform, channel_id)
    try:
        with transaction.atomic():
            if existing := ContentIdChannel.objects.filter(
                license=license, platform=platform, channel_id=channel_id
            ).first():
                return existing
            if ContentIdChannel.objects.filter(license=license).count() >= MAX_CHANNELS:
                raise LicensingError(f"A license lists at most {MAX_CHANNELS} channels.", field="channel_id")
            return ContentIdChannel.objects.create(license=license, platform=platform, channel_id=channel_id)
    except IntegrityError:  # the same form sent twice at once
        return ContentIdChannel.objects.get(license=license, platform=platform, channel_id=channel_id)


@transaction.atomic
def channel_remove(*, license: License, by: User, channel_pk: int) -> None:
    """Take a channel off the license's list (the licensee's own; removing twice is harmless)."""
    if license.licensee_id != getattr(by, "pk", None):
        raise LicensingError("Only the licensee removes channels from this license.", field="license")
    ContentIdChannel.objects.filter(license=license, pk=channel_pk).delete()


def channels_for_export() -> QuerySet[ContentIdChannel]:
    """Every registered channel with its license, track and licensee, for the staff export."""
    return ContentIdChannel.objects.select_related("license", "license__track", "license__tier").order_by(
        "license__code", "platform", "channel_id"
    )


CSV_COLUMNS = (
    "platform",
    "channel_id",
    "license_code",
    "license_status",
    "tier",
    "track_slug",
    "track_title",
    "licensee_name",
    "licensee_organisation",
    "licensee_email",
    "issued_at",
    "added_at",
)


def _cell(value: object) -> str:
    text = str(value)
    if _YOUTUBE_HANDLE.fullmatch(text):
        return text
    # A cell starting with = + - @ is a formula to a spreadsheet: make it plain text.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def channels_csv(channels: QuerySet[ContentIdChannel]) -> str:
    """The channels as CSV, one row per channel, for rights administrators."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for channel in channels:
        license = channel.license
        row = (
            channel.platform,
            channel.channel_id,
            license.code,
            license.status,
            license.tier.slug,
            license.track.slug,
            license.track.title,
            license.licensee_name,
            license.licensee_organisation,
            license.licensee_email,
            license.issued_at.isoformat(),
            channel.added_at.isoformat(),
        )
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
