"""Command line: python -m generation.engine "prompt" --duration 45 --seed 7 --out DIR."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from generation.engine.errors import EngineError

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generation.engine",
        description="Turn a text prompt into a mastered cue with stems, cuts, loop, MIDI and a manifest.",
    )
    parser.add_argument("prompt", help="what the music should be, up to 500 characters")
    parser.add_argument("--out", required=True, help="output folder (new, empty, or a previous output)")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same music (default 0)")
    parser.add_argument("--duration", help="seconds, or m:ss (5 s to 10 min; default 60)")
    parser.add_argument("--bpm", type=float, help="tempo, 40-220")
    parser.add_argument("--key", help='key, e.g. "D minor", "F#", "Bb major"')
    parser.add_argument("--energy", help="low, medium or high")
    parser.add_argument("--hits", help="comma-separated seconds for accented section changes, e.g. 12.5,31.0")
    parser.add_argument(
        "--soundfont",
        default=os.environ.get("ENGINE_SOUNDFONT") or None,
        help="General MIDI SoundFont (.sf2) to render with (default: ENGINE_SOUNDFONT, then an installed one)",
    )
    parser.add_argument("--json", action="store_true", help="print the manifest as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 success, 2 bad input or unwritable output)."""
    args = build_parser().parse_args(argv)
    from generation.engine import generate, parse_prompt

    overrides = {
        name: getattr(args, name)
        for name in ("duration", "bpm", "key", "energy", "hits")
        if getattr(args, name) is not None
    }

    def progress(stage: str, fraction: float) -> None:
        if not args.quiet:
            print(f"[{fraction:4.0%}] {stage}", file=sys.stderr)

    try:
        brief = parse_prompt(args.prompt, **overrides)
        result = generate(
            brief, seed=args.seed, out_dir=args.out, progress=progress, soundfont=args.soundfont
        )
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.manifest, indent=2))
    else:
        b = result.manifest["brief"]
        print(
            f"{result.out_dir}: {b['genre']} in {b['key']} {b['mode']}, {b['bpm']:g} BPM, "
            f"{b['duration_s']:g} s, {result.loudness_lufs:.1f} LUFS, {result.true_peak_dbtp:.1f} dBTP, "
            f"{len(result.files)} files in {result.timings['total']:.1f} s"
        )
    return 0
