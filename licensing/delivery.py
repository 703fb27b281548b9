"""Delivering what a license bought: the formats it includes, the stamped files, the certificate, and
short-lived download links that are checked again when followed.

Every audio file leaves stamped with its license (licensing/stamping.py): tags, then Content
Credentials. Stamped files are built on first download into LICENSE_FILES_ROOT (private, nothing serves
it), one folder per license, atomically (temp file, rename) and under a lock so two simultaneous
downloads build once. They never depend on the license's status, which is checked at every download and
shown live on the verification page the files link to; the certificate, which shows the status and the
Content ID channels, is drawn afresh each time.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import mido
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from catalog.models import Track, TrackAsset
from licensing import stamping
from licensing.certificate import CertificateData, certificate_pdf
from licensing.errors import LicensingError
from licensing.models import License
from licensing.rights import canonical_json, rights_in_words, sha256_hex

FORMATS = ("wav", "flac", "mp3", "stems", "cuts", "loop", "midi", "edits", "certificate")
LABELS = {
    "wav": "Master WAV",
    "flac": "FLAC",
    "mp3": "MP3",
    "stems": "Stems (zip)",
    "cuts": "Cuts (zip)",
    "loop": "Loop",
    "midi": "MIDI",
    "edits": "Custom edits (zip)",
    "certificate": "Certificate (PDF)",
}
# (file name suffix, extension, content type) of each download.
_FILES = {
    "wav": ("master", "wav", "audio/wav"),
    "flac": ("master", "flac", "audio/flac"),
    "mp3": ("master", "mp3", "audio/mpeg"),
    "stems": ("stems", "zip", "application/zip"),
    "cuts": ("cuts", "zip", "application/zip"),
    "loop": ("loop", "wav", "audio/wav"),
    "midi": ("score", "mid", "audio/midi"),
    "edits": ("edits", "zip", "application/zip"),
    "certificate": ("certificate", "pdf", "application/pdf"),
}
# Part of every stamped file's folder: bumping it rebuilds every cached file (the stamp changed).
STAMP_VERSION = "1"
_SALT = "licensing.download"


class DownloadError(LicensingError):
    """A download that cannot be served. `status` is the HTTP status a page or API answers with."""

    status = 404


class DownloadNotFound(DownloadError):
    """No such link, license or format for this user: the same answer for all, so nothing leaks."""


class DownloadExpired(DownloadError):
    status = 410

    def __init__(self, message: str, *, license: License) -> None:
        super().__init__(message)
        self.license = license


class DownloadRefused(DownloadError):
    """The license is not active (revoked, or on hold during a dispute)."""

    status = 403

    def __init__(self, message: str, *, license: License) -> None:
        super().__init__(message)
        self.license = license


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    path: Path | None = None
    content: bytes | None = None


# --- what a license delivers -------------------------------------------------------------------------


def _assets(track: Track) -> dict[str, list[TrackAsset]]:
    by_kind: dict[str, list[TrackAsset]] = {}
    for asset in track.assets.all():
        by_kind.setdefault(asset.kind, []).append(asset)
    return by_kind


def _edits(license: License) -> list:
    # Filtered here rather than in SQL so that a library page's prefetch serves every license.
    edits = [e for e in license.track.edits.all() if e.requested_by_id == license.licensee_id]
    return sorted(edits, key=lambda e: (e.created_at, e.pk))


def deliverable_formats(license: License) -> list[str]:
    """The formats this license delivers, in a fixed order: only those the track has files for."""
    kinds = _assets(license.track)
    has = {
        "wav": TrackAsset.Kind.MASTER in kinds,
        "flac": TrackAsset.Kind.MASTER in kinds,
        "mp3": TrackAsset.Kind.MP3 in kinds,
        "stems": TrackAsset.Kind.STEM in kinds,
        "cuts": TrackAsset.Kind.CUT in kinds,
        "loop": TrackAsset.Kind.LOOP in kinds,
        "midi": TrackAsset.Kind.MIDI in kinds,
        "edits": bool(_edits(license)),
        "certificate": True,
    }
    return [fmt for fmt in FORMATS if has[fmt]]


# --- the stamp ---------------------------------------------------------------------------------------


def verify_url(license: License) -> str:
    """The absolute address of the license's public verification page."""
    try:
        path = reverse("licensing:verify", args=[license.code])
    except NoReverseMatch:
        path = f"/licenses/verify/{license.code}"
    return f"{settings.SITE_URL}{path}"


