"""Review desk benchmark: the upload sandbox and audio fingerprints on real engine renders.

    python bench/review.py [--seconds S]

Renders one cue with the engine and tiles it to S seconds (default 180), then times: the sandboxed
probe of an upload (decode, checks, analysis, preview, fingerprint) for the 8 s render and for the long
file, with the child's peak memory; fingerprinting the long audio; and one full comparison of two
fingerprints. Prints JSON; no database is touched.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import soundfile  # noqa: E402

from catalog import fingerprint  # noqa: E402
from catalog.uploads.sandbox import Limits, probe  # noqa: E402
from generation.engine import generate, parse_prompt  # noqa: E402


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, round(time.perf_counter() - start, 3)


# Run from a small process of its own, so the probe child's peak is not the fork of this one (which
# holds the engine and the audio) but the child's own.
_PEAK = """
import resource, sys
from pathlib import Path
from catalog.uploads.sandbox import Limits, probe
probe(role="mix", path=Path(sys.argv[1]), out_dir=Path(sys.argv[2]), checks={}, limits=Limits())
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _probe_peak_mb(path: Path, out_dir: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path), str(out_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return round(int(done.stdout.split()[-1]) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=180.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generate(
            parse_prompt("dark pulsing synth bass, tense, 100 bpm in D minor", duration=8),
            seed=1,
            out_dir=work / "r",
        )
        audio, rate = soundfile.read(str(work / "r" / "mix.wav"), dtype="float32", always_2d=True)
        long = np.tile(audio, (int(np.ceil(args.seconds / 8)), 1))[: int(args.seconds * rate)]
        soundfile.write(str(work / "long.wav"), long, rate, subtype="PCM_16")
        _, probe_short = _timed(
            lambda: probe(
                role="mix", path=work / "r" / "mix.wav", out_dir=work / "p1", checks={}, limits=Limits()
            )
        )
        _, probe_long = _timed(
            lambda: probe(role="mix", path=work / "long.wav", out_dir=work / "p2", checks={}, limits=Limits())
        )
        peak_mb = _probe_peak_mb(work / "long.wav", work / "p3")
        prints, fp_time = _timed(lambda: fingerprint.fingerprint(long, rate))
        copy = prints.copy()
        _, compare_time = _timed(lambda: fingerprint.compare(copy, prints))
    print(
        json.dumps(
            {
                "long_seconds": args.seconds,
                "probe_8s_s": probe_short,
                "probe_long_s": probe_long,
                "probe_peak_rss_mb": peak_mb,
                "fingerprint_long_s": fp_time,
                "fingerprint_hashes_per_second_of_audio": round(len(prints) / args.seconds, 1),
                "index_rows_per_track": len(fingerprint.index_sample(prints)),
                "compare_long_s": compare_time,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
