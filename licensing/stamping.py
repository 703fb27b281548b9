"""Licensed files that carry their license: tags written with mutagen, then Content Credentials.

Tags first, signature last: the C2PA manifest binds a hash of the whole file (tags included), so a tag
edited after signing shows up as broken credentials. Nothing here decodes or re-encodes audio: tags go
into the file's metadata (ID3 in MP3 and in WAV's "id3 " chunk, Vorbis comments in FLAC) and the samples
are copied byte for byte. The FLAC is made from the master WAV losslessly (same samples, same bit depth).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import soundfile
from mutagen import MutagenError
from mutagen.flac import FLAC
from mutagen.id3 import ID3, TCOP, TIT2, TPE1, TXXX, WCOP
from mutagen.mp3 import MP3
from mutagen.wave import WAVE

from licensing import credentials

FORMATS = ("wav", "mp3", "flac")
# TXXX descriptions in ID3, and the same names as Vorbis comments in FLAC.
CUSTOM_KEYS = {
    "license_code": "LICENSE_CODE",
    "licensee": "LICENSEE",
    "license_tier": "LICENSE_TIER",
    "terms_sha256": "TERMS_SHA256",
    "ai_disclosure": "AI_DISCLOSURE",
    "provenance_sha256": "PROVENANCE_SHA256",
}
# IPTC digital source types (what C2PA uses to say how media was made), by the track's disclosure label.
SOURCE_TYPES = {
    "ai_generated": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    "ai_assisted": "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
    "human_made": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation",
}
GENERATOR = {"name": "Cuemarket", "version": "1"}


class StampError(Exception):
    """A file that cannot be stamped: not the format it claims, or not losslessly convertible."""


@dataclass(frozen=True)
class LicenseStamp:
    """What every delivered audio file of one license says about itself."""

    code: str
    licensee: str
    tier: str
    terms_sha256: str
    disclosure: str  # the track's disclosure label value: ai_generated, ai_assisted, human_made
    disclosure_label: str  # as people read it: "AI-generated"
    provenance_sha256: str
    verify_url: str
    copyright: str
    title: str
    creator: str
    engine: str
    engine_version: str

    def values(self) -> dict[str, str]:
        """The custom tags by key (license_code, licensee, ...)."""
        return {
            "license_code": self.code,
            "licensee": self.licensee,
            "license_tier": self.tier,
            "terms_sha256": self.terms_sha256,
            "ai_disclosure": self.disclosure_label,
            "provenance_sha256": self.provenance_sha256,
        }


# --- tags --------------------------------------------------------------------------------------------


def _id3_frames(stamp: LicenseStamp) -> list:
    frames = [
        TIT2(encoding=3, text=stamp.title),
        TPE1(encoding=3, text=stamp.creator),
        TCOP(encoding=3, text=stamp.copyright),
        WCOP(url=stamp.verify_url),
    ]
    frames += [TXXX(encoding=3, desc=CUSTOM_KEYS[k], text=v) for k, v in stamp.values().items()]
    return frames


def _write_id3(tags: ID3, stamp: LicenseStamp) -> None:
    for frame in _id3_frames(stamp):
        tags.setall(frame.HashKey, [frame])


def write_tags(path: Path, stamp: LicenseStamp, fmt: str) -> None:
    """Write the license tags into the file at `path` (format `fmt`), leaving its audio untouched.

    The container is checked by its bytes first: mutagen's MP3 reader resyncs on any frame-like bytes,
    so a WAV named .mp3 would otherwise be "tagged" as if it were one."""
    if fmt in FORMATS and container(path) != fmt:
        raise StampError(f"the file is not a {fmt.upper()} file")
    try:
        if fmt in ("wav", "mp3"):
            audio = WAVE(path) if fmt == "wav" else MP3(path)
            if audio.tags is None:
                audio.add_tags()
            _write_id3(audio.tags, stamp)
            audio.save(v2_version=4)
        elif fmt == "flac":
            audio = FLAC(path)
            if audio.tags is None:
                audio.add_tags()
            comments = {
                "TITLE": stamp.title,
                "ARTIST": stamp.creator,
                "COPYRIGHT": stamp.copyright,
                "LICENSE": stamp.verify_url,
            } | {CUSTOM_KEYS[k]: v for k, v in stamp.values().items()}
            for key, value in comments.items():
                audio[key] = [value]
            audio.save()
        else:
            raise StampError(f"{fmt} files cannot carry license tags")
    except MutagenError as exc:
        raise StampError(f"the {fmt.upper()} file cannot be tagged: {exc}") from exc


def container(path: Path) -> str | None:
    """ "wav", "flac" or "mp3" by the file's first bytes, looking past an ID3v2 tag in front (Content
    Credentials put one before a FLAC's own header); None for anything else."""
    with open(path, "rb") as fh:
        head = fh.read(12)
        if head[:3] == b"ID3" and len(head) >= 10:
            size = (
                10 + sum(b << (7 * (3 - i)) for i, b in enumerate(head[6:10])) + (10 if head[5] & 0x10 else 0)
            )
            fh.seek(size)
            after = fh.read(4)
            return "flac" if after == b"fLaC" else "mp3"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "mp3"
    return None


