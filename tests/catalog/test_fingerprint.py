"""Audio fingerprints: every track gets one when its audio is made, and copies of the same audio (a
re-encode at another bitrate, a trimmed copy) are found while different music is not."""

from __future__ import annotations

import io

import pytest
import soundfile

from catalog import duplicates, fingerprint, selectors, services
from catalog.models import AudioFingerprint, DuplicateFinding
from tests.catalog.audio import encode, read


def _decoded(data: bytes):
    return soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)


@pytest.fixture(scope="module")
def heist(engine_outputs):
    audio, rate = read(engine_outputs["heist"] / "mix.wav")
    return audio, rate, fingerprint.fingerprint(audio, rate)


def _best(a, b) -> fingerprint.Match:
    return max(fingerprint.compare(a, b), fingerprint.compare(b, a), key=lambda m: m.score)


def test_it_finds_the_same_audio_exactly(heist):
    audio, rate, prints = heist
    match = fingerprint.compare(fingerprint.fingerprint(audio, rate), prints)
    assert match.score == 1.0 and match.offset_s == 0.0


@pytest.mark.parametrize("kbps", [96, 320])
def test_it_finds_a_re_encode_at_another_bitrate(heist, kbps):
    audio, rate, prints = heist
    copy = fingerprint.fingerprint(*_decoded(encode(audio, rate, "mp3", kbps=kbps)))
    assert fingerprint.is_near(_best(copy, prints))


def test_it_finds_a_trimmed_re_encoded_copy_and_where_it_starts(heist):
    audio, rate, prints = heist
    start = int(2.1 * rate)  # not a whole number of analysis frames
    copy = fingerprint.fingerprint(*_decoded(encode(audio[start : int(7 * rate)], rate, "mp3", kbps=128)))
    match = fingerprint.compare(copy, prints)
    assert fingerprint.is_near(match) and abs(match.offset_s - 2.1) < 0.1


def test_it_finds_a_copy_at_another_sample_rate(heist):
    from scipy import signal

    audio, _, prints = heist
    resampled = signal.resample_poly(audio, 160, 147, axis=0).astype("float32")  # 44.1 -> 48 kHz
    assert fingerprint.is_near(_best(fingerprint.fingerprint(resampled, 48000), prints))


@pytest.mark.parametrize("other", ["piano", "sunny", "epic"])
def test_different_music_is_not_a_duplicate(heist, engine_outputs, other):
    _, _, prints = heist
    theirs = fingerprint.fingerprint(*read(engine_outputs[other] / "mix.wav"))
    assert not fingerprint.is_near(_best(theirs, prints))


@pytest.mark.django_db
def test_every_engine_track_gets_a_fingerprint_when_it_is_made(make_track):
    track = make_track("heist", publish=False)
    stored = AudioFingerprint.objects.get(track=track)
    assert stored.count == len(fingerprint.from_bytes(stored.hashes)) > 100
    assert stored.index.exists()


@pytest.mark.django_db
def test_submitting_flags_a_duplicate_with_the_matching_track(make_track):
    original = make_track("heist")
    make_track("piano")
    copy = services.track_submit(track=make_track("heist", publish=False, title="Copy"))

    finding = DuplicateFinding.objects.get(track=copy)
    assert finding.match == original and finding.kind == "exact"
    assert selectors.track_has_near_duplicates(track=copy)
    assert selectors.track_has_near_duplicates(track=original)
    assert [f.other for f in selectors.duplicate_findings(track=original)] == [copy]


@pytest.mark.django_db
def test_a_rejected_copy_no_longer_counts(make_track):
    from catalog.models import Track

    original = make_track("heist")
    copy = services.track_submit(track=make_track("heist", publish=False, title="Copy"))
    Track.objects.filter(pk=copy.pk).update(status=Track.Status.REJECTED)
    assert not selectors.track_has_near_duplicates(track=original)


@pytest.mark.django_db
def test_checking_twice_keeps_one_finding(make_track):
    make_track("heist")
    copy = services.track_submit(track=make_track("heist", publish=False, title="Copy"))
    duplicates.duplicates_check(track=copy)
    assert DuplicateFinding.objects.filter(track=copy).count() == 1
