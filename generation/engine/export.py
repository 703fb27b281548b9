"""Files a buyer receives: WAV masters and stems, cuts, loop, MP3 preview, MIDI, waveform peaks, manifest.

Every writer takes an already mastered float buffer of shape (channels, samples); nothing here changes
the sound except the conversion to the file's sample format.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import lameenc
import mido
import numpy as np
import soundfile

from generation.engine.brief import SAMPLE_RATE
from generation.engine.score import Score

WAV_SUBTYPE = "PCM_24"
PREVIEW_KBPS = 192
PEAK_COUNT = 1000
MIDI_TICKS_PER_BEAT = 480

# General MIDI programs for the instruments that a SoundFont plays; synth voices get the nearest GM sound
# so the MIDI file opens sensibly in any DAW.
GM_PROGRAMS: dict[str, int] = {
    "piano": 0,
    "electric_piano": 4,
    "celesta": 8,
    "glockenspiel": 9,
    "vibraphone": 11,
    "marimba": 12,
    "organ": 16,
    "acoustic_guitar": 25,
    "electric_guitar": 27,
    "distorted_guitar": 30,
    "acoustic_bass": 32,
    "electric_bass": 33,
    "synth_bass": 38,
    "sub_bass": 38,
    "violin": 40,
    "cello": 42,
    "pizzicato_strings": 45,
    "harp": 46,
    "timpani": 47,
    "strings": 48,
    "choir": 52,
    "trumpet": 56,
    "french_horn": 60,
    "brass": 61,
    "saxophone": 65,
    "clarinet": 71,
    "flute": 73,
    "pan_flute": 75,
    "synth_lead": 81,
    "pluck_synth": 84,
    "synth_pad": 89,
    "arp_synth": 81,
    "drone": 95,
    "noise_texture": 122,
    "sitar": 104,
    "banjo": 105,
    "kalimba": 108,
    "taiko": 116,
}
DRUM_INSTRUMENTS = {"acoustic_drums", "electronic_drums", "trap_drums", "brush_drums", "hand_percussion"}


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_wav(path: Path, audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    """Write (channels, samples) float audio as 24-bit PCM WAV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(str(path), np.ascontiguousarray(audio.T), sample_rate, subtype=WAV_SUBTYPE, format="WAV")


def to_int16(audio: np.ndarray) -> np.ndarray:
    """Interleaved int16 samples, rounded and clipped, for encoders that take 16-bit PCM."""
    return np.clip(np.round(audio.T * 32767.0), -32768, 32767).astype("<i2")


