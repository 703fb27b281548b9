"""Real files, mutated by hypothesis (bytes flipped, cut, inserted, header fields overwritten), posted to
the upload API: never a 500, and never a stored file that no row refers to, nor a scratch folder."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Track, TrackAsset
from tests.catalog.audio import encode, read, upload

pytestmark = pytest.mark.django_db

DECLARATION = {
    "title": "Fuzzed",
    "tool_name": "Stable Audio",
    "tool_version": "2.0",
    "tool_terms": "Professional membership",
    "prompt": "calm piano",
    "human_contribution": "Chose the take",
    "disclosure_label": "ai_generated",
}


@pytest.fixture(scope="module")
def originals(engine_outputs) -> dict[str, bytes]:
    audio, rate = read(engine_outputs["piano"] / "mix.wav")
    audio = audio[: rate * 6]  # a little over the shortest accepted length keeps each example quick
    return {
        "wav": encode(audio, rate, "wav"),
        "flac": encode(audio, rate, "flac"),
        "mp3": encode(audio, rate, "mp3", kbps=256),
    }


mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("cut"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.integers(1, 4096)),
    st.tuples(st.just("header"), st.integers(0, 63), st.integers(0, 2**32 - 1)),
)


def mutate(data: bytes, steps: list[tuple]) -> bytes:
    buf = bytearray(data)
    for kind, where, value in steps:
        if not buf:
            break
        pos = min(int(where * len(buf)), len(buf) - 1) if kind != "header" else min(where, len(buf) - 4)
        if kind == "flip":
            buf[pos] ^= value or 0xFF
        elif kind == "cut":
            del buf[pos:]
        elif kind == "insert":
            buf[pos:pos] = os.urandom(value)
        else:
            buf[pos : pos + 4] = value.to_bytes(4, "little")
    return bytes(buf)


def _referenced() -> set[str]:
    names = set()
    for track in Track.objects.all():
        names |= {f"public/{f.name}" for f in (track.preview, track.peaks, track.cover) if f}
    names |= {f"private/{a.file.name}" for a in TrackAsset.objects.all()}
    return names


@settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fmt=st.sampled_from(["wav", "flac", "mp3"]), steps=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_real_files_never_crash_nor_leave_orphans(
    api, creator, originals, stored_files, tmp_path, fmt, steps
):
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    old_tempdir, tempfile.tempdir = tempfile.tempdir, str(scratch)
    api.force_authenticate(creator.user)
    try:
        data = mutate(originals[fmt], steps)
        before = Track.objects.count()
        response = api.post("/api/v1/uploads/", {**DECLARATION, "file": upload(data, f"take.{fmt}")})
    finally:
        tempfile.tempdir = old_tempdir

    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert "file" in response.json() and Track.objects.count() == before
    else:
        assert Track.objects.count() == before + 1
    assert set(stored_files()) == _referenced()
    assert os.listdir(scratch) == []
