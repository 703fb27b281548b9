"""The license certificate: one A4 page naming the license, its fingerprints, its rights in words, the
Content ID channels, and a QR code of the verification page."""

from __future__ import annotations

import re

import pytest

from licensing import channels, delivery, services
from licensing.certificate import CLEARANCE, CertificateData, certificate_pdf


def pdf_text(pdf: bytes) -> bytes:
    """The strings an uncompressed PDF draws, joined (reportlab writes each line as one (string) Tj)."""
    return b"\n".join(re.findall(rb"\((.*?)(?<!\\)\) Tj", pdf))


@pytest.fixture
def certificate(license, buyer):
    channels.channel_add(license=license, by=buyer, platform="youtube", channel_id="UC" + "x" * 22)
    return delivery.certificate_bytes(license, compress=False)


def test_it_is_a_one_page_a4_pdf(certificate):
    assert certificate.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", certificate)) == 1
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in certificate


def test_it_names_the_license_its_holder_and_track(certificate, license):
    text = pdf_text(certificate)
    for value in (
        "License certificate",
        license.code,
        "Active",
        "Ada Park",
        "Northwind Films",
        "Harbour documentary",
        "Night Vault",
        "Nadia Okafor",
        "Commercial",
        "AI-generated",
    ):
        assert value.encode() in text, value


def test_it_prints_the_master_and_terms_fingerprints(certificate, license):
    text = pdf_text(certificate)
    assert license.master_sha256.encode() in text
    assert license.terms_sha256.encode() in text


def test_it_states_the_rights_in_plain_words(certificate, license):
    text = pdf_text(certificate)
    assert b"Paid advertising is allowed." in text
    assert b"train, fine-tune or test AI models" in text


def test_it_lists_content_id_channels_and_serves_as_clearance_letter(certificate):
    text = pdf_text(certificate)
    assert b"UC" + b"x" * 22 in text
    assert b"clearance letter" in text
    assert CLEARANCE.startswith("This certificate serves as the clearance letter")


def test_it_carries_a_qr_code_and_the_verification_address(certificate, license):
    assert f"http://testserver/licenses/verify/{license.code}".encode() in pdf_text(certificate)
    # The QR code is drawn as filled squares: hundreds of them.
    assert certificate.count(b" re f") > 200


def test_it_says_when_the_license_was_revoked(license):
    services.license_revoke(license=license, reason="Refunded")
    text = pdf_text(delivery.certificate_bytes(license, compress=False))
    assert b"Revoked" in text
    assert b"no longer grants any rights" in text


def test_it_fits_long_rights_and_many_channels_on_one_page():
    data = CertificateData(
        code="LIC-7K2M-9QXD-4HTV",
        status="active",
        status_label="Active",
        licensee="A" * 120,
        organisation="B" * 120,
        project="C" * 120,
        track_title="Night Vault",
        creator="Nadia Okafor",
        tier="Broadcast",
        issued="22 November 2026",
        master_sha256="a" * 64,
        terms_sha256="b" * 64,
        rights=[
            f"Right number {i} in plain words, long enough to wrap onto a second line of the page."
            for i in range(30)
        ],
        verify_url="http://testserver/licenses/verify/LIC-7K2M-9QXD-4HTV",
        channels=[("YouTube", f"UC{i:022d}") for i in range(50)],
    )
    pdf = certificate_pdf(data, compress=False)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1


def test_it_compresses_by_default(license):
    pdf = delivery.certificate_bytes(license)
    assert pdf.startswith(b"%PDF-") and b"/FlateDecode" in pdf
    assert license.code.encode() not in pdf_text(pdf)