def read_tags(path: Path) -> dict[str, str]:
    """The license tags of an MP3, WAV or FLAC file, by key (license_code, licensee, license_tier,
    terms_sha256, ai_disclosure, provenance_sha256, copyright, verify_url, title, artist); keys the
    file lacks are left out. An unreadable file gives {}."""
    try:
        fmt = container(path)
        if fmt == "flac":
            comments = FLAC(path).tags or {}
            names = {v: k for k, v in CUSTOM_KEYS.items()} | {
                "TITLE": "title",
                "ARTIST": "artist",
                "COPYRIGHT": "copyright",
                "LICENSE": "verify_url",
            }
            found = {}
            for name, key in names.items():
                values = comments.get(name)
                if values:
                    found[key] = str(values[0])
            return found
        if fmt is None:
            return {}
        tags = WAVE(path).tags if fmt == "wav" else ID3(path)
    except (MutagenError, OSError):
        return {}
    if tags is None:
        return {}
    found = {}
    for key, desc in CUSTOM_KEYS.items():
        frame = tags.get(f"TXXX:{desc}")
        if frame is not None and frame.text:
            found[key] = str(frame.text[0])
    for frame_id, key in (("TIT2", "title"), ("TPE1", "artist"), ("TCOP", "copyright")):
        frame = tags.get(frame_id)
        if frame is not None and frame.text:
            found[key] = str(frame.text[0])
    wcop = tags.getall("WCOP")
    if wcop:
        found["verify_url"] = str(wcop[0].url)
    return found


# --- Content Credentials -----------------------------------------------------------------------------


def manifest_for(stamp: LicenseStamp) -> dict:
    """The C2PA manifest definition of a licensed file: how it was made, by whom, under which license."""
    return {
        "claim_generator_info": [GENERATOR],
        "title": f"{stamp.title} (licensed, {stamp.code})",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": SOURCE_TYPES.get(
                                stamp.disclosure, SOURCE_TYPES["ai_generated"]
                            ),
                            "softwareAgent": {"name": stamp.engine, "version": stamp.engine_version},
                        }
                    ]
                },
            },
            {
                "label": "stds.schema-org.CreativeWork",
                "data": {
                    "@context": "https://schema.org",
                    "@type": "CreativeWork",
                    "name": stamp.title,
                    "author": [{"@type": "Person", "name": stamp.creator}],
                    "copyrightNotice": stamp.copyright,
                    "license": stamp.verify_url,
                },
            },
            {
                "label": credentials.LICENSE_ASSERTION,
                "data": {
                    "code": stamp.code,
                    "licensee": stamp.licensee,
                    "tier": stamp.tier,
                    "terms_sha256": stamp.terms_sha256,
                    "provenance_sha256": stamp.provenance_sha256,
                    "ai_disclosure": stamp.disclosure_label,
                    "verify_url": stamp.verify_url,
                },
            },
        ],
    }


# --- whole files -------------------------------------------------------------------------------------


def _temp_beside(dst: Path, suffix: str) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.", suffix=suffix)
    os.close(fd)
    return Path(tmp)


def stamp_file(src: Path | BinaryIO, dst: Path, stamp: LicenseStamp, fmt: str) -> Path:
    """Copy `src` (a path or an open binary file) to `dst`, write the license tags, then sign Content
    Credentials. The copy is byte for byte; `dst` appears only when complete (temp file, rename)."""
    if fmt not in FORMATS:
        raise StampError(f"{fmt} files cannot carry a license stamp")
    dst = Path(dst)
    tmp = _temp_beside(dst, f".{fmt}")
    try:
        if isinstance(src, str | Path):
            shutil.copyfile(src, tmp)
        else:
            with open(tmp, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
        write_tags(tmp, stamp, fmt)
        credentials.sign(tmp, manifest_for(stamp), credentials.MIME_TYPES[fmt])
        os.replace(tmp, dst)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return dst


def flac_from_wav(src: Path | BinaryIO, dst: Path) -> Path:
    """A FLAC of the WAV at `src` with the same samples at the same bit depth (FLAC is lossless).

    Integer PCM of 16 or 24 bits only: FLAC cannot hold float or 32-bit samples without changing them.
    """
    dst = Path(dst)
    tmp = _temp_beside(dst, ".flac")
    try:
        try:
            with soundfile.SoundFile(src) as wav:
                if wav.format != "WAV" or wav.subtype not in ("PCM_16", "PCM_24"):
                    raise StampError(f"a {wav.format} {wav.subtype} file cannot become a lossless FLAC")
                with soundfile.SoundFile(
                    tmp,
                    "w",
                    samplerate=wav.samplerate,
                    channels=wav.channels,
                    format="FLAC",
                    subtype=wav.subtype,
                ) as flac:
                    for block in wav.blocks(blocksize=1 << 16, dtype="int32"):
                        flac.write(block)
        except (RuntimeError, soundfile.LibsndfileError) as exc:
            raise StampError(f"the master cannot be read as WAV: {exc}") from exc
        os.replace(tmp, dst)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return dst
