"""The upload sandbox's inside: decode one uploaded file, check it, analyse it. No Django import.

Runs in the child process that catalog/uploads/probe.py starts under memory, CPU and output limits
(`python -m catalog.uploads.probe ROLE FILE OUT_DIR [CHECKS_JSON]`), so a hostile file can at worst
kill that process. ROLE is "mix" (checked, analysed, and a preview, peaks and fingerprint written to OUT_DIR) or
"stem" (checked only). The verdict is OUT_DIR/result.json: {"ok": true, ...} or {"ok": false, "reason"}.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import soundfile

# What the name may say, and the container libsndfile must find inside for it.
FORMATS = {".wav": ("WAV", "WAVEX", "RF64"), ".flac": ("FLAC",), ".mp3": ("MP3", "MPEG")}
BIT_DEPTHS = {"PCM_16": 16, "PCM_24": 24, "PCM_32": 32, "FLOAT": 32, "DOUBLE": 64}
MAX_CHANNELS = 2
MAX_RATE = 192_000


class Rejected(Exception):
    pass


def _limits(raw: str | None) -> dict:
    defaults = {
        "min_seconds": 5.0,
        "max_seconds": 900.0,
        "min_sample_rate": 44_100,
        "min_bit_depth": 16,
        "min_mp3_kbps": 192,
        "silence_dbfs": -60.0,
        "clip_share": 0.001,
    }
    return defaults | (json.loads(raw) if raw else {})


def _kind(path: Path, info: soundfile._SoundFileInfo) -> str:
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise Rejected("Upload a WAV, FLAC or MP3 file.")
    if info.format not in FORMATS[ext]:
        found = next((e for e, names in FORMATS.items() if info.format in names), None)
        if found:
            raise Rejected(
                f"The file is named {ext} but holds {found[1:].upper()} audio; name it for what it is."
            )
        raise Rejected(f"The file is named {ext} but is not {ext[1:].upper()} audio.")
    return ext[1:]


def _check_wav_chunks(path: Path) -> None:
    """A RIFF WAV's data chunk must hold as many bytes as it announces (libsndfile would quietly read
    what is there, so a cut-off upload would pass for a shorter recording)."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(12)
        while True:
            header = fh.read(8)
            if len(header) < 8:
                raise Rejected("The WAV file has no audio data.")
            chunk, length = header[:4], struct.unpack("<I", header[4:])[0]
            if chunk == b"data":
                if fh.tell() + length > size:
                    raise Rejected("The file is truncated: it ends before the audio its header announces.")
                return
            fh.seek(length + (length & 1), 1)


def decode(path: Path, limits: dict) -> tuple[np.ndarray, int, dict]:
    """The samples of `path` as float32 (frames, channels), its rate, and what its header says."""
    try:
        info = soundfile.info(str(path))
    except Exception:  # libsndfile refuses what it cannot parse, whatever the reason
        raise Rejected("The file is not audio that can be decoded (WAV, FLAC or MP3).") from None
    kind = _kind(path, info)
    if not 1 <= info.channels <= MAX_CHANNELS:
        raise Rejected(f"The file has {info.channels} channels; upload mono or stereo.")
    if not 8000 <= info.samplerate <= MAX_RATE:
        raise Rejected(f"The header gives an impossible sample rate ({info.samplerate} Hz).")
    if info.frames > (limits["max_seconds"] + 1) * info.samplerate:
        raise Rejected(f"The file is longer than {limits['max_seconds'] / 60:g} minutes.")
    if kind == "wav" and info.format == "WAV":
        _check_wav_chunks(path)
    try:
        with soundfile.SoundFile(str(path)) as fh:
            audio = fh.read(
                frames=int((limits["max_seconds"] + 1) * fh.samplerate), dtype="float32", always_2d=True
            )
    except Exception:
        raise Rejected("The file is damaged: its audio cannot be decoded to the end.") from None
    if kind != "mp3" and len(audio) < info.frames:  # MP3 frame counts are estimates
        raise Rejected("The file is truncated: it ends before the audio its header announces.")
    if not np.isfinite(audio).all():
        raise Rejected("The file holds samples that are not numbers.")
    header = {"format": kind, "subtype": info.subtype, "channels": info.channels}
    return audio, info.samplerate, header


def _mp3_kbps(path: Path, duration: float) -> float:
    """The MP3's bitrate as its frames (or its Xing/VBRI header) give it; tags such as cover art do
    not count. Failing that, the file's size over its duration."""
    try:
        from mutagen.mp3 import MP3

        bitrate = MP3(str(path)).info.bitrate
    except Exception:  # mutagen refuses what it cannot parse; the size is the fallback
        bitrate = 0
    return bitrate / 1000 if bitrate else path.stat().st_size * 8 / duration / 1000


