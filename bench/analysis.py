"""Upload analysis benchmark: how well `catalog.uploads.analysis` hears tempo and key, printed as JSON.

    python bench/analysis.py [--quick] [--cache DIR] [--fresh]

The corpus is made by the project's own engine (the brief is the label): 40 cues of 20-30 s over the
twelve genres, 60-180 BPM, all 24 keys, in 4/4 and 3/4. Renders are kept under var/bench-tempo/ (only
mix.wav and manifest.json), so a rerun only analyses. Click tracks synthesised here at known tempi are
a second, engine-free check. Progress goes to stderr. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalog.uploads import analysis  # noqa: E402
from common.vocabulary import PITCH_CLASSES  # noqa: E402

TEMPO_TOLERANCE = 0.04
CACHE = ROOT / "var" / "bench-tempo"
CLICK_RATE = 44_100
CLICK_BPMS = (60, 70, 82, 90, 100, 110, 128, 140, 150, 160, 174, 180)

# One short prompt per genre; the genre, tempo, key, meter and length are explicit parameters.
GENRE_PROMPTS = {
    "cinematic": "cinematic orchestral cue with strings and drums",
    "ambient": "ambient pads with a soft pulse",
    "lofi": "lofi hip hop beat with electric piano",
    "corporate": "uplifting corporate background with piano and claps",
    "house": "deep house groove, four on the floor",
    "synthwave": "synthwave night drive with arpeggios",
    "rock": "rock track with guitars and drums",
    "folk": "acoustic folk with guitar and hand claps",
    "jazz": "jazz trio with walking bass and brushed drums",
    "trap": "trap beat with 808s and hi-hats",
    "piano": "solo piano piece",
    "world": "world percussion groove with hand drums",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def corpus(count: int, *, holdout: bool = False) -> list[dict]:
    """`count` briefs, the same on every run: tempi spread evenly over 60-180 BPM and shuffled (with a
    fixed seed) across genres, tonics stepping by fifths, modes alternating, one cue in five in 3/4.

    The holdout set is another draw (other tempi, seeds and keys) for checking that a change tuned on
    the main set carries over.
    """
    genres = list(GENRE_PROMPTS)
    bpms = np.round(np.linspace(61.5 if holdout else 60, 178.5 if holdout else 180, count)).astype(int)
    np.random.default_rng(11 if holdout else 7).shuffle(bpms)
    items = []
    for n in range(count):
        i = n + 1000 if holdout else n
        genre = genres[i % len(genres)]
        items.append(
            {
                "genre": genre,
                "prompt": GENRE_PROMPTS[genre],
                "bpm": int(bpms[n]),
                "key": f"{PITCH_CLASSES[(i * 7) % 12]} {'minor' if i % 2 else 'major'}",
                "meter": "3/4" if i % 5 == 4 else "4/4",
                "duration": 20 + 5 * (i % 3),
                "seed": i + 1,
            }
        )
    return items


def render(item: dict, cache: Path, fresh: bool) -> Path:
    """The cached folder (mix.wav, manifest.json) for `item`, rendering it first when missing."""
    from generation.engine.version import ENGINE_VERSION

    tonic, mode = item["key"].split()
    name = (
        f"{item['genre']}-{item['bpm']}-{tonic.replace('#', 's')}{mode[:3]}-"
        f"{item['meter'].replace('/', '')}-{item['duration']}s-seed{item['seed']}"
    )
    folder = cache / ENGINE_VERSION / name
    if not fresh and (folder / "mix.wav").exists() and (folder / "manifest.json").exists():
        return folder
    from generation.engine import generate, parse_prompt

    log(f"render {name}")
    brief = parse_prompt(
        item["prompt"],
        duration=item["duration"],
        bpm=item["bpm"],
        key=item["key"],
        meter=item["meter"],
        genre=item["genre"],
    )
    with tempfile.TemporaryDirectory() as tmp:
        result = generate(brief, seed=item["seed"], out_dir=Path(tmp) / "out")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(result.files["mix.wav"], folder / "mix.wav")
        shutil.copyfile(result.files["manifest.json"], folder / "manifest.json")
    return folder


def tempo_verdict(estimate: float, truth: float) -> str:
    """exact (within 4 %), double, half, or other."""
    for verdict, ratio in (("exact", 1.0), ("double", 2.0), ("half", 0.5)):
        if abs(estimate / (truth * ratio) - 1.0) <= TEMPO_TOLERANCE:
            return verdict
    return "other"


def key_verdict(estimate: tuple[str, str], truth: tuple[str, str]) -> str:
    """exact, relative (same notes, other mode), fifth (a fifth up or down, same mode), parallel (same
    tonic, other mode), or other."""
    if estimate == truth:
        return "exact"
    tonic, mode = PITCH_CLASSES.index(truth[0]), truth[1]
    est_tonic, est_mode = PITCH_CLASSES.index(estimate[0]), estimate[1]
    if est_mode != mode:
        relative = (tonic + (9 if mode == "major" else 3)) % 12
        if est_tonic == relative:
            return "relative"
        return "parallel" if est_tonic == tonic else "other"
    return "fifth" if (est_tonic - tonic) % 12 in (5, 7) else "other"


def click_track(bpm: float, seconds: float = 20.0, rate: int = CLICK_RATE) -> np.ndarray:
    """A metronome: a 2 ms noise burst with a 1 kHz ping on every beat, the downbeat of each four louder."""
    rng = np.random.default_rng(int(bpm))
    audio = np.zeros(int(seconds * rate), dtype=np.float32)
    length = int(0.03 * rate)
    t = np.arange(length) / rate
    click = (np.sin(2 * np.pi * 1000 * t) + rng.normal(0, 0.3, length)) * np.exp(-t / 0.005)
    for beat, start in enumerate(np.arange(0.1, seconds - 0.05, 60.0 / bpm)):
        i = round(start * rate)
        audio[i : i + length] += (0.8 if beat % 4 == 0 else 0.5) * click[: len(audio) - i].astype(np.float32)
    return np.stack([audio, audio], axis=1)


def share(rows: list[dict], field: str, values: tuple[str, ...]) -> float:
    return round(sum(r[field] in values for r in rows) / len(rows), 3) if rows else 0.0


def measure(items: list[dict], cache: Path, fresh: bool) -> dict:
    import soundfile

    rows, tempo_s, key_s, audio_s = [], 0.0, 0.0, 0.0
    for item in items:
        folder = render(item, cache, fresh)
        brief = json.loads((folder / "manifest.json").read_text())["brief"]
        audio, rate = soundfile.read(str(folder / "mix.wav"), dtype="float32", always_2d=True)
        started = time.perf_counter()
        bpm = analysis.tempo_bpm(audio, rate)
        tempo_s += time.perf_counter() - started
        started = time.perf_counter()
        key = analysis.key_and_mode(audio, rate)
        key_s += time.perf_counter() - started
        audio_s += len(audio) / rate
        truth = (brief["key"], brief["mode"])
        rows.append(
            {
                "genre": brief["genre"],
                "meter": brief["meter"],
                "bpm": brief["bpm"],
                "bpm_estimated": bpm,
                "tempo": tempo_verdict(bpm, brief["bpm"]),
                "key": " ".join(truth),
                "key_estimated": " ".join(key),
                "key_verdict": key_verdict(tuple(key), truth),
            }
        )
        log(
            f"{rows[-1]['genre']:>10} {brief['bpm']:>5.0f} -> {bpm:>3}  {rows[-1]['key']} -> {rows[-1]['key_estimated']}"
        )
    by_genre: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        by_genre[r["genre"]]["cues"] += 1
        by_genre[r["genre"]]["tempo_exact"] += r["tempo"] == "exact"
        by_genre[r["genre"]]["key_exact"] += r["key_verdict"] == "exact"
    minutes = audio_s / 60
    return {
        "cues": len(rows),
        "audio_s": round(audio_s, 1),
        "tempo": {
            "within_4pct": share(rows, "tempo", ("exact",)),
            "within_4pct_or_octave": share(rows, "tempo", ("exact", "double", "half")),
            "verdicts": dict(Counter(r["tempo"] for r in rows)),
            "by_meter": {
                m: share([r for r in rows if r["meter"] == m], "tempo", ("exact",))
                for m in sorted({r["meter"] for r in rows})
            },
            "abs_error_pct_median_when_exact": round(
                float(
                    np.median(
                        [abs(r["bpm_estimated"] / r["bpm"] - 1) * 100 for r in rows if r["tempo"] == "exact"]
                    )
                )
                if any(r["tempo"] == "exact" for r in rows)
                else 0.0,
                2,
            ),
        },
        "key": {
            "exact": share(rows, "key_verdict", ("exact",)),
            "up_to_relative": share(rows, "key_verdict", ("exact", "relative")),
            "up_to_relative_or_fifth": share(rows, "key_verdict", ("exact", "relative", "fifth")),
            "verdicts": dict(Counter(r["key_verdict"] for r in rows)),
        },
        "by_genre": {g: dict(c) for g, c in sorted(by_genre.items())},
        "seconds_per_audio_minute": {
            "tempo": round(tempo_s / minutes, 4),
            "key": round(key_s / minutes, 4),
        },
        "rows": [
            [
                r["genre"],
                r["meter"],
                r["bpm"],
                r["bpm_estimated"],
                r["tempo"],
                r["key"],
                r["key_estimated"],
                r["key_verdict"],
            ]
            for r in rows
        ],
    }


def clicks() -> dict:
    rows = []
    for bpm in CLICK_BPMS:
        estimate = analysis.tempo_bpm(click_track(bpm), CLICK_RATE)
        rows.append([bpm, estimate, tempo_verdict(estimate, bpm)])
    return {
        "within_4pct": round(sum(r[2] == "exact" for r in rows) / len(rows), 3),
        "within_2pct": round(sum(abs(r[1] / r[0] - 1) <= 0.02 for r in rows) / len(rows), 3),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="the first 12 cues only (one per genre)")
    parser.add_argument("--count", type=int, default=40, help="cues in the corpus (default 40)")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where renders are kept (var/bench-tempo)")
    parser.add_argument("--fresh", action="store_true", help="render again even when cached")
    parser.add_argument("--holdout", action="store_true", help="measure the holdout corpus instead")
    args = parser.parse_args()
    items = corpus(args.count, holdout=args.holdout)[: 12 if args.quick else args.count]
    load = os.getloadavg()[0]
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "load_avg_1m_start": round(load, 2),
        },
        "set": "holdout" if args.holdout else "main",
        "corpus": measure(items, args.cache, args.fresh),
        "clicks": clicks(),
    }
    result["machine"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