def write_mp3(
    path: Path, audio: np.ndarray, sample_rate: int = SAMPLE_RATE, kbps: int = PREVIEW_KBPS, quality: int = 7
) -> None:
    """Encode (channels, samples) float audio as constant-bitrate MP3 with LAME."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(kbps)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(audio.shape[0])
    # LAME quality 2 is best and slowest; at 192 kbps the fast setting 7 is clean enough for a preview
    # and twice as quick as 5.
    encoder.set_quality(quality)
    data = encoder.encode(to_int16(audio).tobytes()) + encoder.flush()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))


def waveform_peaks(audio: np.ndarray, count: int = PEAK_COUNT) -> list[float]:
    """`count` peak values in 0..1 (loudest bucket = 1), one per equal slice of the audio, for a player."""
    mono = np.abs(audio).max(axis=0)
    count = max(1, min(count, mono.size))
    edges = np.linspace(0, mono.size, count + 1).astype(np.int64)
    peaks = np.maximum.reduceat(mono, edges[:-1])
    top = float(peaks.max()) if peaks.size else 0.0
    if top > 0:
        peaks = peaks / top
    return [round(float(p), 3) for p in peaks]


def write_peaks(path: Path, audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    """peaks.json: {"duration_s", "count", "peaks"}."""
    peaks = waveform_peaks(audio)
    payload = {"duration_s": round(audio.shape[1] / sample_rate, 6), "count": len(peaks), "peaks": peaks}
    path.write_text(json.dumps(payload, separators=(",", ":")))


def write_midi(path: Path, score: Score) -> None:
    """The composition as a type-1 MIDI file: a tempo track, then one track per part."""
    tpb = MIDI_TICKS_PER_BEAT
    midi = mido.MidiFile(type=1, ticks_per_beat=tpb)

    def tick(seconds: float) -> int:
        return max(0, round(score.time_to_beat(seconds) * tpb))

    conductor = mido.MidiTrack()
    numerator, denominator = (int(x) for x in score.meter.split("/"))
    conductor.append(mido.MetaMessage("track_name", name="tempo", time=0))
    conductor.append(mido.MetaMessage("time_signature", numerator=numerator, denominator=denominator, time=0))
    conductor.append(mido.MetaMessage("key_signature", key=midi_key_name(score.key, score.mode), time=0))
    events = [(round(seg.start_beat * tpb), mido.bpm2tempo(seg.bpm)) for seg in score.tempo]
    events += [(round(s.start_beat * tpb), s.name) for s in score.sections]
    _append_timed(conductor, sorted(events, key=lambda e: (e[0], isinstance(e[1], str))), _conductor_message)
    midi.tracks.append(conductor)

    melodic_channels = iter(c for c in range(16) if c != 9)
    for part in score.parts:
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=part.name, time=0))
        if part.instrument in DRUM_INSTRUMENTS:
            channel = 9
        else:
            channel = next(melodic_channels, 15)
            program = GM_PROGRAMS.get(part.instrument, 0)
            track.append(mido.Message("program_change", channel=channel, program=program, time=0))
        notes: list[tuple[int, int, int, int]] = []  # (tick, order, pitch, velocity); note-offs sort first
        for note in part.notes:
            start = tick(note.start)
            end = max(start + 1, tick(note.start + note.duration))
            pitch = int(np.clip(note.pitch, 0, 127))
            notes.append((start, 1, pitch, int(np.clip(note.velocity, 1, 127))))
            notes.append((end, 0, pitch, 0))
        notes.sort()
        _append_timed(
            track,
            [(t, (order, pitch, vel)) for t, order, pitch, vel in notes],
            lambda item, dt, ch=channel: mido.Message(
                "note_on" if item[0] else "note_off", channel=ch, note=item[1], velocity=item[2], time=dt
            ),
        )
        midi.tracks.append(track)
    midi.save(str(path))


# MIDI key signatures are spelled as on a staff: the keys a sharp spelling would give seven or more
# sharps (D# major, A# minor ...) take their flat names instead.
_SHARP_MAJOR_KEYS = {"C", "G", "D", "A", "E", "B", "F#", "C#"}
_SHARP_MINOR_KEYS = {"A", "E", "B", "F#", "C#", "G#", "D#", "A#"}
_FLAT_NAMES = {"C#": "Db", "D#": "Eb", "F#": "Gb", "G#": "Ab", "A#": "Bb"}


def midi_key_name(key: str, mode: str) -> str:
    """The name mido accepts for a key signature: "Eb" for D# major, "D#m" for D# minor, "Dm" ..."""
    sharps = _SHARP_MINOR_KEYS if mode == "minor" else _SHARP_MAJOR_KEYS
    name = key if key in sharps or "#" not in key else _FLAT_NAMES[key]
    return name + ("m" if mode == "minor" else "")


def _conductor_message(item: int | str, dt: int) -> mido.MetaMessage:
    if isinstance(item, str):
        return mido.MetaMessage("marker", text=item, time=dt)
    return mido.MetaMessage("set_tempo", tempo=item, time=dt)


def _append_timed(track: mido.MidiTrack, events: list, make) -> None:
    now = 0
    for at, item in events:
        track.append(make(item, at - now))
        now = at
    track.append(mido.MetaMessage("end_of_track", time=0))


def write_manifest(path: Path, manifest: dict) -> None:
    path.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n")