def provenance_sha256(track: Track) -> str:
    """SHA-256 of the canonical JSON of the track's provenance record ("" for a track without one)."""
    provenance = getattr(track, "provenance", None)
    if provenance is None:
        return ""
    record = {
        "track": track.slug,
        "engine": provenance.engine,
        "engine_version": provenance.engine_version,
        "prompt": provenance.prompt,
        "seed": provenance.seed,
        "parameters": provenance.parameters,
        "file_hashes": provenance.file_hashes,
        "created_at": provenance.created_at.isoformat(),
    }
    return sha256_hex(canonical_json(record))


def _terms(license: License, key: str) -> dict:
    value = license.terms.get(key) if isinstance(license.terms, dict) else None
    return value if isinstance(value, dict) else {}


def license_stamp(license: License) -> stamping.LicenseStamp:
    """What every audio file of this license says about itself."""
    track = license.track
    provenance = getattr(track, "provenance", None)
    creator = _terms(license, "creator").get("display_name") or track.creator.display_name
    title = _terms(license, "track").get("title") or track.title
    licensee = license.licensee_organisation or license.licensee_name
    return stamping.LicenseStamp(
        code=license.code,
        licensee=licensee,
        tier=_terms(license, "tier").get("name") or license.tier.name,
        terms_sha256=license.terms_sha256,
        disclosure=track.disclosure_label,
        disclosure_label=track.get_disclosure_label_display(),
        provenance_sha256=provenance_sha256(track),
        verify_url=verify_url(license),
        copyright=f"© {track.created_at.year} {creator}. Licensed to {licensee} under {license.code}.",
        title=title,
        creator=creator,
        engine=provenance.engine if provenance else "",
        engine_version=provenance.engine_version if provenance else "",
    )


def rights_lines(license: License) -> list[str]:
    """The license's frozen rights in plain words."""
    terms = license.terms if isinstance(license.terms, dict) else {}
    if isinstance(terms.get("rights_in_words"), list):
        return [str(line) for line in terms["rights_in_words"]]
    try:
        return rights_in_words(terms["rights"])
    except (KeyError, TypeError):
        return [terms.get("summary") or license.tier.summary]


# --- building files ----------------------------------------------------------------------------------


def _folder(license: License) -> Path:
    return Path(settings.LICENSE_FILES_ROOT) / license.code / f"v{STAMP_VERSION}"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _one(kinds: dict[str, list[TrackAsset]], kind: str) -> TrackAsset:
    assets = kinds.get(kind)
    if not assets:
        raise DownloadNotFound("This track has no such file.")
    return assets[0]


def _member_name(track: Track, label: str, ext: str) -> str:
    return f"{track.slug}-{label}.{ext}"


def _zip(dst: Path, license: License, members: list[tuple[str, object, str]]) -> None:
    """A zip (stored: audio does not compress) of stamped audio files: (name in zip, source, format)."""
    stamp = license_stamp(license)
    with tempfile.TemporaryDirectory(dir=dst.parent, prefix=".zip-") as work:
        fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.")
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
                for name, source, fmt in members:
                    stamped = Path(work) / name
                    with _open_source(source) as fh:
                        stamping.stamp_file(fh, stamped, stamp, fmt)
                    archive.write(stamped, arcname=name)
                    stamped.unlink()
                archive.writestr("LICENSE.txt", _license_text(license, stamp))
            os.replace(tmp, dst)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


@contextlib.contextmanager
def _open_source(field_file):
    # Through the storage API, never a filesystem path: private storage may be S3.
    with field_file.open("rb") as fh:
        yield fh


