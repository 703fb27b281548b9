"""Content Credentials: the local signing CA made on first use, a configured certificate, and what
reading reports about unsigned, foreign-signed and platform-signed files."""

from __future__ import annotations

import shutil
import threading

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.core.exceptions import ImproperlyConfigured

from licensing import credentials

MANIFEST = {
    "claim_generator_info": [{"name": "Cuemarket", "version": "1"}],
    "title": "Night Vault",
    "assertions": [
        {
            "label": "c2pa.actions",
            "data": {
                "actions": [
                    {
                        "action": "c2pa.created",
                        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
                    }
                ]
            },
        },
        {"label": credentials.LICENSE_ASSERTION, "data": {"code": "LIC-7K2M-9QXD-4HTV"}},
    ],
}


@pytest.fixture
def wav(engine_outputs, tmp_path):
    path = tmp_path / "mix.wav"
    shutil.copy(engine_outputs["heist"] / "mix.wav", path)
    return path


def test_it_creates_the_local_ca_once_under_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    folder = credentials.ensure_local_ca()
    assert folder == tmp_path / "c2pa"
    first = {name: (folder / name).read_bytes() for name in ("ca.pem", "ca.key", "signer.pem", "signer.key")}
    assert (folder / "ca.key").stat().st_mode & 0o777 == 0o600
    assert (folder / "signer.key").stat().st_mode & 0o777 == 0o600
    credentials.ensure_local_ca()
    assert {name: (folder / name).read_bytes() for name in first} == first


def test_it_issues_a_signing_certificate_c2pa_accepts(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    folder = credentials.ensure_local_ca()
    ca = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    leaf, chained_ca = x509.load_pem_x509_certificates((folder / "signer.pem").read_bytes())
    assert chained_ca == ca
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert leaf.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert (
        ExtendedKeyUsageOID.EMAIL_PROTECTION
        in leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    )
    aki = leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    assert aki == ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert leaf.issuer == ca.subject


def test_it_creates_one_ca_when_two_callers_race(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    barrier = threading.Barrier(4)

    def create():
        barrier.wait()
        credentials.ensure_local_ca()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    folder = tmp_path / "c2pa"
    ca = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    leaf, chained_ca = x509.load_pem_x509_certificates((folder / "signer.pem").read_bytes())
    assert chained_ca == ca and leaf.issuer == ca.subject
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "ca.key",
        "ca.pem",
        "signer.key",
        "signer.pem",
    ]


def test_it_signs_and_reads_back_trusted_credentials(wav):
    credentials.sign(wav, MANIFEST, "audio/wav")
    report = credentials.read(wav, "audio/wav")
    assert report.valid and report.trusted and report.intact
    assert report.license_code == "LIC-7K2M-9QXD-4HTV"
    assert report.signer == "Cuemarket license signing"
    assert report.errors == []


def test_it_reports_a_file_without_credentials(wav):
    report = credentials.read(wav, "audio/wav")
    assert not report.present and not report.valid


def test_it_says_a_file_signed_by_another_ca_is_intact_but_not_trusted(settings, wav, tmp_path):
    settings.VAR_DIR = tmp_path / "elsewhere"
    credentials.sign(wav, MANIFEST, "audio/wav")
    settings.VAR_DIR = tmp_path / "here"
    report = credentials.read(wav, "audio/wav")
    assert report.present and report.intact
    assert not report.trusted and not report.valid
    assert any(error.startswith("signingCredential.untrusted") for error in report.errors)


def test_it_signs_with_a_configured_certificate_without_making_a_local_ca(settings, wav, tmp_path):
    settings.VAR_DIR = tmp_path / "issuer"
    issued = credentials.ensure_local_ca()
    settings.VAR_DIR = tmp_path / "var"
    settings.C2PA_SIGNING_CERT = str(issued / "signer.pem")
    settings.C2PA_SIGNING_KEY = str(issued / "signer.key")
    credentials.sign(wav, MANIFEST, "audio/wav")
    assert credentials.read(wav, "audio/wav").valid
    assert not (tmp_path / "var" / "c2pa").exists()


def test_it_refuses_half_a_configuration(settings, wav, tmp_path):
    settings.C2PA_SIGNING_CERT = str(tmp_path / "chain.pem")
    with pytest.raises(ImproperlyConfigured, match="C2PA_SIGNING_KEY"):
        credentials.sign(wav, MANIFEST, "audio/wav")


def test_it_refuses_an_unreadable_certificate(settings, wav, tmp_path):
    settings.C2PA_SIGNING_CERT = str(tmp_path / "missing.pem")
    settings.C2PA_SIGNING_KEY = str(tmp_path / "missing.key")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        credentials.sign(wav, MANIFEST, "audio/wav")


def test_it_leaves_the_file_untouched_when_signing_fails(wav):
    before = wav.read_bytes()
    with pytest.raises(credentials.CredentialsError):
        credentials.sign(wav, MANIFEST, "audio/mpeg")  # a WAV is not an MP3
    assert wav.read_bytes() == before
    assert [p.name for p in wav.parent.iterdir()] == ["mix.wav"]
