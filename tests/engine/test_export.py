import mido
import numpy as np
import pytest

from generation.engine.brief import PITCH_CLASSES
from generation.engine.export import waveform_peaks, write_midi
from generation.engine.score import Chord, Note, Part, Score, Section, TempoSegment


def small_score(key: str, mode: str) -> Score:
    tempo = [TempoSegment(start=0.0, start_beat=0.0, seconds_per_beat=0.5), TempoSegment(4.0, 8.0, 0.49)]
    notes = [Note(start=i * 0.5, duration=0.4, pitch=60 + i % 5, velocity=90) for i in range(12)]
    return Score(
        length_s=8.0,
        bpm=120.0,
        key=key,
        mode=mode,
        meter="4/4",
        tempo=tempo,
        sections=[Section("a", 0.0, 4.0, 0.0, 2, 0.5), Section("b", 4.0, 8.0, 8.0, 2, 0.7)],
        chords=[Chord(0.0, 8.0, key, 0, (60, 64, 67))],
        parts=[Part("melody", "flute", notes), Part("drums", "acoustic_drums", [Note(0.0, 0.1, 36, 100)])],
    )


@pytest.mark.parametrize("mode", ["major", "minor"])
def test_it_writes_a_key_signature_for_every_key(tmp_path, mode):
    for key in PITCH_CLASSES:
        path = tmp_path / f"{key}-{mode}.mid"
        write_midi(path, small_score(key, mode))
        midi = mido.MidiFile(str(path))
        signature = next(m for m in midi.tracks[0] if m.type == "key_signature")
        assert signature.key.endswith("m") == (mode == "minor")


def test_the_midi_keeps_tempo_changes_parts_and_drum_channel(tmp_path):
    path = tmp_path / "score.mid"
    write_midi(path, small_score("D", "minor"))
    midi = mido.MidiFile(str(path))
    tempos = [m.tempo for m in midi.tracks[0] if m.type == "set_tempo"]
    assert tempos == [mido.bpm2tempo(120.0), mido.bpm2tempo(60 / 0.49)]
    assert [t.name for t in midi.tracks[1:]] == ["melody", "drums"]
    melody_on = [m for m in midi.tracks[1] if m.type == "note_on" and m.velocity > 0]
    assert len(melody_on) == 12
    assert all(m.channel == 9 for m in midi.tracks[2] if m.type.startswith("note"))
    assert abs(midi.length - 5.9) < 0.05  # the last note ends at 5.9 s, tempo change included


def test_peaks_are_normalised_and_sized():
    audio = np.zeros((2, 44100), dtype=np.float32)
    audio[0, 22050] = 0.5
    peaks = waveform_peaks(audio, count=100)
    assert len(peaks) == 100 and max(peaks) == 1.0 and peaks.count(0.0) == 99
    assert waveform_peaks(np.zeros((2, 10), dtype=np.float32), count=100) == [0.0] * 10
