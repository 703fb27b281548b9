"""Real audio files for upload tests, made in the test from the engine's renders (no binary fixtures)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import lameenc
import numpy as np
import soundfile
from django.core.files.uploadedfile import SimpleUploadedFile

CONTENT_TYPES = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "zip": "application/zip"}


def read(path: Path) -> tuple[np.ndarray, int]:
    return soundfile.read(str(path), dtype="float32", always_2d=True)


def encode(audio: np.ndarray, rate: int, fmt: str, *, subtype: str | None = None, kbps: int = 256) -> bytes:
    """`audio` as a WAV, FLAC or MP3 file's bytes."""
    if fmt == "mp3":
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(kbps)
        encoder.set_in_sample_rate(rate)
        encoder.set_channels(audio.shape[1])
        encoder.set_quality(7)
        pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
        return bytes(encoder.encode(pcm.tobytes()) + encoder.flush())
    out = io.BytesIO()
    soundfile.write(out, audio, rate, format=fmt.upper(), subtype=subtype or "PCM_16")
    return out.getvalue()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type=CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    )


def zip_of(files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
