"""Engine benchmark: speed, peak memory and adherence to the brief, printed as one JSON object.

    python bench/engine.py [--quick] [--out DIR]

Progress goes to stderr. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SPEED_PROMPT = "driving synthwave night drive, 104 bpm"
SPEED_DURATION_S = 120.0
TEMPO_TOLERANCE = 0.04
ANALYSIS_RATE = 22050
WRAP = 256  # samples of a loop's other end placed around it before oversampling

# (expected genre, prompt, explicit parameters). The first prompt of each genre forms the --quick set.
PROMPTS: list[tuple[str, str, dict]] = [
    ("cinematic", "epic orchestral trailer with thundering drums and soaring brass", {}),
    ("cinematic", "dark cinematic tension, low strings, D minor, 92 bpm", {}),
    ("cinematic", "hopeful film score, gentle strings building to a triumphant finale", {}),
    ("ambient", "calm ambient pad for meditation, slowly evolving textures", {}),
    ("ambient", "dreamy atmospheric soundscape, floating and spacious", {}),
    ("ambient", "mysterious dark drone, deep space ambience", {"key": "F# minor"}),
    ("lofi", "chill lo-fi hip hop beat to study to, dusty and warm", {}),
    ("lofi", "nostalgic lofi beats with mellow electric piano, 80 bpm", {}),
    ("lofi", "rainy evening lo-fi, sleepy jazzy chords", {}),
    ("corporate", "uplifting corporate background music for a product video", {}),
    ("corporate", "bright happy upbeat pop for an explainer, claps and piano", {}),
    ("corporate", "inspiring motivational corporate track in G major", {}),
    ("house", "deep house groove with a four on the floor kick, 124 bpm", {}),
    ("house", "energetic electronic dance track for a party", {}),
    ("house", "melodic progressive house, euphoric and bright", {}),
    ("synthwave", "driving synthwave night drive, neon retro 80s", {}),
    ("synthwave", "dark retrowave with pulsing arpeggios, A minor", {}),
    ("synthwave", "nostalgic outrun sunset, warm analog synths", {"bpm": 96}),
    ("rock", "energetic rock anthem with distorted guitars and big drums", {}),
    ("rock", "aggressive hard rock riff, 140 bpm", {}),
    ("rock", "indie rock, upbeat and playful, bright guitars", {}),
    ("folk", "warm acoustic folk with fingerpicked guitar", {}),
    ("folk", "happy campfire song with banjo and hand claps", {}),
    ("folk", "melancholic acoustic ballad, sad and intimate", {"key": "E minor"}),
    ("folk", "lively celtic jig in 6/8 with fiddle and flute", {}),
    ("jazz", "smooth jazz lounge with saxophone and brushed drums", {}),
    ("jazz", "late night jazz trio, romantic and relaxed", {}),
    ("jazz", "upbeat swing jazz with walking bass, 160 bpm", {}),
    ("trap", "hard trap beat with 808s and rolling hi-hats", {}),
    ("trap", "dark hip hop instrumental, menacing and aggressive", {}),
    ("trap", "chill hip hop beat with a boom bap groove, 90 bpm", {}),
    ("piano", "solo piano, gentle and reflective", {}),
    ("piano", "sad romantic piano piece in C minor", {}),
    ("piano", "playful bright solo piano melody", {}),
    ("piano", "a tender solo piano waltz, nostalgic", {}),
    ("world", "african percussion groove with hand drums and kalimba", {}),
    ("world", "middle eastern mystical journey with sitar and hand percussion", {}),
    ("world", "tribal taiko drums, powerful and epic", {"bpm": 110}),
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def summary(values: list[float], digits: int = 3) -> dict:
    """min / max / mean / std / median of a list of numbers."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0:
        return {}
    return {
        "n": int(arr.size),
        "min": round(float(arr.min()), digits),
        "max": round(float(arr.max()), digits),
        "mean": round(float(arr.mean()), digits),
        "std": round(float(arr.std()), digits),
        "median": round(float(np.median(arr)), digits),
    }


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """(channels, samples) float64 audio and its sample rate."""
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float64", always_2d=True)
    return data.T, rate


def true_peak_db(audio: np.ndarray) -> float:
    """4x oversampled peak in dBTP (ITU-R BS.1770 Annex 2 style)."""
    from scipy.signal import resample_poly

    up = resample_poly(audio, 4, 1, axis=1)
    return float(20 * np.log10(max(float(np.abs(up).max()), 1e-12)))


