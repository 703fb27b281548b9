"""Verify a file: does this audio carry a valid license of this platform, with its credentials intact?

Anyone may upload an MP3, WAV or FLAC. The file's license tags and Content Credentials are read and
compared with the license record they name. The upload is read from a temporary file that is deleted
before the answer goes back, whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from mutagen import MutagenError
from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.wave import WAVE

from licensing import codes, credentials, stamping
from licensing.delivery import verify_url
from licensing.errors import LicensingError
from licensing.models import License

NOT_AUDIO = "Upload an MP3, WAV or FLAC audio file."


@dataclass(frozen=True)
class FileCheck:
    format: str
    license_code: str | None
    license_found: bool
    license_status: str | None
    license: dict | None
    tags: dict
    tags_match: bool
    mismatches: list[str]
    credentials: dict
    licensed: bool
    verdict: str
    details: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _sniff(path: Path) -> str:
    """The audio format of the file by its first bytes and a parse of its header, or raise."""
    fmt = stamping.container(path)
    readers = {"wav": WAVE, "flac": FLAC, "mp3": MP3}
    if fmt is None:
        raise LicensingError(NOT_AUDIO, field="file")
    try:
        info = readers[fmt](path).info
    except (MutagenError, OSError, ValueError):
        raise LicensingError(NOT_AUDIO, field="file") from None
    if not getattr(info, "length", 0) or info.length <= 0:
        raise LicensingError(NOT_AUDIO, field="file")
    return fmt


def size_label(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def file_check(*, upload: IO[bytes], size: int | None = None) -> FileCheck:
    """Check an uploaded file (any binary file object; `size` when known). Raises LicensingError
    naming `file` for something that is not audio or is larger than VERIFY_FILE_MAX_BYTES."""
    limit = settings.VERIFY_FILE_MAX_BYTES
    if size is not None and size > limit:
        raise LicensingError(f"The file is larger than {size_label(limit)}.", field="file")
    fd, tmp = tempfile.mkstemp(prefix="verify-", dir=settings.FILE_UPLOAD_TEMP_DIR)
    try:
        written = 0
        with os.fdopen(fd, "wb") as out:
            chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b"")
            for chunk in chunks:
                written += len(chunk)
                if written > limit:
                    raise LicensingError(f"The file is larger than {size_label(limit)}.", field="file")
                out.write(chunk)
        if written == 0:
            raise LicensingError("The file is empty.", field="file")
        path = Path(tmp)
        return _check(path, _sniff(path))
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _check(path: Path, fmt: str) -> FileCheck:
    tags = stamping.read_tags(path)
    report = credentials.read(path, credentials.MIME_TYPES[fmt])
    raw_code = tags.get("license_code") or report.license_code
    code = codes.normalize(raw_code) if raw_code else None
    license = (
        License.objects.select_related("track", "track__creator", "tier").filter(code=code).first()
        if code
        else None
    )
    mismatches = []
    if license is not None:
        expected = {"license_code": license.code, "terms_sha256": license.terms_sha256}
        for key, value in expected.items():
            if key in tags and tags[key] != value:
                mismatches.append(key)
            if key not in tags:
                mismatches.append(key)
        if report.present and report.license_code and report.license_code != license.code:
            mismatches.append("credentials.license_code")
    tags_match = license is not None and not mismatches
    licensed = (
        license is not None
        and license.status == License.Status.ACTIVE
        and tags_match
        and report.valid
        and report.license_code == license.code
    )
    verdict, details = _verdict(code or raw_code, license, tags_match, report)
    return FileCheck(
        format=fmt,
        license_code=code or raw_code or None,
        license_found=license is not None,
        license_status=license.status if license else None,
        license=_public(license),
        tags=tags,
        tags_match=tags_match,
        mismatches=mismatches,
        credentials={
            "present": report.present,
            "intact": report.intact,
            "trusted": report.trusted,
            "valid": report.valid,
            "signer": report.signer,
            "issuer": report.issuer,
            "license_code": report.license_code,
            "creator": report.creator,
            "ai_generation": report.ai_generation,
            "errors": report.errors,
        },
        licensed=licensed,
        verdict=verdict,
        details=details,
    )


def _public(license: License | None) -> dict | None:
    if license is None:
        return None
    return {
        "code": license.code,
        "status": license.status,
        "status_label": license.get_status_display(),
        "track_slug": license.track.slug,
        "track_title": license.track.title,
        "creator": license.track.creator.display_name,
        "tier": license.tier.name,
        "issued_at": license.issued_at.isoformat(),
        "verify_url": verify_url(license),
    }


def _verdict(
    code: str | None, license: License | None, tags_match: bool, report: credentials.CredentialsReport
) -> tuple[str, list[str]]:
    details = []
    if report.present and not report.intact:
        details.append("Its Content Credentials are broken: the file was changed after it was signed.")
    elif report.present and not report.trusted:
        details.append("Its Content Credentials are intact but were not signed by this platform.")
    elif report.valid:
        details.append("Its Content Credentials are intact and signed by this platform.")
    else:
        details.append("It carries no Content Credentials (they were stripped, or it was re-encoded).")
    if not code:
        return "This file carries no license from this platform.", details
    if license is None:
        return f"The file names license {code}, which this platform never issued.", details
    if not tags_match:
        details.insert(0, f"Its license tags do not match license {license.code}: they were edited.")
    if license.status != License.Status.ACTIVE:
        return (
            f"License {license.code} is {license.get_status_display().lower()}: it grants no use now.",
            details,
        )
    if tags_match and report.valid and report.license_code == license.code:
        return (
            f"Licensed: this file carries license {license.code} ({license.tier.name}) for "
            f"“{license.track.title}”, active, with its credentials intact.",
            details,
        )
    return f"The file names license {license.code}, but it has been altered since it was delivered.", details
