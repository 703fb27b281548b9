"""Writes for tracks that creators made with other tools (Suno, Udio, Stable Audio, a DAW) and upload.

track_create_from_upload checks the declaration, decodes and checks the file (and any stems) in the
sandbox (catalog/uploads/), and keeps an accepted upload as a draft whose metadata the analysis
prefilled; track_upload_confirm takes the creator's corrections and submits it for review. A refused
upload raises UploadRejected naming the field, and leaves no row and no file behind.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import CreatorProfile, User
from catalog import duplicates, fingerprint
from catalog.covers import draw_cover
from catalog.errors import CatalogError, UploadRejected
from catalog.models import Provenance, Track, TrackAsset
from catalog.services import (
    _Saved,
    _unique_slug,
    search_index_touch,
    track_embedding,
    track_submit,
    track_text,
)
from catalog.storage import private_storage
from catalog.taxonomy import mood_bits
from catalog.uploads import sandbox, stems
from common.vocabulary import ENERGIES, GENRES, MODES, MOODS, PITCH_CLASSES

EXTENSIONS = (".wav", ".flac", ".mp3")
TEXT_LIMITS = {
    "title": 120,
    "tool_name": 40,
    "tool_version": 40,
    "tool_terms": 1000,
    "prompt": 4000,
    "human_contribution": 2000,
    "description": 4000,
}
# How far a stem's length may differ from the mix's (encoder padding, a trailing reverb tail cut).
STEM_LENGTH_TOLERANCE_S = 0.1
_GENRE_WORDS = {
    "lo-fi": "lofi",
    "lo fi": "lofi",
    "orchestral": "cinematic",
    "trailer": "cinematic",
    "edm": "house",
}


# Room for the form fields and multipart framing around the two files.
_ENVELOPE_BYTES = 1024 * 1024


def _mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


TOO_LARGE = "The upload is larger than the audio file and stems together may be."


def request_too_large(content_length: str | None) -> bool:
    """Whether a request announces more bytes than an upload's file and stems can add up to."""
    try:
        size = int(content_length or 0)
    except ValueError:
        return False
    return size > settings.UPLOAD_MAX_BYTES + settings.UPLOAD_STEMS_MAX_BYTES + _ENVELOPE_BYTES


def _text(value: object, field: str, label: str, *, required: bool) -> str:
    if value is not None and not isinstance(value, str):
        raise UploadRejected(f"The {label} must be text.", field=field)
    text = (value or "").strip()
    if required and not text:
        raise UploadRejected(f"Give the {label}.", field=field)
    if len(text) > TEXT_LIMITS[field]:
        raise UploadRejected(f"Keep the {label} to {TEXT_LIMITS[field]} characters.", field=field)
    return text


def _declaration(
    *, tool_name, tool_version, tool_terms, prompt, human_contribution, disclosure_label
) -> dict[str, str]:
    if disclosure_label not in Track.Disclosure.values:
        raise UploadRejected("Choose ai_generated, ai_assisted or human_made.", field="disclosure_label")
    made_by_ai = disclosure_label != Track.Disclosure.HUMAN_MADE
    return {
        "tool_name": _text(tool_name, "tool_name", "name of the tool the track was made with", required=True),
        "tool_version": _text(tool_version, "tool_version", "version of the tool", required=True),
        "tool_terms": _text(
            tool_terms, "tool_terms", "plan or terms that grant you commercial rights", required=True
        ),
        "prompt": _text(prompt, "prompt", "prompt the track was made from", required=made_by_ai),
        "human_contribution": _text(
            human_contribution, "human_contribution", "account of your own contribution", required=True
        ),
        "disclosure_label": disclosure_label,
    }


def _copy_upload(upload: UploadedFile, target: Path) -> str:
    """Write the upload to `target`; returns its SHA-256."""
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _limits() -> sandbox.Limits:
    return sandbox.Limits(
        memory_bytes=settings.UPLOAD_PROBE_MEMORY_MB * 1024 * 1024,
        cpu_seconds=settings.UPLOAD_PROBE_CPU_SECONDS,
        wall_seconds=float(settings.UPLOAD_PROBE_TIMEOUT_SECONDS),
    )


def _probe(role: str, path: Path, out_dir: Path, field: str, name: str) -> dict:
    try:
        return sandbox.probe(role=role, path=path, out_dir=out_dir, checks={}, limits=_limits())
    except sandbox.ProbeRejected as exc:
        prefix = "" if role == "mix" else f"Stem {name}: "
        raise UploadRejected(prefix + exc.reason, field=field) from None


def _check_file(upload: UploadedFile | None, field: str, limit: int, exts: tuple[str, ...]) -> str:
    if upload is None or not getattr(upload, "name", ""):
        raise UploadRejected(
            "Choose a WAV, FLAC or MP3 file." if field == "file" else "Choose a zip.", field=field
        )
    if upload.size == 0:
        raise UploadRejected("The file is empty.", field=field)
    if upload.size > limit:
        raise UploadRejected(f"The file is larger than {_mb(limit)}.", field=field)
    ext = Path(upload.name).suffix.lower()
    if ext not in exts:
        kinds = "a WAV, FLAC or MP3 file" if field == "file" else "a zip of WAV, FLAC or MP3 stems"
        raise UploadRejected(f"Upload {kinds}.", field=field)
    return ext


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z][a-z-]*", text.lower()))


