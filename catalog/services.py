"""Writes of the catalog: tracks made from engine output, submitting and publishing, collections and
favourites. The review desk's decisions are in catalog/review.py, creator uploads in catalog/upload.py,
fingerprints and duplicate findings in catalog/duplicates.py."""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path

import numpy as np
import soundfile
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import CreatorProfile, User
from catalog import duplicates, fingerprint
from catalog.covers import check_cover, draw_cover
from catalog.errors import CatalogError, CollectionError, TrackFilesError
from catalog.models import (
    Collection,
    CollectionItem,
    Favorite,
    Provenance,
    SearchIndexState,
    Track,
    TrackAsset,
    TrackEdit,
)
from catalog.preview import make_preview
from catalog.storage import private_storage
from catalog.taxonomy import instrument_bits, label, mood_bits
from common import embeddings
from common.vocabulary import ENERGIES, GENRES, INSTRUMENTS, MODES, MOODS, PITCH_CLASSES

# Engine manifest file kinds -> the asset kind a license delivers.
ASSET_KINDS = {
    "mix": TrackAsset.Kind.MASTER,
    "stem": TrackAsset.Kind.STEM,
    "cut": TrackAsset.Kind.CUT,
    "loop": TrackAsset.Kind.LOOP,
    "midi": TrackAsset.Kind.MIDI,
    "preview": TrackAsset.Kind.MP3,  # the engine's 192 kbps MP3 is a licensed deliverable, not the preview
}


def track_text(*, title: str, description: str, genre: str, moods: list[str], prompt: str) -> str:
    """The words a track's embedding is made from: what a buyer might type to find it.

    The instrument list is left out: the engine's arrangement adds parts nobody asked for (timpani and
    choir under a synth-bass cue), and listing them all pulled every track's meaning toward "orchestra"
    until a tense cue and a triumphant one scored alike. The instruments a prompt names are in the
    prompt; the instrument facet finds the others exactly.
    """
    parts = [title, description, f"{label(genre)} music", ", ".join(label(m).lower() for m in moods), prompt]
    return ". ".join(p for p in parts if p)


def track_embedding(text: str) -> bytes | None:
    """The stored embedding of `text` (float32 bytes), or None where the model is not installed."""
    if not embeddings.available():
        return None
    return np.asarray(embeddings.embed([text])[0], dtype="<f4").tobytes()


def search_index_touch() -> None:
    """Tell every process that searchable track data changed (their vector index reloads)."""
    # A fresh random version rather than version + 1: a transaction that bumps the counter and then
    # rolls back would otherwise let the next change reuse that number, and an index loaded inside
    # the rolled-back transaction would pass for current.
    version = secrets.randbits(62)
    updated = SearchIndexState.objects.filter(pk=1).update(version=version)
    if not updated:
        try:
            with transaction.atomic():
                SearchIndexState.objects.create(pk=1, version=version)
        except IntegrityError:  # created meanwhile by another process
            SearchIndexState.objects.filter(pk=1).update(version=version)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60] or "track"
    return f"{base}-{secrets.token_hex(3)}"


def default_title(prompt: str) -> str:
    """A readable title from a prompt when the creator gives none: its first words, title-cased."""
    words = [w for w in prompt.replace(",", " ").split() if w.isalpha()][:5]
    return " ".join(words).title()[:80] or "Untitled cue"