def check(path: Path, audio: np.ndarray, rate: int, header: dict, limits: dict) -> list[dict]:
    """The automated checks a reviewer sees; raises Rejected at the first that fails."""
    duration = len(audio) / rate
    checks = []

    def passed(name: str, detail: str) -> None:
        checks.append({"name": name, "ok": True, "detail": detail})

    passed("Format", f"{header['format'].upper()} ({header['subtype']}), decoded to the end")
    if not limits["min_seconds"] <= duration <= limits["max_seconds"]:
        raise Rejected(
            f"The audio lasts {duration:.1f} s; it must last from {limits['min_seconds']:g} s "
            f"to {limits['max_seconds'] / 60:g} minutes."
        )
    passed("Duration", f"{duration:.1f} s")
    if rate < limits["min_sample_rate"]:
        raise Rejected(f"The sample rate is {rate} Hz; at least {limits['min_sample_rate']} Hz is needed.")
    if header["format"] == "mp3":
        kbps = _mp3_kbps(path, duration)
        if kbps < limits["min_mp3_kbps"] * 0.95:  # VBR averages sit a little under their nominal rate
            raise Rejected(f"The MP3 is {kbps:.0f} kbps; at least {limits['min_mp3_kbps']} kbps is needed.")
        header["bitrate_kbps"] = round(kbps)
        passed("Quality", f"{rate} Hz, {kbps:.0f} kbps")
    else:
        depth = BIT_DEPTHS.get(header["subtype"], 0)
        if depth < limits["min_bit_depth"]:
            raise Rejected(
                f"The audio is {header['subtype']}; at least {limits['min_bit_depth']}-bit is needed."
            )
        header["bit_depth"] = depth
        passed("Quality", f"{rate} Hz, {depth}-bit")
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    peak_db = 20 * np.log10(peak) if peak > 0 else -200.0
    if peak_db < limits["silence_dbfs"]:
        raise Rejected("The audio is silent.")
    passed("Not silent", f"peak {peak_db:.1f} dBFS")
    # Samples pinned at full scale: a mix driven past 0 dBFS and flattened there.
    clipped = float((np.abs(audio) >= 0.999).mean())
    if clipped > limits["clip_share"]:
        raise Rejected(f"The audio is clipped: {clipped:.1%} of its samples sit at full scale.")
    passed("Not clipped", f"{clipped:.3%} of samples at full scale")
    header |= {"sample_rate": rate, "duration": round(duration, 3), "peak_dbfs": round(peak_db, 1)}
    return checks


def analyse(audio: np.ndarray, rate: int, out_dir: Path) -> dict:
    """Tempo, key, loudness, energy; the preview MP3, the waveform peaks and the fingerprint as files."""
    from catalog import fingerprint
    from catalog.preview import preview_mp3
    from catalog.uploads import analysis

    loudness = analysis.loudness_lufs(audio, rate)
    bpm = analysis.tempo_bpm(audio, rate)
    key, mode = analysis.key_and_mode(audio, rate)
    peaks = analysis.waveform_peaks(audio)
    duration = len(audio) / rate
    (out_dir / "peaks.json").write_text(
        json.dumps(
            {"duration_s": round(duration, 6), "count": len(peaks), "peaks": peaks}, separators=(",", ":")
        )
    )
    (out_dir / "fingerprint.bin").write_bytes(fingerprint.to_bytes(fingerprint.fingerprint(audio, rate)))
    preview_audio, preview_rate = audio, rate
    if rate > 48_000:  # the MP3 encoder takes 48 kHz at most
        from scipy import signal

        preview_audio = signal.resample_poly(audio, 44_100 // 100, rate // 100, axis=0).astype(np.float32)
        preview_rate = 44_100
    (out_dir / "preview.mp3").write_bytes(preview_mp3(preview_audio, preview_rate))
    return {
        "bpm": bpm,
        "key": key,
        "mode": mode,
        "loudness_lufs": loudness,
        "energy": analysis.energy_of(loudness, bpm, audio, rate),
    }


def main(argv: list[str]) -> int:
    role, path, out_dir = argv[0], Path(argv[1]), Path(argv[2])
    limits = _limits(argv[3] if len(argv) > 3 else None)
    try:
        audio, rate, header = decode(path, limits)
        checks = check(path, audio, rate, header, limits)
        result = {"ok": True, **header, "checks": checks}
        if role == "mix":
            result |= analyse(audio, rate, out_dir)
    except Rejected as exc:
        result = {"ok": False, "reason": str(exc)}
    except MemoryError:
        result = {"ok": False, "reason": "The file needs more memory to decode than an upload may use."}
    (out_dir / "result.json").write_text(json.dumps(result))
    return 0