def guess_genre(text: str) -> str:
    """The catalog genre the creator's words name, for the form to prefill (cinematic if none)."""
    lowered = text.lower()
    for phrase, genre in _GENRE_WORDS.items():
        if phrase in lowered:
            return genre
    words = _words(text)
    return next((g for g in GENRES if g in words), "cinematic")


def _stems_checked(zip_upload: UploadedFile, work: Path, mix: dict) -> list[tuple[Path, str, dict]]:
    zip_path = work / "stems.zip"
    _copy_upload(zip_upload, zip_path)
    caps = stems.ZipCaps(max_total_bytes=settings.UPLOAD_STEMS_MAX_BYTES)
    try:
        paths = stems.extract(zip_path, work / "stems", caps)
    except stems.StemsRejected as exc:
        raise UploadRejected(exc.reason, field="stems") from None
    checked = []
    for path in paths:
        result = _probe("stem", path, work / "stem-probe", "stems", path.name)
        if result["sample_rate"] != mix["sample_rate"]:
            raise UploadRejected(
                f"Stem {path.name} is at {result['sample_rate']} Hz; the mix is at {mix['sample_rate']} Hz.",
                field="stems",
            )
        if abs(result["duration"] - mix["duration"]) > STEM_LENGTH_TOLERANCE_S:
            raise UploadRejected(
                f"Stem {path.name} lasts {result['duration']:.2f} s; the mix lasts {mix['duration']:.2f} s.",
                field="stems",
            )
        checked.append((path, _sha256(path), result))
    return checked


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def track_create_from_upload(
    *,
    creator: CreatorProfile,
    file: UploadedFile | None,
    title: str,
    tool_name: str,
    tool_version: str,
    tool_terms: str,
    prompt: str,
    human_contribution: str,
    disclosure_label: str,
    description: str = "",
    stems_zip: UploadedFile | None = None,
) -> Track:
    """Keep an uploaded recording as a draft track, with its declaration as the write-once provenance.

    The file must decode (by its content, not its name) as WAV, FLAC or MP3, last 5 s to 15 min, meet
    the minimum sample rate and bit depth (or MP3 bitrate), be neither silent nor clipped; stems (a zip)
    must match the mix's length and rate. Decoding runs in the sandbox. Tempo, key, loudness and energy
    are estimated to prefill the metadata; the preview is watermarked; the fingerprint is checked
    against the catalog. Raises UploadRejected (naming the field); nothing is kept then.
    """
    declaration = _declaration(
        tool_name=tool_name,
        tool_version=tool_version,
        tool_terms=tool_terms,
        prompt=prompt,
        human_contribution=human_contribution,
        disclosure_label=disclosure_label,
    )
    title = _text(title, "title", "title", required=True)
    description = _text(description, "description", "description", required=False)
    ext = _check_file(file, "file", settings.UPLOAD_MAX_BYTES, EXTENSIONS)
    if stems_zip is not None:
        _check_file(stems_zip, "stems", settings.UPLOAD_STEMS_MAX_BYTES, (".zip",))
    work = Path(tempfile.mkdtemp(prefix="upload-"))
    try:
        master_path = work / f"master{ext}"
        master_sha = _copy_upload(file, master_path)
        mix = _probe("mix", master_path, work / "probe", "file", "")
        checked_stems = _stems_checked(stems_zip, work, mix) if stems_zip is not None else []
        return _keep(
            creator=creator,
            title=title,
            description=description,
            declaration=declaration,
            mix=mix,
            probe_dir=work / "probe",
            master=(master_path, master_sha),
            checked_stems=checked_stems,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _keep(
    *,
    creator: CreatorProfile,
    title: str,
    description: str,
    declaration: dict,
    mix: dict,
    probe_dir: Path,
    master: tuple[Path, str],
    checked_stems: list[tuple[Path, str, dict]],
) -> Track:
    prompt = declaration["prompt"]
    genre = guess_genre(f"{title} {description} {prompt}")
    moods = [m for m in MOODS if m in _words(f"{title} {description} {prompt}")][:4]
    peaks = json.loads((probe_dir / "peaks.json").read_text())["peaks"]
    prints = fingerprint.from_bytes((probe_dir / "fingerprint.bin").read_bytes())
    slug = _unique_slug(title)
    embedding = track_embedding(
        track_text(title=title, description=description, genre=genre, moods=moods, prompt=prompt)
    )
    cover = draw_cover(
        slug=slug, title=title, genre=genre, mode=mix["mode"], energy=mix["energy"], peaks=peaks
    )
    master_path, master_sha = master
    analysis = {
        k: mix[k] for k in ("bpm", "key", "mode", "energy", "loudness_lufs", "duration", "sample_rate")
    }
    analysis |= {k: mix[k] for k in ("bit_depth", "bitrate_kbps", "format", "channels") if k in mix}
    saved = _Saved()
    try:
        with transaction.atomic():
            track = Track(
                slug=slug,
                title=title,
                creator=creator,
                description=description,
                genre=genre,
                moods=moods,
                instruments=[],
                mood_bits=mood_bits(moods),
                bpm=mix["bpm"],
                key=mix["key"],
                mode=mix["mode"],
                duration=round(float(mix["duration"]), 3),
                energy=mix["energy"],
                disclosure_label=declaration["disclosure_label"],
                embedding=embedding,
            )
            with open(probe_dir / "preview.mp3", "rb") as fh:
                track.preview.name = saved.save(default_storage, f"previews/{slug}.mp3", File(fh))
            with open(probe_dir / "peaks.json", "rb") as fh:
                track.peaks.name = saved.save(default_storage, f"peaks/{slug}.json", File(fh))
            track.cover.name = saved.save(default_storage, f"covers/{slug}.png", ContentFile(cover))
            track.save()
            storage = private_storage()
            master_name = f"master{master_path.suffix}"
            assets = []
            with open(master_path, "rb") as fh:
                stored = saved.save(storage, f"tracks/{slug}/{master_name}", File(fh))
            assets.append(
                TrackAsset(
                    track=track,
                    kind=TrackAsset.Kind.MASTER,
                    name="",
                    file=stored,
                    sha256=master_sha,
                    size_bytes=master_path.stat().st_size,
                    duration=track.duration,
                )
            )
            hashes = {master_name: master_sha}
            for path, sha, result in checked_stems:
                with open(path, "rb") as fh:
                    stored = saved.save(storage, f"tracks/{slug}/stems/{path.name}", File(fh))
                assets.append(
                    TrackAsset(
                        track=track,
                        kind=TrackAsset.Kind.STEM,
                        name=path.stem[:40],
                        file=stored,
                        sha256=sha,
                        size_bytes=path.stat().st_size,
                        duration=result["duration"],
                    )
                )
                hashes[f"stems/{path.name}"] = sha
            TrackAsset.objects.bulk_create(assets)
            Provenance.objects.create(
                track=track,
                engine=declaration["tool_name"],
                engine_version=declaration["tool_version"],
                prompt=prompt,
                seed=None,
                parameters={
                    "source": "upload",
                    "declaration": declaration,
                    "analysis": analysis,
                    "checks": mix["checks"] + ([_stems_check(checked_stems)] if checked_stems else []),
                },
                file_hashes=hashes,
            )
            duplicates.fingerprint_store(track=track, prints=prints)
            duplicates.duplicates_check(track=track)
            search_index_touch()
    except BaseException:
        saved.remove_all()
        raise
    return track


def _stems_check(checked: list) -> dict:
    return {"name": "Stems", "ok": True, "detail": f"{len(checked)} stems, same length and rate as the mix"}


@transaction.atomic
def track_upload_confirm(
    *,
    track: Track,
    by: User,
    title: str,
    description: str,
    genre: str,
    moods: list[str],
    bpm: int,
    key: str,
    mode: str,
    energy: str,
) -> Track:
    """The creator confirms (or corrects) the metadata the analysis prefilled on their uploaded draft,
    and submits it for review."""
    track = Track.objects.select_for_update().select_related("creator").get(pk=track.pk)
    if by is None or track.creator.user_id != by.pk:
        raise CatalogError("Only the track's creator confirms it.", field="track")
    if track.provenance.parameters.get("source") != "upload":
        raise CatalogError("Only an uploaded track is confirmed here.", field="track")
    if track.status not in (Track.Status.DRAFT, Track.Status.REJECTED):
        raise CatalogError("Only a draft can be confirmed.", field="status")
    title = _text(title, "title", "title", required=True)
    description = _text(description, "description", "description", required=False)
    checks = {
        "genre": genre in GENRES,
        "moods": isinstance(moods, list) and all(m in MOODS for m in moods),
        "bpm": type(bpm) is int and 20 <= bpm <= 300,
        "key": key in PITCH_CLASSES,
        "mode": mode in MODES,
        "energy": energy in ENERGIES,
    }
    bad = next((name for name, ok in checks.items() if not ok), None)
    if bad:
        words = {"bpm": "a tempo from 20 to 300 BPM"}
        raise CatalogError(f"Choose {words.get(bad, f'a {bad} of the catalog')}.", field=bad)
    moods = list(dict.fromkeys(moods))
    prompt = track.provenance.prompt
    track.title, track.description, track.genre, track.moods = title, description, genre, moods
    track.mood_bits = mood_bits(moods)
    track.bpm, track.key, track.mode, track.energy = bpm, key, mode, energy
    track.embedding = track_embedding(
        track_text(title=title, description=description, genre=genre, moods=moods, prompt=prompt)
    )
    track.save()
    return track_submit(track=track)