def _read_manifest(out_dir: Path) -> dict:
    path = out_dir / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise TrackFilesError(f"no manifest.json in {out_dir.name}", field="out_dir") from None
    except (OSError, ValueError) as exc:
        raise TrackFilesError(f"manifest.json is unreadable: {exc}", field="out_dir") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("brief"), dict):
        raise TrackFilesError("manifest.json has no brief", field="out_dir")
    brief = manifest["brief"]
    bpm = brief.get("bpm")
    checks = {
        "genre": brief.get("genre") in GENRES,
        "moods": isinstance(brief.get("moods"), list) and all(m in MOODS for m in brief["moods"]),
        "instruments": isinstance(brief.get("instruments"), list)
        and all(i in INSTRUMENTS for i in brief["instruments"]),
        "key": brief.get("key") in PITCH_CLASSES,
        "mode": brief.get("mode") in MODES,
        "energy": brief.get("energy") in ENERGIES,
        "bpm": isinstance(bpm, int | float) and not isinstance(bpm, bool) and 20 <= bpm <= 300,
        "seed": manifest.get("seed") is None
        or (type(manifest["seed"]) is int and 0 <= manifest["seed"] < 2**63),
        "engine": isinstance(manifest.get("engine"), dict)
        and all(isinstance(manifest["engine"].get(k), str) for k in ("name", "version")),
    }
    bad = [name for name, ok in checks.items() if not ok]
    if bad:
        raise TrackFilesError(f"manifest has an unknown or missing {bad[0]}", field=bad[0])
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(_file_entry_ok(f) for f in files.values()):
        raise TrackFilesError("manifest lists its files without kind, size or hash", field="out_dir")
    mix = [f for f in files.values() if f["kind"] == "mix"]
    if not mix or not isinstance(mix[0].get("duration_s"), int | float) or not mix[0]["duration_s"] > 0:
        raise TrackFilesError("manifest lists no mix with a duration", field="out_dir")
    root = out_dir.resolve()
    for rel in files:
        path = (out_dir / rel).resolve()
        if not path.is_relative_to(root):
            raise TrackFilesError(f"{rel} lies outside the output folder", field="out_dir")
        if not path.is_file():
            raise TrackFilesError(f"{rel} is listed in the manifest but missing", field="out_dir")
    return manifest


def _file_entry_ok(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("kind"), str)
        and isinstance(entry.get("bytes"), int)
        and isinstance(entry.get("sha256"), str)
        and len(entry["sha256"]) == 64
        and isinstance(entry.get("duration_s", 0.0), int | float)
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Saved:
    """Files written to storage so far, removed again if the track cannot be completed."""

    def __init__(self) -> None:
        self.files: list[tuple[Storage, str]] = []

    def save(self, storage: Storage, name: str, content: File) -> str:
        stored = storage.save(name, content)
        self.files.append((storage, stored))
        return stored

    def remove_all(self) -> None:
        for storage, name in self.files:
            storage.delete(name)