def _license_text(license: License, stamp: stamping.LicenseStamp) -> str:
    lines = [
        f"{stamp.title} by {stamp.creator}",
        f"License {license.code} ({stamp.tier}), issued to {stamp.licensee} "
        f"on {timezone.localtime(license.issued_at):%d %B %Y}.",
        f"Verify it at {stamp.verify_url}",
        "",
        "What this license allows:",
        *[f"- {line}" for line in rights_lines(license)],
        "",
        f"Terms SHA-256: {license.terms_sha256}",
        f"Master SHA-256: {license.master_sha256}",
        "",
    ]
    return "\n".join(lines)


def _midi(dst: Path, license: License, asset: TrackAsset) -> None:
    """The MIDI file with the license written into its first track as copyright and text events."""
    stamp = license_stamp(license)
    with _open_source(asset.file) as fh:
        midi = mido.MidiFile(file=fh)
    if not midi.tracks:
        midi.tracks.append(mido.MidiTrack())
    first = midi.tracks[0]
    first.insert(0, mido.MetaMessage("text", text=f"License {stamp.code}: {stamp.verify_url}", time=0))
    first.insert(0, mido.MetaMessage("copyright", text=stamp.copyright, time=0))
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.")
    os.close(fd)
    try:
        midi.save(tmp)
        os.replace(tmp, dst)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _edits_key(license: License) -> str:
    ids = ",".join(str(edit.pk) for edit in _edits(license))
    return hashlib.sha256(ids.encode()).hexdigest()[:12]


def build_file(license: License, fmt: str) -> Path:
    """The stamped file of `fmt` for this license, built once (atomically, under a lock) and kept in
    LICENSE_FILES_ROOT. The certificate is not a file here: see `certificate_bytes`."""
    if fmt not in FORMATS or fmt == "certificate" or fmt not in deliverable_formats(license):
        raise DownloadNotFound("This license has no such file.")
    _, ext, _ = _FILES[fmt]
    name = f"{fmt}-{_edits_key(license)}.{ext}" if fmt == "edits" else f"{fmt}.{ext}"
    dst = _folder(license) / name
    if dst.exists():
        return dst
    with _locked(dst):
        if dst.exists():  # built by the download we waited for
            return dst
        _build(license, fmt, dst)
    return dst


def _build(license: License, fmt: str, dst: Path) -> None:
    track = license.track
    kinds = _assets(track)
    stamp = license_stamp(license)
    if fmt in ("wav", "mp3", "loop"):
        kind = {"wav": TrackAsset.Kind.MASTER, "mp3": TrackAsset.Kind.MP3, "loop": TrackAsset.Kind.LOOP}[fmt]
        with _open_source(_one(kinds, kind).file) as fh:
            stamping.stamp_file(fh, dst, stamp, "mp3" if fmt == "mp3" else "wav")
    elif fmt == "flac":
        with tempfile.TemporaryDirectory(dir=dst.parent, prefix=".flac-") as work:
            flac = Path(work) / "master.flac"
            with _open_source(_one(kinds, TrackAsset.Kind.MASTER).file) as fh:
                stamping.flac_from_wav(fh, flac)
            stamping.stamp_file(flac, dst, stamp, "flac")
    elif fmt in ("stems", "cuts"):
        kind = TrackAsset.Kind.STEM if fmt == "stems" else TrackAsset.Kind.CUT
        members = [
            (_member_name(track, a.name or kind, "wav"), a.file, "wav")
            for a in sorted(kinds.get(kind, []), key=lambda a: a.name)
        ]
        _zip(dst, license, members)
    elif fmt == "midi":
        _midi(dst, license, _one(kinds, TrackAsset.Kind.MIDI))
    elif fmt == "edits":
        members = []
        for edit in _edits(license):
            label = f"edit-{edit.duration:g}s-{edit.pk}"
            members += [
                (_member_name(track, label, "wav"), edit.master, "wav"),
                (_member_name(track, label, "mp3"), edit.mp3, "mp3"),
            ]
        _zip(dst, license, members)


def clear_files(license: License) -> None:
    """Forget the stamped files of a license (they are rebuilt on the next download)."""
    shutil.rmtree(Path(settings.LICENSE_FILES_ROOT) / license.code, ignore_errors=True)


