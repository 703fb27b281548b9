"""Content Credentials (C2PA) on licensed files: the one module that talks to `c2pa`.

The platform signs every delivered audio file with a manifest stating how the audio was made (AI
generation, engine and version), who made it and under which license it was delivered. Production
configures its own certificate chain and key (C2PA_SIGNING_CERT, C2PA_SIGNING_KEY). Without them, the
first use creates a local certificate authority and an ES256 signing certificate under VAR_DIR/c2pa/:
c2pa refuses a bare self-signed leaf, and a CA of our own lets the verifier trust exactly what the
platform signed. No timestamp authority is asked unless C2PA_TSA_URL names one (it is a network call).

Reading trusts only the platform's anchors (the local CA, or the CA certificates of the configured
chain, or C2PA_TRUST_ANCHORS): "trusted" means the manifest was signed by the platform; "intact" means
its signature and its hash bindings to the file hold, whoever signed it.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import fcntl
import hashlib
import json
import os
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIME_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "flac": "audio/flac"}
LICENSE_ASSERTION = "com.cuemarket.license"
# The failure codes that say only "signed by someone this platform does not trust": the signature and
# the hash bindings may still hold.
_TRUST_CODES = {"signingCredential.untrusted", "signingCredential.invalid"}
_ORGANISATION = "Cuemarket"


class CredentialsError(Exception):
    """Content Credentials could not be written (bad configuration, an unsupported file)."""


@dataclass(frozen=True)
class CredentialsReport:
    """What a file's Content Credentials say, and whether they hold.

    present: the file carries a manifest store. intact: its signature and hash bindings hold (nothing
    was changed after signing). trusted: signed by a certificate that chains to the platform's anchors.
    valid: intact and trusted.
    """

    present: bool
    intact: bool = False
    trusted: bool = False
    issuer: str = ""
    signer: str = ""
    signed_at: str = ""
    title: str = ""
    ai_generation: dict[str, Any] = field(default_factory=dict)
    creator: str = ""
    license_code: str = ""
    license: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.present and self.intact and self.trusted


@dataclass(frozen=True)
class _Material:
    chain_pem: bytes
    key_pem: bytes
    anchors_pem: str
    tsa_url: str | None


# --- signing material --------------------------------------------------------------------------------


def local_dir() -> Path:
    return Path(settings.VAR_DIR) / "c2pa"


def _material() -> _Material:
    cert, key = settings.C2PA_SIGNING_CERT, settings.C2PA_SIGNING_KEY
    tsa = settings.C2PA_TSA_URL or None
    if bool(cert) != bool(key):
        raise ImproperlyConfigured("Set both C2PA_SIGNING_CERT and C2PA_SIGNING_KEY, or neither.")
    if cert:
        try:
            chain, key_pem = Path(cert).read_bytes(), Path(key).read_bytes()
        except OSError as exc:
            raise ImproperlyConfigured(f"The C2PA signing certificate or key cannot be read: {exc}") from exc
        anchors = _configured_anchors(chain)
        return _Material(chain_pem=chain, key_pem=key_pem, anchors_pem=anchors, tsa_url=tsa)
    folder = ensure_local_ca()
    return _Material(
        chain_pem=(folder / "signer.pem").read_bytes(),
        key_pem=(folder / "signer.key").read_bytes(),
        anchors_pem=(folder / "ca.pem").read_text(),
        tsa_url=tsa,
    )


def _configured_anchors(chain: bytes) -> str:
    if settings.C2PA_TRUST_ANCHORS:
        try:
            return Path(settings.C2PA_TRUST_ANCHORS).read_text()
        except OSError as exc:
            raise ImproperlyConfigured(f"C2PA_TRUST_ANCHORS cannot be read: {exc}") from exc
    certs = x509.load_pem_x509_certificates(chain)
    # The chain's CA certificates (all but the leaf): what the platform's signatures chain up to.
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs[1:])


def ensure_local_ca() -> Path:
    """The folder holding the local CA (ca.pem, ca.key) and signing certificate (signer.pem: leaf and
    CA, signer.key), created on first use. A file lock keeps two processes from creating two CAs."""
    folder = local_dir()
    names = ("ca.pem", "ca.key", "signer.pem", "signer.key")
    if all((folder / n).exists() for n in names):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not all((folder / n).exists() for n in names):
                _create_local_ca(folder)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def _write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _key_usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _create_local_ca(folder: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{_ORGANISATION} local licensing CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANISATION),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf_cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, f"{_ORGANISATION} license signing"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANISATION),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        # What c2pa demands of a signing certificate: not a CA, digitalSignature, an allowed EKU,
        # and key identifiers linking it to its issuer.
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True, ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    def pem(cert: x509.Certificate) -> bytes:
        return cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    # Keys first, certificates last: a reader that finds every file finds a complete set.
    _write_atomic(folder / "ca.key", key_pem(ca_key), 0o600)
    _write_atomic(folder / "signer.key", key_pem(leaf_key), 0o600)
    _write_atomic(folder / "ca.pem", pem(ca_cert))
    _write_atomic(folder / "signer.pem", pem(leaf_cert) + pem(ca_cert))


# --- signing and reading -----------------------------------------------------------------------------


def _read_context(anchors_pem: str) -> c2pa.Context:
    config: dict[str, Any] = {
        "verify": {
            "verify_trust": True,
            "verify_timestamp_trust": False,
            "remote_manifest_fetch": False,
            "ocsp_fetch": False,
        }
    }
    if anchors_pem.strip():  # a chain of one self-issued certificate leaves nothing to trust
        config["trust"] = {"trust_anchors": anchors_pem}
    return c2pa.Context.from_dict(config)


def _signer(material: _Material) -> c2pa.Signer:
    info = c2pa.C2paSignerInfo(
        c2pa.C2paSigningAlg.ES256, material.chain_pem, material.key_pem, material.tsa_url
    )
    return c2pa.Signer.from_info(info)


# The data-hashed signing calls of the c2pa C library (c2pa.h): the caller places a placeholder manifest
# in the file, hashes the file around it and patches the signed manifest in. c2pa-python 0.38 loads the
# library and declares its types but does not wrap these two calls yet.
_BYTES = ctypes.POINTER(ctypes.c_ubyte)
_native = getattr(c2pa.c2pa, "_lib", None)
_placeholder_fn = getattr(_native, "c2pa_builder_data_hashed_placeholder", None)
_sign_hashed_fn = getattr(_native, "c2pa_builder_sign_data_hashed_embeddable", None)
if _placeholder_fn is not None and _sign_hashed_fn is not None:
    _placeholder_fn.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(_BYTES)]
    _placeholder_fn.restype = ctypes.c_int64
    _sign_hashed_fn.argtypes = [
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_void_p,
        ctypes.POINTER(_BYTES),
    ]
    _sign_hashed_fn.restype = ctypes.c_int64


def _native_bytes(call, *args) -> bytes:
    out = _BYTES()
    size = call(*args, ctypes.byref(out))
    if size < 0 or not out:
        reason = c2pa.c2pa._read_native_error() or "the c2pa library gave no reason"
        raise CredentialsError(f"Content Credentials could not be signed: {reason}")
    try:
        return ctypes.string_at(out, size)
    finally:
        _native.c2pa_free(out)


def _riff_chunk_ids(fh) -> list[bytes] | None:
    """The ids of a RIFF/WAVE file's top-level chunks (seeking past their data), or None when the file
    is not a well-formed, even-sized RIFF/WAVE of the length its header states."""
    fh.seek(0, os.SEEK_END)
    length = fh.tell()
    fh.seek(0)
    head = fh.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    if struct.unpack("<I", head[4:8])[0] + 8 != length or length % 2:
        return None
    ids, position = [], 12
    while position < length:
        fh.seek(position)
        header = fh.read(8)
        if len(header) < 8:
            return None
        size = struct.unpack("<I", header[4:8])[0]
        ids.append(header[:4])
        position += 8 + size + (size % 2)
    return ids if position == length else None


def _sign_wav_appended(path: Path, manifest: dict[str, Any], material: _Material) -> bool:
    """Sign a WAV in place by appending a C2PA chunk, hashing the file once around it.

    The c2pa library's own `sign` reads the source, writes a whole new file and hashes that: three
    passes over a master that may be hundreds of megabytes. Here the manifest's placeholder is appended
    as a RIFF chunk (where c2pa puts it too), the file is hashed once with the chunk excluded, and the
    signed manifest, of the placeholder's exact size, is written over it. The audio bytes never move.
    Returns False (and leaves the file as it was) where this does not apply: the library lacks the
    calls, the file is not a plain RIFF/WAVE, or it already carries Content Credentials.
    """
    if _placeholder_fn is None or _sign_hashed_fn is None:
        return False
    with open(path, "r+b") as fh:
        chunks = _riff_chunk_ids(fh)
        if chunks is None or b"C2PA" in chunks:
            return False
        with _signer(material) as signer, c2pa.Builder(manifest) as builder:
            placeholder = _native_bytes(
                _placeholder_fn, builder._handle, signer.reserve_size(), b"application/c2pa"
            )
            start = fh.seek(0, os.SEEK_END)
            excluded = 8 + len(placeholder)  # the chunk's header and data; its pad byte is hashed
            pad = b"\0" * (len(placeholder) % 2)
            try:
                fh.write(b"C2PA" + struct.pack("<I", len(placeholder)) + placeholder + pad)
                fh.seek(4)
                fh.write(struct.pack("<I", start + excluded + len(pad) - 8))
                fh.flush()
                fh.seek(0)
                digest, remaining = hashlib.sha256(), start
                while remaining:
                    block = fh.read(min(1 << 22, remaining))
                    digest.update(block)
                    remaining -= len(block)
                digest.update(pad)
                data_hash = {
                    "exclusions": [{"start": start, "length": excluded}],
                    "name": "jumbf manifest",
                    "alg": "sha256",
                    "hash": list(digest.digest()),
                    "pad": " ",
                }
                signed = _native_bytes(
                    _sign_hashed_fn,
                    builder._handle,
                    signer._handle,
                    json.dumps(data_hash).encode(),
                    b"application/c2pa",
                    None,
                )
                if len(signed) != len(placeholder):
                    raise CredentialsError(
                        "Content Credentials could not be signed: the manifest changed size"
                    )
                fh.seek(start + 8)
                fh.write(signed)
            except BaseException:
                fh.seek(4)
                fh.write(struct.pack("<I", start - 8))
                fh.truncate(start)
                raise
    return True


def sign(path: Path, manifest: dict[str, Any], mime: str) -> None:
    """Sign `path` in place with `manifest` (a c2pa manifest definition). A WAV is signed where it lies
    (see `_sign_wav_appended`); other files are signed into a new file beside it, renamed over it. A
    failure leaves the original untouched."""
    material = _material()
    path = Path(path)
    if mime == MIME_TYPES["wav"]:
        try:
            if _sign_wav_appended(path, manifest, material):
                return
        except c2pa.C2paError as exc:
            raise CredentialsError(f"Content Credentials could not be signed: {exc}") from exc
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".signing")
    try:
        with (
            _signer(material) as signer,
            c2pa.Builder(manifest) as builder,
            open(path, "rb") as source,
            os.fdopen(fd, "w+b") as dest,
        ):
            builder.sign(signer, mime, source, dest)
        os.replace(tmp, path)
    except c2pa.C2paError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise CredentialsError(f"Content Credentials could not be signed: {exc}") from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read(path: Path, mime: str | None = None) -> CredentialsReport:
    """The Content Credentials of the file at `path`, checked against the platform's trust anchors."""
    anchors = _material().anchors_pem
    try:
        with open(path, "rb") as fh, _read_context(anchors) as context:
            reader = c2pa.Reader.try_create(mime, fh, None, context)
            if reader is None:
                return CredentialsReport(present=False)
            with reader:
                store = json.loads(reader.json())
    except c2pa.C2paError.NotSupported:
        return CredentialsReport(present=False)
    except c2pa.C2paError as exc:
        # A manifest store is there but cannot even be parsed: present, and broken.
        return CredentialsReport(present=True, errors=[str(exc)])
    return _report(store)