def check_files(out_dir: Path, brief: dict) -> dict:
    """Loudness, true peak, stem null residual and duration errors measured from the delivered WAVs."""
    import pyloudnorm

    mix, rate = read_wav(out_dir / "mix.wav")
    meter = pyloudnorm.Meter(rate)
    result: dict = {
        "mix_lufs": meter.integrated_loudness(mix.T),
        "mix_true_peak_dbtp": true_peak_db(mix),
        "mix_duration_error_ms": abs(mix.shape[1] / rate - brief["duration_s"]) * 1000,
    }
    total = np.zeros_like(mix)
    for path in sorted((out_dir / "stems").glob("*.wav")):
        stem, _ = read_wav(path)
        total[:, : stem.shape[1]] += stem[:, : mix.shape[1]]
    residual = np.sqrt(np.mean((mix - total) ** 2)) / max(np.sqrt(np.mean(mix**2)), 1e-12)
    result["stem_null_db"] = float(20 * np.log10(max(residual, 1e-12)))
    result["cuts"] = {}
    for path in sorted((out_dir / "cuts").glob("*s.wav")):
        cut, _ = read_wav(path)
        nominal = float(path.stem.rstrip("s"))
        result["cuts"][path.stem] = {
            "lufs": meter.integrated_loudness(cut.T),
            "true_peak_dbtp": true_peak_db(cut),
            "duration_error_ms": abs(cut.shape[1] / rate - nominal) * 1000,
        }
    loop, _ = read_wav(out_dir / "loop.wav")
    result["loop"] = {
        "lufs": meter.integrated_loudness(loop.T),
        # played on repeat, the end runs into the start: measure the wrapped signal, not a zero-padded one
        "true_peak_dbtp": true_peak_db(np.concatenate([loop[:, -WRAP:], loop, loop[:, :WRAP]], axis=1)),
        "duration_s": loop.shape[1] / rate,
    }
    return result


def one_track(out_dir: Path) -> dict:
    """Generate the speed prompt once in this (fresh) process and report its peak RSS at each step."""
    figures = {"rss_start_mib": rss_mib()}
    from generation.engine import generate, parse_prompt

    figures["rss_after_import_mib"] = rss_mib()
    brief = parse_prompt(SPEED_PROMPT, duration=SPEED_DURATION_S)
    figures["rss_after_parse_mib"] = rss_mib()
    started = time.perf_counter()
    generate(brief, seed=1, out_dir=out_dir)
    figures["generate_s"] = round(time.perf_counter() - started, 3)
    figures["rss_peak_after_generate_mib"] = rss_mib()
    figures["generate_delta_mib"] = round(
        figures["rss_peak_after_generate_mib"] - figures["rss_after_parse_mib"], 1
    )
    return figures


def measure_memory(work: Path) -> dict:
    """Run `--one-track` in a child process so imports made by the benchmark itself don't count."""
    log("memory: one 120 s track in a fresh process")
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--one-track", "--out", str(work / "memory")],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]}
    return json.loads(proc.stdout)


def measure_speed(work: Path, repeats: int) -> dict:
    """Cold model load, then `repeats` timed parse_prompt + generate runs of one 120 s track."""
    import torch

    started = time.perf_counter()
    from generation.engine import generate, parse_prompt

    import_s = time.perf_counter() - started
    started = time.perf_counter()
    parse_prompt("warm up the prompt model", duration=10)
    cold_s = time.perf_counter() - started
    started = time.perf_counter()
    parse_prompt(SPEED_PROMPT, duration=SPEED_DURATION_S)
    first_s = time.perf_counter() - started
    runs = []
    for index in range(repeats):
        log(f"speed: run {index + 1}/{repeats}")
        started = time.perf_counter()
        brief = parse_prompt(SPEED_PROMPT, duration=SPEED_DURATION_S)
        parse_s = time.perf_counter() - started
        started = time.perf_counter()
        result = generate(brief, seed=1, out_dir=work / f"speed{index}")
        runs.append({"parse_s": parse_s, "generate_s": time.perf_counter() - started, "result": result})
    gen = [r["generate_s"] for r in runs]
    stages = sorted({s for r in runs for s in r["result"].manifest["timings_s"]})
    hashes = [{k: v["sha256"] for k, v in r["result"].manifest["files"].items()} for r in runs]
    first = runs[0]["result"]
    return {
        "prompt": SPEED_PROMPT,
        "duration_s": SPEED_DURATION_S,
        "repeats": repeats,
        "torch_threads": torch.get_num_threads(),
        "import_engine_s": round(import_s, 3),
        "parse_cold_s": round(cold_s, 3),
        "parse_warm_first_s": round(first_s, 4),
        "parse_warm_repeat_s": {
            "median": round(statistics.median(r["parse_s"] for r in runs), 4),
            "min": round(min(r["parse_s"] for r in runs), 4),
        },
        "generate_s": {
            "median": round(statistics.median(gen), 3),
            "min": round(min(gen), 3),
            "all": [round(g, 3) for g in gen],
        },
        "realtime_factor": {
            "median": round(SPEED_DURATION_S / statistics.median(gen), 1),
            "best": round(SPEED_DURATION_S / min(gen), 1),
        },
        "stages_s": {
            s: {
                "median": round(
                    statistics.median(r["result"].manifest["timings_s"].get(s, 0.0) for r in runs), 3
                ),
                "min": round(min(r["result"].manifest["timings_s"].get(s, 0.0) for r in runs), 3),
            }
            for s in stages
        },
        "identical_files_across_repeats": all(h == hashes[0] for h in hashes),
        "brief": {
            k: first.manifest["brief"][k] for k in ("genre", "bpm", "key", "mode", "meter", "instruments")
        },
        "checks": rounded(check_files(first.out_dir, first.manifest["brief"])),
        "engine": first.manifest["engine"],
    }