# --- the certificate ---------------------------------------------------------------------------------


def certificate_data(license: License) -> CertificateData:
    stamp = license_stamp(license)
    notes = {
        License.Status.REVOKED: "This license was revoked and no longer grants any rights.",
        License.Status.DISPUTED: "A payment dispute is open: the license is on hold until it is settled.",
    }
    return CertificateData(
        code=license.code,
        status=license.status,
        status_label=license.get_status_display(),
        status_note=notes.get(license.status, ""),
        licensee=license.licensee_name,
        organisation=license.licensee_organisation,
        project=license.project,
        track_title=stamp.title,
        creator=stamp.creator,
        disclosure=stamp.disclosure_label,
        tier=stamp.tier,
        issued=f"{timezone.localtime(license.issued_at):%d %B %Y}",
        master_sha256=license.master_sha256,
        terms_sha256=license.terms_sha256,
        rights=rights_lines(license),
        verify_url=stamp.verify_url,
        channels=[(c.get_platform_display(), c.channel_id) for c in license.channels.all()],
    )


def certificate_bytes(license: License, *, compress: bool = True) -> bytes:
    """The license certificate (PDF), as the license stands now."""
    return certificate_pdf(certificate_data(license), compress=compress)


# --- download links ----------------------------------------------------------------------------------


def download_filename(license: License, fmt: str) -> str:
    suffix, ext, _ = _FILES[fmt]
    return f"{license.track.slug}_{license.code}-{suffix}.{ext}"


def download_token(*, license: License, fmt: str) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"c": license.code, "f": fmt})


def download_links(*, license: License, request: HttpRequest | None = None) -> dict[str, str]:
    """{format: signed URL} for every format the license delivers, valid DOWNLOAD_URL_MAX_AGE seconds;
    empty unless the license is active."""
    if license.status != License.Status.ACTIVE:
        return {}
    links = {}
    for fmt in deliverable_formats(license):
        path = reverse("licensing:download", args=[download_token(license=license, fmt=fmt)])
        links[fmt] = request.build_absolute_uri(path) if request is not None else path
    return links


def download_open(*, token: str, user: User) -> Download:
    """What a download link delivers, checked now: the link is genuine and fresh, `user` holds the
    license, the license is active and delivers that format.

    Raises DownloadNotFound (a forged link, another user's license), DownloadExpired (a genuine link
    past its age) or DownloadRefused (a license revoked or on hold).
    """
    signer = signing.TimestampSigner(salt=_SALT)
    expired = False
    try:
        payload = signer.unsign_object(token, max_age=settings.DOWNLOAD_URL_MAX_AGE)
    except signing.SignatureExpired:
        expired = True
        try:
            payload = signer.unsign_object(token)
        except signing.BadSignature:
            raise DownloadNotFound("No such download.") from None
    except (signing.BadSignature, ValueError):
        raise DownloadNotFound("No such download.") from None
    code, fmt = (payload.get("c"), payload.get("f")) if isinstance(payload, dict) else (None, None)
    license = (
        License.objects.select_related("track", "track__creator", "tier").filter(code=code).first()
        if isinstance(code, str)
        else None
    )
    if license is None or not user.is_authenticated or license.licensee_id != user.pk or fmt not in FORMATS:
        raise DownloadNotFound("No such download.")
    if expired:
        raise DownloadExpired(
            "This download link has expired. Links last a few minutes; ask for a new one.", license=license
        )
    if license.status != License.Status.ACTIVE:
        reason = {
            License.Status.REVOKED: "This license was revoked, so its files can no longer be downloaded.",
            License.Status.DISPUTED: "A payment dispute is open on this license: downloads are paused "
            "until it is settled.",
        }.get(license.status, "This license is not active.")
        raise DownloadRefused(reason, license=license)
    _, _, content_type = _FILES[fmt]
    filename = download_filename(license, fmt)
    if fmt == "certificate":
        return Download(filename=filename, content_type=content_type, content=certificate_bytes(license))
    return Download(filename=filename, content_type=content_type, path=build_file(license, fmt))
