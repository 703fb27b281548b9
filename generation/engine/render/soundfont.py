"""General MIDI rendering from a SoundFont with tinysoundfont, offline and headless.

Every distinct (key, velocity step, held length) of a part is rendered once, alone, from a freshly reset
synth, until it falls silent; notes are then copies of those snippets added at their sample positions.
A snippet does not depend on the notes around it (the synth has voices to spare), so this is the same
sound as sequencing the whole part through one synth, at a fraction of the cost: music repeats.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

from .events import NoteEvents, StemBuffer, choke, choke_limits
from .instruments import GMPreset

SYSTEM_SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
VELOCITY_STEP = (
    8  # velocities are rendered on this grid and scaled back (tinysoundfont's gain is linear in it)
)
LENGTH_STEP_S = 0.01  # held lengths are rendered on a 10 ms grid
SILENCE = 1e-4  # -80 dBFS: a snippet ends when a block falls below this (and fades over that block)
BLOCK = 2048
MAX_TAIL_S = 6.0
DRUM_HOLD_S = 4.0  # drum hits ring out their own sample, whatever the note's length
CACHE_BYTES = 192 << 20  # rendered snippets kept between renders (a cue's cuts and loop reuse them)

# snippet -> (samples, the render that last used it); least recently used first
_snippets: OrderedDict[tuple, tuple[np.ndarray, int]] = OrderedDict()
_snippet_bytes = 0
_cache_lock = threading.Lock()
_renders = itertools.count()


def _bundled_soundfont() -> Path | None:
    spec = importlib.util.find_spec("pretty_midi")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "TimGM6mb.sf2"
    return path if path.is_file() else None


def find_soundfont(configured: str | None) -> Path | None:
    """The SoundFont to use: the configured file if it exists, else Debian's FluidR3_GM, else the
    TimGM6mb.sf2 that pretty_midi ships, else None (every part then uses synthesised voices)."""
    if configured and Path(configured).is_file():
        return Path(configured)
    if SYSTEM_SOUNDFONT.is_file():
        return SYSTEM_SOUNDFONT
    return _bundled_soundfont()


@lru_cache(maxsize=8)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def soundfont_sha256(path: Path) -> str:
    """sha256 of a SoundFont file, computed once per file version."""
    st = path.stat()
    return _digest(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=2)
def _load(path: str, mtime_ns: int):
    """The font (loaded once per file version per process), a lock for it, its stereo output mode."""
    from tinysoundfont import _tinysoundfont as tsf

    return tsf.SoundFont(path), threading.Lock(), tsf.OutputMode.StereoInterleaved


class SoundFontPlayer:
    """A SoundFont, ready to render parts at a sample rate: one player per render. The file is loaded
    (once per process) only when a part first needs it, so a score of synth voices never pays for it."""

    def __init__(self, path: Path, sample_rate: int) -> None:
        self.path = path
        self.sample_rate = sample_rate
        self._mtime = path.stat().st_mtime_ns
        self._render = next(_renders)

    @property
    def _font(self):
        return _load(str(self.path), self._mtime)[0]

    def preset_index(self, preset: GMPreset) -> int | None:
        """The font's index for a preset (a preferred drum kit first), or None if it lacks it."""
        candidates = [(preset.bank, preset.program)]
        if preset.preferred is not None:
            candidates.insert(0, (preset.bank, preset.preferred))
        for bank, program in candidates:
            index = self._font.get_preset_index(bank, program)
            if index >= 0:
                return int(index)
        return None

    def render_part(self, preset: GMPreset, events: NoteEvents, out: StemBuffer) -> bool:
        """Add the part's notes played on `preset` into `out`; False if the font lacks the preset."""
        index = self.preset_index(preset)
        if index is None:
            return False
        sr = self.sample_rate
        vq = np.clip(np.round(events.velocity / VELOCITY_STEP) * VELOCITY_STEP, VELOCITY_STEP, 127).astype(
            int
        )
        if preset.drums:
            held = np.full(len(events), int(DRUM_HOLD_S * sr), dtype=np.int64)
        else:
            step = max(int(LENGTH_STEP_S * sr), 1)
            held = np.maximum(np.round(events.length / step), 1).astype(np.int64) * step
        keys = sorted({(int(p), int(v), int(h)) for p, v, h in zip(events.pitch, vq, held, strict=True)})
        _, lock, stereo = _load(str(self.path), self._mtime)
        with lock:
            self._font.set_output(stereo, sr, 0.0)
            self._font.set_max_voices(64)
            snippets = {key: self._cached(index, key) for key in keys}
        scratch = np.empty((2, max(s.shape[-1] for s in snippets.values())), dtype=np.float32)
        limits = choke_limits(events) if preset.drums else np.full(len(events), -1)
        for i in range(len(events)):
            snip = snippets[(int(events.pitch[i]), int(vq[i]), int(held[i]))]
            note = np.multiply(snip, np.float32(events.velocity[i] / vq[i]), out=scratch[:, : snip.shape[-1]])
            out.add(int(events.start[i]), choke(note, int(limits[i]), sr))
        return True

    def _cached(self, index: int, key: tuple[int, int, int]) -> np.ndarray:
        """A snippet from the cache shared by all renders, or rendered now and kept.

        Once CACHE_BYTES is reached, the least recently used snippets go first, but never one this
        render has used: renders of one cue (its cuts, its loop) ask for much the same snippets in
        the same order, and plain LRU would evict each one just before it is asked for again. When
        only this render's snippets are left, a new one is not kept.
        """
        global _snippet_bytes
        full = (str(self.path), self._mtime, self.sample_rate, index, *key)
        with _cache_lock:
            hit = _snippets.get(full)
            if hit is not None:
                _snippets[full] = (hit[0], self._render)
                _snippets.move_to_end(full)
                return hit[0]
        snip = self._snippet(index, *key)
        snip.setflags(write=False)
        with _cache_lock:
            # this render's snippets sit together at the recent end, so evicting stops at the first
            while _snippet_bytes + snip.nbytes > CACHE_BYTES and _snippets:
                oldest = next(iter(_snippets.values()))
                if oldest[1] == self._render:
                    return snip
                _snippet_bytes -= _snippets.popitem(last=False)[1][0].nbytes
            if full not in _snippets:
                _snippets[full] = (snip, self._render)
                _snippet_bytes += snip.nbytes
        return snip

    def _snippet(self, index: int, key: int, velocity: int, held: int) -> np.ndarray:
        font, sr = self._font, self.sample_rate
        self._silence()
        font.channel_set_preset_index(0, index)
        buf = np.zeros((held + int(MAX_TAIL_S * sr), 2), dtype=np.float32)
        font.channel_note_on(0, key, velocity / 127.0)
        pos, min_len = 0, int(0.05 * sr)
        released = False
        while pos < buf.shape[0]:
            if not released and pos >= held:
                font.channel_note_off(0, key)
                released = True
            end = min(pos + BLOCK, buf.shape[0]) if released else min(pos + BLOCK, held)
            font.render(buf[pos:end])
            quiet = float(np.abs(buf[pos:end]).max()) < SILENCE
            if quiet and end > min_len:
                buf[pos:end] *= np.linspace(1.0, 0.0, end - pos, dtype=np.float32)[:, None]
                pos = end
                break
            pos = end
        return np.ascontiguousarray(buf[:pos].T)

    def _silence(self) -> None:
        """Reset the synth and play out the quick release that reset gives any sounding voice, until a
        block comes out exactly zero: no snippet may carry a trace of the one before it."""
        self._font.reset()
        flush = np.zeros((1024, 2), dtype=np.float32)
        for _ in range(64):
            self._font.render(flush)
            if not flush.any():
                break
