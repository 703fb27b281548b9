"""Score -> one stereo stem per part, each with its own level, pan, reverb and ducking.

Summing the stems gives the pre-master mix. Instruments with a General MIDI preset are played from a
SoundFont when one is available (soundfont.py); synth instruments, and every instrument when no
SoundFont is found, are synthesised (synth.py, drums.py, textures.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..brief import INSTRUMENT_ROLES, PITCH_CLASSES, SAMPLE_RATE
from ..score import Part, Score
from .drums import kit_tail, render_kit
from .effects import (
    REFERENCE_DBFS,
    Send,
    add_reverb,
    add_wrapped,
    duck_envelope,
    fade_out,
    gated_rms_db,
    pan_gains,
    room_rt60,
)
from .events import StemBuffer, note_events, stable_seed
from .instruments import GM_PRESETS, SYNTH_VOICE
from .soundfont import DRUM_HOLD_S, MAX_TAIL_S, SoundFontPlayer, find_soundfont, soundfont_sha256
from .synth import render_voice, voice_tail
from .textures import TEXTURE_RELEASE, render_texture

__all__ = ["find_soundfont", "render_stems", "renderer_info"]

KICK_KEYS = (35, 36)
MAX_LEVEL_GAIN_DB = 60.0
# drum kits are levelled this far under REFERENCE_DBFS: at the same gated RMS as a pitched part, a kit
# carries far more energy (most of it the kick's low end), so it would sit on top of the harmony
KIT_LEVEL_DB = -3.0


def _player(soundfont: str | Path | None, use_soundfont: bool, sample_rate: int) -> SoundFontPlayer | None:
    if not use_soundfont:
        return None
    path = find_soundfont(str(soundfont) if soundfont else None)
    return SoundFontPlayer(path, sample_rate) if path is not None else None


def _voice_for(part: Part, player: SoundFontPlayer | None) -> str:
    """The voice that plays a part: "gm" (the SoundFont) or the name of a synthesised voice."""
    preset = GM_PRESETS.get(part.instrument)
    if player is not None and preset is not None and player.preset_index(preset) is not None:
        return "gm"
    return SYNTH_VOICE.get(part.instrument, "keys")


def _render_dry(
    part: Part, player: SoundFontPlayer | None, n: int, sample_rate: int, tonic: int | None
) -> StemBuffer:
    """The part's dry notes: the stem's n samples, and a tail long enough for every release; tuned
    drums are tuned to pitch class `tonic`."""
    events = note_events(part.notes, sample_rate)
    if len(events) == 0:
        return StemBuffer(n, 0)
    voice = _voice_for(part, player)
    if voice == "gm":
        tail = DRUM_HOLD_S + MAX_TAIL_S
    elif voice.startswith("kit:"):
        tail = kit_tail(voice[4:])
    elif voice == "noise_texture":
        tail = TEXTURE_RELEASE
    else:
        tail = voice_tail(voice)
    end = int((events.start + events.length).max()) + int(tail * sample_rate) + 1
    out = StemBuffer(n, end - n)
    if voice == "gm":
        assert player is not None
        player.render_part(GM_PRESETS[part.instrument], events, out)
    elif voice.startswith("kit:"):
        render_kit(voice[4:], events, out, sample_rate, tonic)
    elif voice == "noise_texture":
        render_texture(events, out, sample_rate, stable_seed("texture", part.name, part.instrument))
    else:
        render_voice(voice, events, out, sample_rate)
    out.trim_tail()
    return out


def _kick_samples(score: Score, sample_rate: int) -> np.ndarray:
    drums = score.part("drums") or next(
        (p for p in score.parts if "drums" in INSTRUMENT_ROLES.get(p.instrument, ())), None
    )
    if drums is None:
        return np.zeros(0, dtype=np.int64)
    starts = [round(note.start * sample_rate) for note in drums.notes if note.pitch in KICK_KEYS]
    return np.array(sorted(starts), dtype=np.int64)


def render_stems(
    score: Score,
    *,
    sample_rate: int = SAMPLE_RATE,
    soundfont: str | Path | None = None,
    use_soundfont: bool = True,
) -> dict[str, np.ndarray]:
    """Render every part of `score` to a float32 (2, n) stem, n = round(score.length_s * sample_rate).

    Each stem is levelled (gated RMS to REFERENCE_DBFS, then the part's gain_db), panned, given its own
    reverb send and, where `part.sidechain > 0`, ducked under the drums' kicks. With `score.loop`, tails
    past the end are folded onto the start so the loop repeats seamlessly; otherwise they are cut and
    the last 20 ms fade to zero. Parts sharing a name are summed into one stem. `soundfont` is a
    configured SoundFont path (see find_soundfont); `use_soundfont=False` synthesises every part.
    """
    n = max(round(score.length_s * sample_rate), 0)
    player = _player(soundfont, use_soundfont, sample_rate)
    tonic = PITCH_CLASSES.index(score.key) if score.key in PITCH_CLASSES else None
    buffers: list[StemBuffer] = []
    sends: list[Send] = []
    for part in score.parts:
        buf = _render_dry(part, player, n, sample_rate, tonic)
        level_db = gated_rms_db([buf.main, buf.tail], sample_rate)
        if np.isfinite(level_db):
            gain_db = min(REFERENCE_DBFS - level_db, MAX_LEVEL_GAIN_DB) + part.gain_db
            if "drums" in INSTRUMENT_ROLES.get(part.instrument, ()):
                gain_db += KIT_LEVEL_DB
            left, right = pan_gains(part.pan)
            gains = np.array([[left], [right]], dtype=np.float32) * np.float32(10.0 ** (gain_db / 20.0))
            buf.main *= gains
            buf.tail *= gains
            if part.reverb > 0:
                sends.append(Send(buf.main, buf.main, buf.tail, 0.5 * min(part.reverb, 1.0)))
        buffers.append(buf)
    add_reverb(sends, room_rt60(score.bpm), sample_rate, score.loop)
    outs = []
    for buf in buffers:
        if score.loop and n > 0:
            add_wrapped(buf.main, buf.tail, n, loop=True)
        outs.append(buf.main)
    kicks = _kick_samples(score, sample_rate)
    beat_s = 60.0 / max(score.bpm, 1.0)
    stems: dict[str, np.ndarray] = {}
    for part, stem in zip(score.parts, outs, strict=True):
        if not score.loop:
            fade_out(stem, sample_rate)
        if part.sidechain > 0:
            stem *= duck_envelope(kicks, n, sample_rate, min(part.sidechain, 1.0), 0.45 * beat_s, score.loop)
        if part.name in stems:
            stems[part.name] += stem
        else:
            stems[part.name] = stem
    return stems


def renderer_info(
    soundfont: str | Path | None = None,
    *,
    use_soundfont: bool = True,
    score: Score | None = None,
    sample_rate: int = SAMPLE_RATE,
) -> dict:
    """What the renderer uses, for the manifest: the SoundFont (file name, sha256, size) or None, and,
    given a score, how each part is played ("gm:<bank>:<program>" or "synth:<voice>")."""
    player = _player(soundfont, use_soundfont, sample_rate)
    info: dict = {"renderer": "procedural", "soundfont": None}
    if player is not None:
        info["soundfont"] = {
            "file": player.path.name,
            "sha256": soundfont_sha256(player.path),
            "bytes": player.path.stat().st_size,
        }
    if score is not None:
        parts = {}
        for part in score.parts:
            voice = _voice_for(part, player)
            if voice == "gm":
                preset = GM_PRESETS[part.instrument]
                parts[part.name] = f"gm:{preset.bank}:{preset.program}"
            else:
                parts[part.name] = f"synth:{voice}"
        info["parts"] = parts
    return info
