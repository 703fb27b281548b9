"""The default backend: compose a Score, render stems, master them, and write every deliverable."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from generation.engine import export
from generation.engine.backends import Progress, Result
from generation.engine.brief import SAMPLE_RATE, Brief
from generation.engine.compose import compose, compose_cut, compose_loop
from generation.engine.errors import OutputError
from generation.engine.master import Mastered, master
from generation.engine.render import find_soundfont, render_stems, renderer_info
from generation.engine.score import Score
from generation.engine.version import ENGINE_NAME, ENGINE_VERSION

CUT_LENGTHS_S = (15, 30, 60)


class ProceduralBackend:
    name = ENGINE_NAME
    version = ENGINE_VERSION

    def __init__(self, soundfont: str | None = None) -> None:
        self.soundfont = find_soundfont(soundfont or None)

    def generate(self, brief: Brief, *, seed: int, out_dir: Path, progress: Progress | None = None) -> Result:
        """Write every deliverable for (brief, seed) into `out_dir`, atomically: on any error nothing is left."""
        out_dir = Path(out_dir)
        report = progress or (lambda stage, fraction: None)
        timings: dict[str, float] = {}
        started_all = time.perf_counter()
        with staging_dir(out_dir) as tmp:
            files, figures = self._make(brief, seed, tmp, report, timings)
            started = time.perf_counter()
            manifest = self._manifest(brief, seed, files, figures, timings)
            timings["manifest"] = round(time.perf_counter() - started, 4)
            # the wall time of the whole generation (stages overlap with background file writes)
            timings["total"] = round(time.perf_counter() - started_all, 4)
            export.write_manifest(tmp / "manifest.json", manifest)
        report("done", 1.0)
        rel = [*files, "manifest.json"]
        return Result(out_dir=out_dir, manifest=manifest, files={name: out_dir / name for name in rel})

    def _make(self, brief: Brief, seed: int, tmp: Path, report: Progress, timings: dict) -> tuple[dict, dict]:
        def stage(name: str, fraction: float):
            report(name, fraction)
            return _Timer(timings, name)

        with _BackgroundFiles(tmp) as files:
            with stage("compose", 0.0):
                score = compose(brief, seed)
                cut_scores = {
                    s: compose_cut(brief, seed, float(s)) for s in CUT_LENGTHS_S if s < brief.duration_s
                }
                loop_score = compose_loop(brief, seed)
            with stage("render", 0.1):
                stems = render_stems(score, sample_rate=SAMPLE_RATE, soundfont=self.soundfont)
            with stage("master", 0.45):
                mastered = master(stems, sample_rate=SAMPLE_RATE, in_place=True)
            samples = mastered.mix.shape[1]
            files.add("mix.wav", export.write_wav, mastered.mix, kind="mix", samples=samples)
            for name, audio in mastered.stems.items():
                files.add(
                    f"stems/{name}.wav", export.write_wav, audio, kind="stem", part=name, samples=samples
                )
            files.add("preview.mp3", export.write_mp3, mastered.mix, kind="preview", samples=samples)
            files.add("peaks.json", export.write_peaks, mastered.mix, kind="peaks", samples=samples)
            files.add("score.mid", export.write_midi, score, kind="midi", samples=samples)
            figures = {"mix": _figures(mastered), "cuts": {}, "score": score}
            with stage("cuts", 0.6):
                for seconds, cut_score in cut_scores.items():
                    cut = master(render_stems(cut_score, soundfont=self.soundfont), in_place=True)
                    rel = f"cuts/{seconds}s.wav"
                    files.add(rel, export.write_wav, cut.mix, kind="cut", samples=cut.mix.shape[1])
                    figures["cuts"][f"{seconds}s"] = _figures(cut)
            with stage("loop", 0.8):
                looped = master(render_stems(loop_score, soundfont=self.soundfont), loop=True, in_place=True)
                bars = sum(s.bars for s in loop_score.sections)
                files.add(
                    "loop.wav",
                    export.write_wav,
                    looped.mix,
                    kind="loop",
                    samples=looped.mix.shape[1],
                    bars=bars,
                )
                figures["loop"] = _figures(looped)
            with stage("files", 0.9):
                listing = files.finish()
            timings["files_background"] = round(files.busy, 4)
        return listing, figures

    def _manifest(self, brief: Brief, seed: int, files: dict, figures: dict, timings: dict) -> dict:
        from generation.engine.prompt import matcher_name

        score: Score = figures["score"]
        return {
            "engine": {
                "name": ENGINE_NAME,
                "version": ENGINE_VERSION,
                "prompt_matcher": matcher_name(),
                "renderer": renderer_info(self.soundfont, score=score),
            },
            "prompt": brief.prompt,
            "seed": seed,
            "brief": brief.to_dict(),
            "sample_rate": SAMPLE_RATE,
            "tempo": [{"start_s": round(t.start, 4), "bpm": round(t.bpm, 3)} for t in score.tempo],
            "sections": [
                {
                    "name": s.name,
                    "start_s": round(s.start, 4),
                    "end_s": round(s.end, 4),
                    "bars": s.bars,
                    "energy": round(s.energy, 3),
                }
                for s in score.sections
            ],
            "chords": [
                {"start_s": round(c.start, 4), "end_s": round(c.end, 4), "symbol": c.symbol}
                for c in score.chords
            ],
            "parts": [
                {"name": p.name, "instrument": p.instrument, "notes": len(p.notes)} for p in score.parts
            ],
            "hits": list(score.hits),
            "loudness": figures["mix"],
            "cuts": figures["cuts"],
            "loop": figures["loop"],
            "files": files,
            "timings_s": timings,
        }


def _figures(mastered: Mastered) -> dict:
    return {
        "integrated_lufs": round(float(mastered.loudness_lufs), 2),
        "true_peak_dbtp": round(float(mastered.true_peak_dbtp), 2),
        "gain_db": round(float(mastered.gain_db), 2),
        "max_gain_reduction_db": round(float(mastered.max_gain_reduction_db), 2),
    }


class _BackgroundFiles:
    """Writes and hashes files on one background thread while the caller renders the next audio.

    libsndfile (through cffi), hashlib and file I/O release the GIL, so this overlaps with the torch and
    numpy work of rendering on a second core.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine-files")
        self.jobs: dict[str, tuple[Future, dict]] = {}
        self.busy = 0.0

    def add(self, rel: str, write, payload, *, samples: int, **meta) -> None:
        """Queue `write(path, payload)` for `rel`; its manifest entry gets `meta`, hash, size, duration."""
        entry = {**meta, "duration_s": round(samples / SAMPLE_RATE, 6)}
        self.jobs[rel] = (self.pool.submit(self._write, self.root / rel, write, payload), entry)

    def _write(self, path: Path, write, payload) -> str:
        started = time.perf_counter()
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, payload)
        digest = export.sha256_file(path)
        self.busy += time.perf_counter() - started
        return digest

    def finish(self) -> dict[str, dict]:
        """Wait for every file; the manifest's file listing (re-raises the first write error)."""
        listing = {}
        for rel, (job, entry) in self.jobs.items():
            digest = job.result()
            listing[rel] = {"sha256": digest, "bytes": (self.root / rel).stat().st_size, **entry}
        return listing

    def __enter__(self) -> _BackgroundFiles:
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Timer:
    def __init__(self, timings: dict, name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc) -> None:
        self.timings[self.name] = round(time.perf_counter() - self.started, 4)


@contextlib.contextmanager
def staging_dir(out_dir: Path) -> Iterator[Path]:
    """A temporary folder beside `out_dir` that replaces it only once everything inside is written.

    `out_dir` may be missing, empty, or a previous output of this engine (it has a manifest.json);
    any other non-empty folder is refused so that no one's files are overwritten.
    """
    out_dir = out_dir.absolute()
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"output folder {out_dir} is a file")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").is_file():
        raise OutputError(f"output folder {out_dir} is not empty; choose a new or empty folder")
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".partial", dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(f"output folder {out_dir} cannot be written: {exc.strerror or exc}") from exc
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
            os.replace(out_dir, old / "previous")
            os.replace(tmp, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
