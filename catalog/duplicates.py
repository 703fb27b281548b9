"""Audio fingerprints of tracks and the duplicates they reveal (writes; the reads are in selectors).

Every track gets a fingerprint when its audio is made (engine output or upload). Submitting and
uploading compare it with the catalog: each other track that holds the same audio, or a re-encode, a
trimmed copy, is recorded as a DuplicateFinding for the reviewer.
"""

from __future__ import annotations

import numpy as np
from django.db import transaction

from catalog import fingerprint
from catalog.models import AudioFingerprint, DuplicateFinding, FingerprintHash, Track

# Tracks that no longer compete with a copy: a rejected track was never on sale.
_IGNORED = (Track.Status.REJECTED,)
# How many shared index hashes make another track worth a full comparison.
_MIN_SHARED = 3
_MAX_CANDIDATES = 50
_LOOKUP_BATCH = 500


def fingerprint_store(*, track: Track, prints: np.ndarray) -> AudioFingerprint:
    """Keep `prints` (fingerprint.fingerprint's pairs) as the track's fingerprint and index a sample."""
    made = AudioFingerprint.objects.create(
        track=track, hashes=fingerprint.to_bytes(prints), count=len(prints)
    )
    FingerprintHash.objects.bulk_create(
        [FingerprintHash(fingerprint=made, hash=value) for value in fingerprint.index_sample(prints)],
        batch_size=1000,
    )
    return made


def _candidates(track: Track, sample: list[int]) -> list[int]:
    """Ids of the fingerprints sharing the most indexed hashes with `sample`, best first."""
    shared: dict[int, int] = {}
    for start in range(0, len(sample), _LOOKUP_BATCH):
        rows = (
            FingerprintHash.objects.filter(hash__in=sample[start : start + _LOOKUP_BATCH])
            .exclude(fingerprint__track=track)
            .exclude(fingerprint__track__status__in=_IGNORED)
            .values_list("fingerprint_id", flat=True)
        )
        for fingerprint_id in rows:
            shared[fingerprint_id] = shared.get(fingerprint_id, 0) + 1
    ranked = sorted((n, fid) for fid, n in shared.items() if n >= _MIN_SHARED)
    return [fid for _, fid in reversed(ranked)][:_MAX_CANDIDATES]


@transaction.atomic
def duplicates_check(*, track: Track) -> list[DuplicateFinding]:
    """Compare the track's fingerprint with the catalog and record every duplicate found (a repeated
    check updates the findings). A track without a fingerprint has nothing to compare."""
    own = AudioFingerprint.objects.filter(track=track).first()
    if own is None:
        return []
    prints = fingerprint.from_bytes(own.hashes)
    found = []
    others = AudioFingerprint.objects.filter(pk__in=_candidates(track, fingerprint.index_sample(prints)))
    for other in others.select_related("track"):
        theirs = fingerprint.from_bytes(other.hashes)
        # Either way round: a trimmed copy holds a small part of the original, all of it found there.
        match = max(
            fingerprint.compare(prints, theirs), fingerprint.compare(theirs, prints), key=lambda m: m.score
        )
        if not fingerprint.is_near(match):
            continue
        kind = (
            DuplicateFinding.Kind.EXACT
            if match.score >= fingerprint.EXACT_SCORE
            else DuplicateFinding.Kind.NEAR
        )
        finding, _ = DuplicateFinding.objects.update_or_create(
            track=track,
            match=other.track,
            defaults={"kind": kind, "score": match.score, "offset_s": match.offset_s},
        )
        found.append(finding)
    return found