def rounded(value, digits: int = 2):
    """Round every float in a nested structure, for a readable report."""
    if isinstance(value, float):
        return round(value, digits) if np.isfinite(value) else None  # JSON has no NaN or infinity
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v, digits) for v in value]
    return value


def tempo_verdict(estimated: float, bpm: float) -> str:
    """ "ok" within 4 %, "octave" within 4 % of double or half, else "wrong"."""
    if abs(estimated / bpm - 1) <= TEMPO_TOLERANCE:
        return "ok"
    if any(abs(estimated / (bpm * f) - 1) <= TEMPO_TOLERANCE for f in (2.0, 0.5)):
        return "octave"
    return "wrong"


def midi_key(path: Path):
    """KS key of the score's own notes (duration-weighted, drums excluded): tells composer from renderer."""
    import pretty_midi

    from bench.keyfind import estimate_key_from_chroma

    histogram = pretty_midi.PrettyMIDI(str(path)).get_pitch_class_histogram(use_duration=True)
    return estimate_key_from_chroma(histogram) if np.any(histogram) else None


def analyse_one(out_dir: Path, manifest: dict, expected_genre: str) -> dict:
    """Tempo and key recovered from the mix, and the file checks, for one adherence prompt."""
    import librosa

    from bench.keyfind import estimate_key, same_key_up_to_relative

    brief = manifest["brief"]
    mix, rate = read_wav(out_dir / "mix.wav")
    mono = librosa.resample(mix.mean(axis=0), orig_sr=rate, target_sr=ANALYSIS_RATE)
    tempo, _ = librosa.beat.beat_track(y=mono, sr=ANALYSIS_RATE)
    estimated_bpm = float(np.atleast_1d(tempo)[0])
    key = estimate_key(mono, ANALYSIS_RATE)
    target = (brief["key"], brief["mode"])
    from_midi = midi_key(out_dir / "score.mid")
    return {
        "genre": brief["genre"],
        "genre_as_expected": brief["genre"] == expected_genre,
        "meter": brief["meter"],
        "bpm": brief["bpm"],
        "bpm_estimated": round(estimated_bpm, 1),
        "tempo": tempo_verdict(estimated_bpm, brief["bpm"]),
        "key": f"{brief['key']} {brief['mode']}",
        "key_estimated": key.name,
        "key_correlation": round(key.correlation, 3),
        "key_result": "exact"
        if (key.tonic, key.mode) == target
        else "relative"
        if same_key_up_to_relative((key.tonic, key.mode), target)
        else "wrong",
        "key_from_midi": from_midi.name if from_midi else None,
        "checks": check_files(out_dir, brief),
    }


def measure_adherence(work: Path, quick: bool) -> dict:
    """Generate each prompt, recover tempo and key from the audio, and measure loudness and files."""
    from generation.engine import generate, parse_prompt

    seen: set[str] = set()
    prompts = [p for p in PROMPTS if not (p[0] in seen or seen.add(p[0]))] if quick else PROMPTS
    duration = 20.0 if quick else 30.0
    rows: list[dict] = []
    failures: list[list[str]] = []
    parse_times: list[float] = []
    for index, (expected, text, params) in enumerate(prompts):
        log(f"adherence: {index + 1}/{len(prompts)} {text!r}")
        try:
            started = time.perf_counter()
            brief = parse_prompt(text, duration=duration, **params)
            parse_times.append(time.perf_counter() - started)
            result = generate(brief, seed=index, out_dir=work / f"adherence{index:02d}")
        except Exception as exc:  # one failing prompt is a finding to report, not a reason to stop
            log(f"  failed: {type(exc).__name__}: {exc}")
            failures.append([text, f"{type(exc).__name__}: {exc}"])
            continue
        row = analyse_one(result.out_dir, result.manifest, expected)
        row["manifest_lufs"] = result.manifest["loudness"]["integrated_lufs"]
        rows.append({"prompt": text, **params, **row})
    report = rounded(adherence_report(rows, duration))
    return {**report, "parse_warm_s": summary(parse_times, 4), "failed": failures}


