"""Signed provenance records: the one module that holds the platform's Ed25519 key.

Production passes the private key as PEM in PROVENANCE_SIGNING_KEY. Without it, the first use creates
one under VAR_DIR/provenance/ (readable by the owner only) and keeps using it, so records signed before
a restart still check. The public key is published at /provenance/public-key.pem.

A record is {"record": {...}, "signature": base64, "algorithm": "Ed25519", "key_id"}: the signature
covers the canonical JSON of "record" (keys sorted, no spaces, UTF-8), which anyone can rebuild from the
download and check with the public key (verify_document does exactly that).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from catalog.models import ReviewDecision, Track

RECORD_VERSION = "1"


def canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _local_key(path: Path) -> Ed25519PrivateKey:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of two processes starting at once, one writes the key and the other reads it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pem = path.read_bytes()
        if not pem:
            raise ImproperlyConfigured(f"{path} is empty; delete it to make a new provenance key.") from None
        return _load(pem, str(path))
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def _load(pem: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"{where} is not a PEM private key.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{where} must be an Ed25519 key.")
    return key


@cache
def _key_for(pem: str, var_dir: str) -> Ed25519PrivateKey:
    if pem:
        return _load(pem.encode(), "PROVENANCE_SIGNING_KEY")
    return _local_key(Path(var_dir) / "provenance" / "ed25519.pem")


def private_key() -> Ed25519PrivateKey:
    return _key_for(settings.PROVENANCE_SIGNING_KEY, str(settings.VAR_DIR))


def public_key_pem() -> bytes:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def key_id(public_pem: bytes) -> str:
    return hashlib.sha256(public_pem).hexdigest()[:16]


def provenance_record(*, track: Track, history: list[ReviewDecision]) -> dict:
    """What the platform attests about a track: how its audio was made (the write-once provenance),
    its disclosure label, its review decisions and its status when the record was made."""
    provenance = track.provenance
    return {
        "version": RECORD_VERSION,
        "issued_at": timezone.now().isoformat(),
        "issuer": settings.SITE_URL,
        "track": {
            "slug": track.slug,
            "title": track.title,
            "creator": track.creator.display_name,
            "duration_s": track.duration,
            "disclosure_label": track.disclosure_label,
            "status": track.status,
        },
        "provenance": {
            "engine": provenance.engine,
            "engine_version": provenance.engine_version,
            "prompt": provenance.prompt,
            "seed": provenance.seed,
            "parameters": provenance.parameters,
            "file_hashes": provenance.file_hashes,
            "recorded_at": provenance.created_at.isoformat(),
        },
        "review": [
            {
                "decision": d.decision,
                "at": d.created_at.isoformat(),
                "label_before": d.label_before,
                "label_after": d.label_after,
                "status_after": d.status_after,
            }
            for d in sorted(history, key=lambda d: (d.created_at, d.pk))
        ],
    }


def sign(record: dict) -> dict:
    """`record` with its Ed25519 signature over the canonical JSON."""
    signature = private_key().sign(canonical_json(record))
    return {
        "record": record,
        "algorithm": "Ed25519",
        "key_id": key_id(public_key_pem()),
        "signature": base64.b64encode(signature).decode(),
    }


def signed_record_json(*, track: Track, history: list[ReviewDecision]) -> bytes:
    document = sign(provenance_record(track=track, history=history))
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def verify_document(document: dict, public_pem: bytes) -> bool:
    """Whether `document` (a downloaded record) was signed by the key in `public_pem`, unchanged."""
    key = serialization.load_pem_public_key(public_pem)
    if not isinstance(key, Ed25519PublicKey) or not isinstance(document, dict):
        return False
    try:
        key.verify(base64.b64decode(document["signature"], validate=True), canonical_json(document["record"]))
    except (InvalidSignature, KeyError, TypeError, ValueError):
        return False
    return True
