"""The deliverables of one generation, read back from the files a buyer would download."""

import hashlib
import json

import mido
import numpy as np
import pyloudnorm
import pytest
import soundfile
from mutagen.mp3 import MP3

from generation.engine import generate, parse_prompt
from tests.engine.conftest import read_wav, true_peak_db


def test_it_writes_every_deliverable(generated):
    out = generated.out_dir
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {
        "mix.wav",
        "loop.wav",
        "preview.mp3",
        "score.mid",
        "peaks.json",
        "manifest.json",
        "cuts/15s.wav",
    } <= names
    assert "cuts/30s.wav" not in names  # only cuts shorter than the cue
    stems = {n for n in names if n.startswith("stems/")}
    assert len(stems) >= 3
    assert set(generated.files) == names


def test_the_mix_is_24_bit_stereo_at_the_requested_length(generated):
    info = soundfile.info(str(generated.out_dir / "mix.wav"))
    assert (info.samplerate, info.channels, info.subtype) == (44100, 2, "PCM_24")
    assert abs(info.frames / 44100 - 20.0) <= 0.010


def test_the_mix_meets_loudness_and_true_peak(generated):
    audio, rate = read_wav(generated.out_dir / "mix.wav")
    loudness = pyloudnorm.Meter(rate).integrated_loudness(audio.T)
    assert abs(loudness - -14.0) <= 1.0
    assert true_peak_db(audio) <= -1.0
    assert abs(generated.manifest["loudness"]["integrated_lufs"] - loudness) < 0.2


def test_the_stems_sum_back_to_the_mix(generated):
    mix, _ = read_wav(generated.out_dir / "mix.wav")
    total = np.zeros_like(mix)
    for path in sorted((generated.out_dir / "stems").glob("*.wav")):
        stem, _ = read_wav(path)
        assert stem.shape == mix.shape
        total += stem
    residual_db = 20 * np.log10(np.sqrt(np.mean((mix - total) ** 2)) / np.sqrt(np.mean(mix**2)))
    assert residual_db <= -35.0


def test_the_cut_is_its_own_edit_with_an_ending(generated):
    cut, rate = read_wav(generated.out_dir / "cuts" / "15s.wav")
    mix, _ = read_wav(generated.out_dir / "mix.wav")
    assert abs(cut.shape[1] / rate - 15.0) <= 0.010
    # composed for the length, not the first 15 s of the long version chopped off
    assert not np.allclose(cut[:, : rate * 5], mix[:, : rate * 5], atol=1e-3)
    # it rings out to silence rather than stopping mid-note
    tail = np.abs(cut[:, -int(0.05 * rate) :]).max()
    assert tail < 0.05
    assert true_peak_db(cut) <= -1.0


def test_the_loop_is_whole_bars_and_seamless(generated):
    loop, rate = read_wav(generated.out_dir / "loop.wav")
    manifest = generated.manifest
    bpm = manifest["brief"]["bpm"]
    bars = manifest["files"]["loop.wav"]["bars"]
    beats_per_bar = {"4/4": 4, "3/4": 3, "6/8": 6}[manifest["brief"]["meter"]]
    assert abs(loop.shape[1] - round(bars * beats_per_bar * 60 / bpm * rate)) <= 1
    steps = np.abs(np.diff(loop, axis=1))
    seam = np.abs(loop[:, 0] - loop[:, -1])
    assert (seam <= np.percentile(steps, 99.9, axis=1)).all()


def test_the_manifest_lists_every_file_with_its_hash(generated):
    manifest = json.loads((generated.out_dir / "manifest.json").read_text())
    assert manifest["engine"]["name"] == "procedural"
    assert manifest["seed"] == 7
    brief = manifest["brief"]
    assert (brief["key"], brief["mode"], brief["bpm"], brief["duration_s"]) == ("D", "minor", 92.0, 20.0)
    for field in ("genre", "moods", "meter", "instruments", "energy", "hits"):
        assert field in brief
    assert manifest["sections"][0]["start_s"] == 0
    assert manifest["sections"][-1]["end_s"] <= 20.0
    assert manifest["chords"]
    for stage in ("compose", "render", "master", "cuts", "loop", "files", "manifest"):
        assert manifest["timings_s"][stage] >= 0
    for rel, entry in manifest["files"].items():
        data = (generated.out_dir / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], rel
        assert entry["bytes"] == len(data)
    assert "manifest.json" not in manifest["files"]


def test_the_preview_mp3_and_midi_and_peaks(generated):
    mp3 = MP3(str(generated.out_dir / "preview.mp3"))
    assert mp3.info.bitrate == 192000
    assert abs(mp3.info.length - 20.0) < 0.1
    midi = mido.MidiFile(str(generated.out_dir / "score.mid"))
    part_names = [p["name"] for p in generated.manifest["parts"]]
    assert [t.name for t in midi.tracks[1:]] == part_names
    assert abs(midi.length - 20.0) < 4.0  # the last notes end inside the cue
    peaks = json.loads((generated.out_dir / "peaks.json").read_text())
    assert len(peaks["peaks"]) == peaks["count"] == 1000
    assert max(peaks["peaks"]) == 1.0 and min(peaks["peaks"]) >= 0.0


def test_the_same_seed_gives_identical_files_and_another_seed_does_not(generated, tmp_path):
    brief = parse_prompt(generated.manifest["prompt"], duration=20)
    again = generate(brief, seed=7, out_dir=tmp_path / "again")
    other = generate(brief, seed=8, out_dir=tmp_path / "other")
    hashes = {rel: e["sha256"] for rel, e in generated.manifest["files"].items()}
    assert {rel: e["sha256"] for rel, e in again.manifest["files"].items()} == hashes
    assert other.manifest["files"]["mix.wav"]["sha256"] != hashes["mix.wav"]


def test_a_failure_midway_leaves_nothing_behind(tmp_path):
    brief = parse_prompt("calm ambient pad", duration=6)

    def explode(stage, fraction):
        if stage == "cuts":
            raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        generate(brief, seed=1, out_dir=tmp_path / "out", progress=explode)
    assert list(tmp_path.iterdir()) == []


def test_it_replaces_its_own_previous_output_but_not_a_foreign_folder(tmp_path):
    from generation.engine import OutputError

    brief = parse_prompt("calm ambient pad", duration=6)
    out = tmp_path / "out"
    generate(brief, seed=1, out_dir=out)
    (out / "stems" / "stale.wav").write_bytes(b"old")
    generate(brief, seed=2, out_dir=out)
    assert not (out / "stems" / "stale.wav").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError, match="not empty"):
        generate(brief, seed=1, out_dir=foreign)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