def adherence_report(rows: list[dict], duration: float) -> dict:
    """Shares, spreads and per-prompt tables from the analysed rows."""
    n = len(rows)
    if not n:
        return {"prompts": 0}
    checks = [r["checks"] for r in rows]
    cuts = [c for ch in checks for c in ch["cuts"].values()]
    share = lambda field, value: round(sum(r[field] == value for r in rows) / n, 3)  # noqa: E731
    by_genre: dict[str, dict] = {}
    for r in rows:
        g = by_genre.setdefault(r["genre"], {"n": 0, "tempo_ok": 0, "key_exact": 0, "key_relative_ok": 0})
        g["n"] += 1
        g["tempo_ok"] += r["tempo"] == "ok"
        g["key_exact"] += r["key_result"] == "exact"
        g["key_relative_ok"] += r["key_result"] != "wrong"
    return {
        "prompts": n,
        "duration_s": duration,
        "genre_parsed_as_expected": share("genre_as_expected", True),
        "tempo": {
            "within_4pct": share("tempo", "ok"),
            "octave_error": share("tempo", "octave"),
            "wrong": share("tempo", "wrong"),
            "table": [
                [r["prompt"], r["genre"], r["meter"], r["bpm"], r["bpm_estimated"], r["tempo"]] for r in rows
            ],
        },
        "key": {
            "exact": share("key_result", "exact"),
            "up_to_relative": round(share("key_result", "exact") + share("key_result", "relative"), 3),
            "midi_notes_exact": round(sum(r["key_from_midi"] == r["key"] for r in rows) / n, 3),
            "table": [
                [
                    r["prompt"],
                    r["key"],
                    r["key_estimated"],
                    r["key_correlation"],
                    r["key_result"],
                    r["key_from_midi"],
                ]
                for r in rows
            ],
        },
        "by_genre": by_genre,
        "loudness_lufs": {
            "mix": summary([c["mix_lufs"] for c in checks], 2),
            "cuts": summary([c["lufs"] for c in cuts], 2),
            "loops": summary([c["loop"]["lufs"] for c in checks], 2),
            "manifest_vs_measured_max_abs": round(
                max(abs(r["manifest_lufs"] - r["checks"]["mix_lufs"]) for r in rows), 3
            ),
        },
        "true_peak_dbtp_max": {
            "mix": max(c["mix_true_peak_dbtp"] for c in checks),
            "cuts": max((c["true_peak_dbtp"] for c in cuts), default=None),
            "loops": max(c["loop"]["true_peak_dbtp"] for c in checks),
        },
        "files_table": [
            [
                r["prompt"],
                r["checks"]["mix_lufs"],
                r["checks"]["mix_true_peak_dbtp"],
                max((c["true_peak_dbtp"] for c in r["checks"]["cuts"].values()), default=None),
                r["checks"]["loop"]["true_peak_dbtp"],
                r["checks"]["stem_null_db"],
            ]
            for r in rows
        ],
        "stem_null_worst_db": round(max(c["stem_null_db"] for c in checks), 1),
        "duration_error_max_ms": {
            "mix": round(max(c["mix_duration_error_ms"] for c in checks), 3),
            "cuts": round(max((c["duration_error_ms"] for c in cuts), default=0.0), 3),
        },
    }


def to_json(value, indent: int = 0) -> str:
    """JSON with one key per line but every list of plain values (a table row) kept on one line."""
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(str(k))}: {to_json(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(inner + to_json(v, indent + 1) for v in value) + f"\n{pad}]"
    return json.dumps(value)


def machine() -> dict:
    """What the figures were measured on, and how busy it was."""
    import torch

    return {
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="12 prompts at 20 s instead of 38 at 30 s")
    parser.add_argument("--out", help="keep the generated files here (default: a temporary folder)")
    parser.add_argument("--repeats", type=int, default=3, help="timed 120 s generations (default 3)")
    parser.add_argument("--one-track", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="engine-bench-") as scratch:
        work = Path(args.out) if args.out else Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        if args.one_track:
            print(json.dumps(one_track(work / "one-track")))
            return 0
        started = time.perf_counter()
        # the child inherits this process's peak RSS figure, so it runs before torch is imported here
        memory = measure_memory(work)
        report: dict = {"machine": machine(), "memory": memory}
        report["speed"] = measure_speed(work, args.repeats)
        report["engine"] = report["speed"].pop("engine")
        report["adherence"] = measure_adherence(work, args.quick)
        report["machine"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
        report["elapsed_s"] = round(time.perf_counter() - started, 1)
    print(to_json(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
