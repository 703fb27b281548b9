"""Every write to the catalog: tracks made from engine output, publishing, collections, favourites."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import numpy as np
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import CreatorProfile, User
from catalog.covers import draw_cover
from catalog.errors import CollectionError, TrackFilesError
from catalog.models import (
    Collection,
    CollectionItem,
    Favorite,
    Provenance,
    SearchIndexState,
    Track,
    TrackAsset,
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


def track_text(
    *, title: str, description: str, genre: str, moods: list[str], instruments: list[str], prompt: str
) -> str:
    """The words a track's embedding is made from: what a buyer might type to find it."""
    parts = [
        title,
        description,
        f"{label(genre)} music",
        ", ".join(label(m).lower() for m in moods),
        ", ".join(label(i).lower() for i in instruments),
        prompt,
    ]
    return ". ".join(p for p in parts if p)


def track_embedding(text: str) -> bytes | None:
    """The stored embedding of `text` (float32 bytes), or None where the model is not installed."""
    if not embeddings.available():
        return None
    return np.asarray(embeddings.embed([text])[0], dtype="<f4").tobytes()


def search_index_touch() -> None:
    """Tell every process that searchable track data changed (their vector index reloads)."""
    updated = SearchIndexState.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        try:
            with transaction.atomic():
                SearchIndexState.objects.create(pk=1, version=1)
        except IntegrityError:  # created meanwhile by another process
            SearchIndexState.objects.filter(pk=1).update(version=F("version") + 1)


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
    brief = manifest.get("brief") or {}
    checks = {
        "genre": brief.get("genre") in GENRES,
        "moods": all(m in MOODS for m in brief.get("moods", ())),
        "instruments": all(i in INSTRUMENTS for i in brief.get("instruments", ())),
        "key": brief.get("key") in PITCH_CLASSES,
        "mode": brief.get("mode") in MODES,
        "energy": brief.get("energy") in ENERGIES,
    }
    bad = [name for name, ok in checks.items() if not ok]
    if bad:
        raise TrackFilesError(f"manifest has an unknown {bad[0]}", field=bad[0])
    files = manifest.get("files") or {}
    if not any(f.get("kind") == "mix" for f in files.values()):
        raise TrackFilesError("manifest lists no mix", field="out_dir")
    for rel in files:
        if not (out_dir / rel).is_file():
            raise TrackFilesError(f"{rel} is listed in the manifest but missing", field="out_dir")
    return manifest


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
) -> Track:
    """Turn one engine output folder (its manifest and files) into a draft Track with every file in
    storage: masters, stems, cuts, loop, MIDI and MP3 privately; preview, peaks and cover publicly.

    Either the whole track lands (rows and files) or nothing does.
    """
    manifest = _read_manifest(out_dir)
    brief = manifest["brief"]
    prompt = manifest.get("prompt", brief.get("prompt", ""))
    title = (title or default_title(prompt)).strip()[:120]
    slug = _unique_slug(title)
    mix_rel = next(rel for rel, f in manifest["files"].items() if f["kind"] == "mix")
    peaks_rel = next((rel for rel, f in manifest["files"].items() if f["kind"] == "peaks"), None)
    peaks = json.loads((out_dir / peaks_rel).read_text())["peaks"] if peaks_rel else None
    text = track_text(
        title=title,
        description=description,
        genre=brief["genre"],
        moods=list(brief["moods"]),
        instruments=list(brief["instruments"]),
        prompt=prompt,
    )
    embedding = track_embedding(text)
    preview = make_preview(out_dir / mix_rel)
    cover = draw_cover(
        slug=slug, title=title, genre=brief["genre"], mode=brief["mode"], energy=brief["energy"], peaks=peaks
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
            )
            track.preview.name = saved.save(default_storage, f"previews/{slug}.mp3", ContentFile(preview))
            track.cover.name = saved.save(default_storage, f"covers/{slug}.png", ContentFile(cover))
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
            search_index_touch()
    except BaseException:
        saved.remove_all()
        raise
    return track


def _store_assets(*, track: Track, out_dir: Path, manifest: dict, saved: _Saved) -> None:
    storage = private_storage()
    assets = []
    for rel, meta in manifest["files"].items():
        kind = ASSET_KINDS.get(meta["kind"])
        if kind is None:
            continue
        name = meta.get("part") or (Path(rel).stem if kind == TrackAsset.Kind.CUT else "")
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
            sha256="",
            size_bytes=(out_dir / "manifest.json").stat().st_size,
        )
    )
    TrackAsset.objects.bulk_create(assets)


@transaction.atomic
def track_publish(*, track: Track) -> Track:
    """Put a track on sale. (Review comes first once the review desk exists.)"""
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