def track_create_from_output(
    *,
    creator: CreatorProfile,
    out_dir: Path,
    title: str = "",
    description: str = "",
    disclosure_label: str = Track.Disclosure.AI_GENERATED,
    publish: bool = False,
    cover: File | None = None,
    source_key: str | None = None,
) -> Track:
    """Turn one engine output folder (its manifest and files) into a draft Track with every file in
    storage: masters, stems, cuts, loop, MIDI and MP3 privately; preview, peaks and cover publicly.

    Every file must match the size and SHA-256 its manifest gives, so the provenance names exactly
    the files a license delivers. `cover` is the creator's own image (PNG, JPEG or WebP), kept as
    given; without one a cover is drawn from the track's attributes.

    Either the whole track lands (rows and files) or nothing does. With a `source_key` (whatever made
    the output names it), a second call with the same key returns the first call's track, even when the
    two calls race: the key is unique in the database.
    """
    if source_key and (made := Track.objects.filter(source_key=source_key).first()):
        return made
    if disclosure_label not in Track.Disclosure.values:
        raise TrackFilesError("Choose how the track was made.", field="disclosure_label")
    manifest = _read_manifest(out_dir)
    brief = manifest["brief"]
    prompt = str(manifest.get("prompt", brief.get("prompt", "")))
    title = (title or default_title(prompt)).strip()[:120]
    slug = _unique_slug(title)
    mix_rel = next(rel for rel, f in manifest["files"].items() if f["kind"] == "mix")
    peaks_rel = next((rel for rel, f in manifest["files"].items() if f["kind"] == "peaks"), None)
    peaks = _read_peaks(out_dir, peaks_rel) if peaks_rel else None
    cover_uploaded = cover is not None
    cover_ext = check_cover(cover) if cover is not None else "png"
    text = track_text(
        title=title,
        description=description,
        genre=brief["genre"],
        moods=list(brief["moods"]),
        prompt=prompt,
    )
    embedding = track_embedding(text)
    try:
        preview = make_preview(out_dir / mix_rel)
        prints = _fingerprint_file(out_dir / mix_rel)
    except (OSError, RuntimeError, ValueError) as exc:  # soundfile's errors are RuntimeErrors
        raise TrackFilesError(f"{mix_rel} is not audio that can be read: {exc}", field="out_dir") from None
    if cover is None:
        cover = ContentFile(
            draw_cover(
                slug=slug,
                title=title,
                genre=brief["genre"],
                mode=brief["mode"],
                energy=brief["energy"],
                peaks=peaks,
            )
        )

    saved = _Saved()
    try:
        with transaction.atomic():
            track = Track(
                slug=slug,
                title=title,
                creator=creator,
                description=description,
                genre=brief["genre"],
                moods=list(brief["moods"]),
                instruments=list(brief["instruments"]),
                mood_bits=mood_bits(brief["moods"]),
                instrument_bits=instrument_bits(brief["instruments"]),
                bpm=round(brief["bpm"]),
                key=brief["key"],
                mode=brief["mode"],
                duration=round(float(manifest["files"][mix_rel]["duration_s"]), 3),
                energy=brief["energy"],
                disclosure_label=disclosure_label,
                embedding=embedding,
                source_key=source_key or None,
            )
            track.preview.name = saved.save(default_storage, f"previews/{slug}.mp3", ContentFile(preview))
            cover.seek(0)
            track.cover.name = saved.save(default_storage, f"covers/{slug}.{cover_ext}", cover)
            track.cover_uploaded = cover_uploaded
            if peaks_rel:
                with open(out_dir / peaks_rel, "rb") as fh:
                    track.peaks.name = saved.save(default_storage, f"peaks/{slug}.json", File(fh))
            if publish:
                track.status = Track.Status.PUBLISHED
                track.published_at = timezone.now()
            track.save()
            _store_assets(track=track, out_dir=out_dir, manifest=manifest, saved=saved)
            Provenance.objects.create(
                track=track,
                engine=manifest["engine"]["name"],
                engine_version=manifest["engine"]["version"],
                prompt=prompt,
                seed=manifest.get("seed"),
                parameters={"brief": brief, "tempo": manifest.get("tempo"), "hits": manifest.get("hits")},
                file_hashes={rel: f["sha256"] for rel, f in manifest["files"].items()},
            )
            duplicates.fingerprint_store(track=track, prints=prints)
            search_index_touch()
    except IntegrityError:
        saved.remove_all()
        if source_key and (made := Track.objects.filter(source_key=source_key).first()):
            return made  # the same output was stored meanwhile by a twin delivery
        raise
    except BaseException:
        saved.remove_all()
        raise
    return track


def _fingerprint_file(path: Path) -> np.ndarray:
    audio, sample_rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return fingerprint.fingerprint(audio, sample_rate)


def _read_peaks(out_dir: Path, rel: str) -> list[float]:
    try:
        peaks = json.loads((out_dir / rel).read_text())["peaks"]
    except (OSError, ValueError, KeyError, TypeError):
        peaks = None
    if not isinstance(peaks, list) or not all(isinstance(p, int | float) for p in peaks):
        raise TrackFilesError(f"{rel} holds no list of waveform peaks", field="out_dir")
    return peaks


def _check_file(path: Path, rel: str, meta: dict) -> None:
    """The file is the one the manifest describes: same size, same SHA-256."""
    if path.stat().st_size != meta["bytes"] or _sha256(path) != meta["sha256"]:
        raise TrackFilesError(f"{rel} differs from the file its manifest describes", field="out_dir")


def _store_assets(*, track: Track, out_dir: Path, manifest: dict, saved: _Saved) -> None:
    storage = private_storage()
    assets = []
    for rel, meta in manifest["files"].items():
        _check_file(out_dir / rel, rel, meta)
        kind = ASSET_KINDS.get(meta["kind"])
        if kind is None:
            continue
        name = str(meta.get("part") or (Path(rel).stem if kind == TrackAsset.Kind.CUT else ""))[:40]
        with open(out_dir / rel, "rb") as fh:
            stored = saved.save(storage, f"tracks/{track.slug}/{rel}", File(fh))
        assets.append(
            TrackAsset(
                track=track,
                kind=kind,
                name=name,
                file=stored,
                sha256=meta["sha256"],
                size_bytes=meta["bytes"],
                duration=meta.get("duration_s"),
            )
        )
    with open(out_dir / "manifest.json", "rb") as fh:
        stored = saved.save(storage, f"tracks/{track.slug}/manifest.json", File(fh))
    assets.append(
        TrackAsset(
            track=track,
            kind=TrackAsset.Kind.MANIFEST,
            name="",
            file=stored,
            sha256=_sha256(out_dir / "manifest.json"),
            size_bytes=(out_dir / "manifest.json").stat().st_size,
        )
    )
    TrackAsset.objects.bulk_create(assets)