def _report(store: dict[str, Any]) -> CredentialsReport:
    manifest = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = [f"{f.get('code')}: {f.get('explanation', '')}".strip() for f in results.get("failure", [])]
    codes = {f.get("code") for f in results.get("failure", [])}
    state = store.get("validation_state", "")
    if not results and store.get("validation_status"):
        failures = [f"{s.get('code')}: {s.get('explanation', '')}" for s in store["validation_status"]]
        codes = {s.get("code") for s in store["validation_status"]}
    assertions = {a.get("label"): a.get("data") for a in manifest.get("assertions", [])}
    actions = (assertions.get("c2pa.actions.v2") or assertions.get("c2pa.actions") or {}).get("actions", [])
    created = next((a for a in actions if a.get("action") == "c2pa.created"), {})
    work = assertions.get("stds.schema-org.CreativeWork") or {}
    authors = work.get("author") or []
    license_data = assertions.get(LICENSE_ASSERTION) or {}
    signature = manifest.get("signature_info") or {}
    return CredentialsReport(
        present=True,
        intact=bool(manifest) and not (codes - _TRUST_CODES),
        trusted=state == "Trusted",
        issuer=str(signature.get("issuer", "")),
        signer=str(signature.get("common_name", "")),
        signed_at=str(signature.get("time", "")),
        title=str(manifest.get("title", "")),
        ai_generation={
            "digital_source_type": created.get("digitalSourceType", ""),
            "software_agent": created.get("softwareAgent", {}),
        }
        if created
        else {},
        creator=str(authors[0].get("name", "")) if authors and isinstance(authors[0], dict) else "",
        license_code=str(license_data.get("code", "")),
        license=license_data if isinstance(license_data, dict) else {},
        errors=failures,
    )
