"""Stamping benchmark: copying a 5-minute file versus stamping it (tags, then signed Content Credentials),
for WAV, MP3 and FLAC, printed as one JSON object.

    python bench/licensing.py [--seconds 300] [--repeats 3] [--bits 24]

The WAV is synthesised with numpy (44.1 kHz stereo, 24-bit PCM by default); the MP3 is encoded from it
with lameenc (320 kbps) and the FLAC made from it losslessly, neither of them timed. `copy_s` is a
plain file copy (`shutil.copyfile`: the kernel's, the bytes never reach Python) and `ratio` is stamp_s
over it; `copy_stream_s` a copy through Python file objects (how a file read from storage is copied) and
`ratio_to_stream_copy` stamp_s over that; `read_hash_write_s` one pass that
reads, hashes (SHA-256) and writes the file, the least any hash binding costs; `copy_and_tag_s` the
copy plus the tags alone (no credentials); `stamp_s` is
`licensing.stamping.stamp_file` (copy, tag, sign), `read_credentials_s` reading the credentials back
(which hashes the file again); each figure is the median of the repeats. `samples_identical` checks that
stamping left the decoded audio untouched. Everything happens in a temporary folder, with a local
signing CA of its own. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def synthesise(path: Path, seconds: float, bits: int) -> None:
    """A stereo tone cluster with a little noise: enough entropy that nothing compresses it away."""
    import soundfile

    rate = 44100
    rng = np.random.default_rng(1)
    with soundfile.SoundFile(path, "w", samplerate=rate, channels=2, subtype=f"PCM_{bits}") as out:
        block = rate * 10
        for start in range(0, int(seconds * rate), block):
            t = (np.arange(start, min(start + block, int(seconds * rate))) / rate)[:, None]
            tone = 0.2 * np.sin(2 * np.pi * np.array([220.0, 330.0]) * t) + 0.1 * np.sin(2 * np.pi * 55.0 * t)
            out.write((tone + 0.01 * rng.standard_normal(tone.shape)).astype(np.float32))


def encode_mp3(wav: Path, mp3: Path) -> None:
    import lameenc
    import soundfile

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(320)
    encoder.set_in_sample_rate(44100)
    encoder.set_channels(2)
    encoder.set_quality(5)
    with open(mp3, "wb") as out, soundfile.SoundFile(wav) as source:
        for block in source.blocks(blocksize=44100 * 10, dtype="int16"):
            out.write(encoder.encode(np.ascontiguousarray(block)))
        out.write(encoder.flush())


def stream_copy(source: Path, dst: Path) -> None:
    """A copy through Python file objects, as a file read from storage (`Storage.open()`) is copied."""
    with open(source, "rb") as fh, open(dst, "wb") as out:
        shutil.copyfileobj(fh, out, 1 << 20)


def read_hash_write(source: Path, dst: Path) -> None:
    """One pass of what any hard binding of content needs: read, SHA-256, write."""
    digest = hashlib.sha256()
    with open(source, "rb") as fh, open(dst, "wb") as out:
        while block := fh.read(1 << 22):
            digest.update(block)
            out.write(block)


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--bits", type=int, choices=(16, 24), default=24)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-licensing-"))
    os.environ["VAR_DIR"] = str(work / "var")  # the local signing CA goes here, not into var/
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import soundfile

    from licensing import credentials
    from licensing.stamping import LicenseStamp, flac_from_wav, read_tags, stamp_file, write_tags

    stamp = LicenseStamp(
        code="LIC-7K2M-9QXD-4HTV",
        licensee="Northwind Films",
        tier="Commercial",
        terms_sha256="a" * 64,
        disclosure="ai_generated",
        disclosure_label="AI-generated",
        provenance_sha256="b" * 64,
        verify_url="http://127.0.0.1:8000/licenses/verify/LIC-7K2M-9QXD-4HTV",
        copyright="© 2026 Nadia Okafor. Licensed to Northwind Films under LIC-7K2M-9QXD-4HTV.",
        title="Bench cue",
        creator="Nadia Okafor",
        engine="procedural",
        engine_version="0.1.0",
    )
    try:
        sources = {"wav": work / "source.wav", "mp3": work / "source.mp3", "flac": work / "source.flac"}
        log(f"synthesising {args.seconds:g} s of {args.bits}-bit stereo WAV")
        synthesise(sources["wav"], args.seconds, args.bits)
        log("encoding the MP3 and the FLAC (not timed)")
        encode_mp3(sources["wav"], sources["mp3"])
        flac_from_wav(sources["wav"], sources["flac"])
        credentials.ensure_local_ca()  # created once, before timing

        results = {}
        for fmt, source in sources.items():
            log(f"{fmt}: copy and stamp, {args.repeats} times each")
            copy_times = timed(lambda s=source, f=fmt: shutil.copyfile(s, work / f"copy.{f}"), args.repeats)
            stream_times = timed(lambda s=source, f=fmt: stream_copy(s, work / f"stream.{f}"), args.repeats)
            pass_times = timed(lambda s=source, f=fmt: read_hash_write(s, work / f"pass.{f}"), args.repeats)

            def tag_only(s=source, f=fmt):
                shutil.copyfile(s, work / f"tagged.{f}")
                write_tags(work / f"tagged.{f}", stamp, f)

            tag_times = timed(tag_only, args.repeats)
            dst = work / f"stamped.{fmt}"
            stamp_times = timed(lambda s=source, d=dst, f=fmt: stamp_file(s, d, stamp, f), args.repeats)
            read_times = timed(
                lambda d=dst, f=fmt: credentials.read(d, credentials.MIME_TYPES[f]), args.repeats
            )
            report = credentials.read(dst, credentials.MIME_TYPES[fmt])
            identical = None
            if fmt in ("wav", "flac"):
                before, _ = soundfile.read(sources["wav"], dtype="int32")
                after, _ = soundfile.read(dst, dtype="int32")
                identical = bool(np.array_equal(before, after))
                del before, after
            copy_s, stamp_s = statistics.median(copy_times), statistics.median(stamp_times)
            results[fmt] = {
                "bytes": source.stat().st_size,
                "stamped_bytes": dst.stat().st_size,
                "copy_s": round(copy_s, 4),
                "stamp_s": round(stamp_s, 4),
                "ratio": round(stamp_s / copy_s, 2) if copy_s else None,
                "copy_stream_s": round(statistics.median(stream_times), 4),
                "ratio_to_stream_copy": round(stamp_s / statistics.median(stream_times), 2),
                "read_hash_write_s": round(statistics.median(pass_times), 4),
                "copy_and_tag_s": round(statistics.median(tag_times), 4),
                "stamp_over_read_hash_write": round(stamp_s / statistics.median(pass_times), 2),
                "read_credentials_s": round(statistics.median(read_times), 4),
                "copy_runs_s": [round(t, 4) for t in copy_times],
                "stamp_runs_s": [round(t, 4) for t in stamp_times],
                "credentials_valid": report.valid,
                "tags_read_back": read_tags(dst).get("license_code") == stamp.code,
                "samples_identical": identical,
            }
        output = {
            "audio": {"seconds": args.seconds, "sample_rate": 44100, "channels": 2, "bits": args.bits},
            "repeats": args.repeats,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "c2pa": __import__("c2pa").sdk_version(),
                "load_1m": round(os.getloadavg()[0], 2),
            },
            "formats": results,
        }
        print(json.dumps(output, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