def track_edit_create_from_output(
    *, track: Track, requested_by: User, out_dir: Path, source_key: str
) -> TrackEdit:
    """Store an engine re-render of `track` (its output folder) as a custom edit for `requested_by`:
    the master WAV and MP3 privately, a watermarked preview and the peaks publicly.

    Idempotent by `source_key`, and all-or-nothing like track_create_from_output.
    """
    if made := TrackEdit.objects.filter(source_key=source_key).first():
        return made
    manifest = _read_manifest(out_dir)
    files = manifest["files"]
    by_kind = {f["kind"]: rel for rel, f in files.items()}
    if "preview" not in by_kind:
        raise TrackFilesError("manifest lists no MP3", field="out_dir")
    mix_rel, mp3_rel = by_kind["mix"], by_kind["preview"]
    for rel in (mix_rel, mp3_rel):
        _check_file(out_dir / rel, rel, files[rel])
    try:
        preview = make_preview(out_dir / mix_rel)
    except (OSError, RuntimeError, ValueError) as exc:
        raise TrackFilesError(f"{mix_rel} is not audio that can be read: {exc}", field="out_dir") from None
    stem = f"{track.slug}-{secrets.token_hex(4)}"
    saved = _Saved()
    try:
        with transaction.atomic():
            edit = TrackEdit(
                track=track,
                requested_by=requested_by,
                source_key=source_key,
                duration=round(float(files[mix_rel]["duration_s"]), 3),
                hits=list(manifest["brief"].get("hits") or []),
                seed=manifest.get("seed") or 0,
                master_sha256=files[mix_rel]["sha256"],
                mp3_sha256=files[mp3_rel]["sha256"],
                manifest=manifest,
            )
            edit.preview.name = saved.save(default_storage, f"edits/{stem}.mp3", ContentFile(preview))
            if "peaks" in by_kind:
                with open(out_dir / by_kind["peaks"], "rb") as fh:
                    edit.peaks.name = saved.save(default_storage, f"edits/{stem}.json", File(fh))
            storage = private_storage()
            with open(out_dir / mix_rel, "rb") as fh:
                edit.master.name = saved.save(storage, f"edits/{stem}/master.wav", File(fh))
            with open(out_dir / mp3_rel, "rb") as fh:
                edit.mp3.name = saved.save(storage, f"edits/{stem}/master.mp3", File(fh))
            edit.save()
    except IntegrityError:
        saved.remove_all()
        if made := TrackEdit.objects.filter(source_key=source_key).first():
            return made
        raise
    except BaseException:
        saved.remove_all()
        raise
    return edit


@transaction.atomic
def track_update_draft(*, track: Track, title: str, description: str, moods: list[str]) -> Track:
    """Let a creator correct the words of their unpublished track. How it was made (the disclosure
    label, the provenance) is not theirs to edit."""
    track = Track.objects.select_for_update().get(pk=track.pk)
    if track.status not in (Track.Status.DRAFT, Track.Status.REJECTED):
        raise CatalogError("Only a draft can be edited.", field="status")
    title = (title or "").strip()
    if not title:
        raise CatalogError("Give the track a title.", field="title")
    if len(title) > 120:
        raise CatalogError("Keep the title to 120 characters.", field="title")
    if len(description or "") > 4000:
        raise CatalogError("Keep the description to 4000 characters.", field="description")
    unknown = [m for m in moods if m not in MOODS]
    if unknown:
        raise CatalogError(f"{unknown[0]!r} is not a mood of the catalog.", field="moods")
    moods = list(dict.fromkeys(moods))
    provenance = Provenance.objects.filter(track=track).first()
    track.title, track.description, track.moods = title, description or "", moods
    track.mood_bits = mood_bits(moods)
    track.embedding = track_embedding(
        track_text(
            title=title,
            description=track.description,
            genre=track.genre,
            moods=moods,
            prompt=provenance.prompt if provenance else "",
        )
    )
    track.save()
    search_index_touch()
    return track


@transaction.atomic
def track_submit(*, track: Track) -> Track:
    """A creator puts their draft (or a rejected track, corrected) forward for sale: it joins the review
    queue, and its fingerprint is checked against the catalog so the reviewer sees any duplicate. A
    reviewer's approval publishes it (catalog.review.review_decide)."""
    track = Track.objects.select_for_update().get(pk=track.pk)
    if track.status not in (Track.Status.DRAFT, Track.Status.REJECTED):
        raise CatalogError("Only a draft can be submitted.", field="status")
    track.status = Track.Status.IN_REVIEW
    track.submitted_at = timezone.now()
    track.save(update_fields=["status", "submitted_at", "updated_at"])
    duplicates.duplicates_check(track=track)
    return track


@transaction.atomic
def track_sell_exclusive(*, track: Track) -> Track:
    """Take a track out of the catalog for good: it was bought outright. Licenses sold before stay valid."""
    track = Track.objects.select_for_update().get(pk=track.pk)
    track.status = Track.Status.SOLD_EXCLUSIVE
    track.save(update_fields=["status", "updated_at"])
    search_index_touch()
    return track


@transaction.atomic
def track_publish(*, track: Track) -> Track:
    """Put a track on sale. Creators reach this through review (review_decide approves); staff may call
    it directly to put a track back on sale."""
    track = Track.objects.select_for_update().get(pk=track.pk)
    track.status = Track.Status.PUBLISHED
    track.published_at = track.published_at or timezone.now()
    track.save(update_fields=["status", "published_at", "updated_at"])
    search_index_touch()
    return track


# --- collections and favourites --------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise CollectionError("Give the collection a name.", field="name")
    if len(name) > 80:
        raise CollectionError("Keep the name under 80 characters.", field="name")
    return name


@transaction.atomic
def collection_create(
    *, owner: User, name: str, description: str = "", is_public: bool = False
) -> Collection:
    """A new named collection for `owner`; names are unique per owner."""
    name = _clean_name(name)
    if Collection.objects.filter(owner=owner, name__iexact=name).exists():
        raise CollectionError("You already have a collection with this name.", field="name")
    return Collection.objects.create(owner=owner, name=name, description=description, is_public=is_public)


@transaction.atomic
def collection_update(
    *,
    collection: Collection,
    name: str | None = None,
    description: str | None = None,
    is_public: bool | None = None,
) -> Collection:
    """Rename, describe or change the visibility of a collection."""
    if name is not None:
        name = _clean_name(name)
        clash = Collection.objects.filter(owner=collection.owner, name__iexact=name).exclude(pk=collection.pk)
        if clash.exists():
            raise CollectionError("You already have a collection with this name.", field="name")
        collection.name = name
    if description is not None:
        collection.description = description
    if is_public is not None:
        collection.is_public = is_public
    collection.save()
    return collection


def collection_delete(*, collection: Collection) -> None:
    """Delete a collection (its tracks stay in the catalog)."""
    collection.delete()


@transaction.atomic
def collection_add_track(*, collection: Collection, track: Track) -> CollectionItem:
    """Add a track to a collection; adding it twice keeps one entry."""
    item, _ = CollectionItem.objects.get_or_create(collection=collection, track=track)
    Collection.objects.filter(pk=collection.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def collection_remove_track(*, collection: Collection, track: Track) -> None:
    CollectionItem.objects.filter(collection=collection, track=track).delete()
    Collection.objects.filter(pk=collection.pk).update(updated_at=timezone.now())


def favorite_set(*, user: User, track: Track, favorite: bool) -> bool:
    """Mark or unmark a track as a favourite of `user`; returns the new state. Safe to repeat."""
    if favorite:
        try:
            with transaction.atomic():
                Favorite.objects.get_or_create(user=user, track=track)
        except IntegrityError:  # the same click arrived twice at once
            pass
    else:
        Favorite.objects.filter(user=user, track=track).delete()
    return favorite
