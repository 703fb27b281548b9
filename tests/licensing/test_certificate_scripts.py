"""The certificate draws names and titles in any script: Latin with its extensions, Greek and Cyrillic
in Noto Sans (an embedded subset), Chinese, Japanese and Korean in Adobe's CID fonts, and a visible
"�" for what no font here draws."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from licensing import delivery, pdffonts
from licensing.certificate import CertificateData, certificate_pdf

NAMES = {
    "licensee": "Łukasz Wiśniewski",
    "organisation": "ООО «Дмитрий Иванов и партнёры»",
    "project": "Ελένη Παπαδοπούλου: Ἀθῆναι",
    "track_title": "夜の港",
    "creator": "山田太郎 & 김민준",
}


def certificate(**fields) -> bytes:
    values = {
        "code": "LIC-7K2M-9QXD-4HTV",
        "status": "active",
        "status_label": "Active",
        "tier": "Commercial",
        "issued": "6 December 2025",
        "master_sha256": "a" * 64,
        "terms_sha256": "b" * 64,
        "rights": ["Paid advertising is allowed."],
        "verify_url": "http://testserver/licenses/verify/LIC-7K2M-9QXD-4HTV",
        **NAMES,
        **fields,
    }
    return certificate_pdf(CertificateData(**values))


def page(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0]


def fonts(pdf: bytes) -> dict[str, dict]:
    """{base font name: font dictionary} of the page."""
    resources = page(pdf)["/Resources"]["/Font"]
    return {str(f.get_object()["/BaseFont"]): f.get_object() for f in resources.values()}


def test_it_draws_polish_greek_cyrillic_chinese_japanese_and_korean_names():
    text = page(certificate()).extract_text()
    for value in NAMES.values():
        for word in value.split():
            assert word in text, word


def test_it_draws_the_rest_of_latin_extended_and_polytonic_greek():
    title = "Ștefan Nguyễn Thị Ảnh ǅ ɐ Ⱥ Ꝁ ἀρχή"
    text = page(certificate(track_title=title)).extract_text()
    assert title in text
    assert "\ufffd" not in text


def test_it_embeds_noto_sans_as_a_subset():
    used = fonts(certificate())
    for name in ("NotoSans-Regular", "NotoSans-Bold"):
        [(base, font)] = [(b, f) for b, f in used.items() if b.endswith("+" + name)]
        assert re.fullmatch(r"/[A-Z]{6}\+" + name, base)
        assert "/FontFile2" in font["/FontDescriptor"]
        assert "/ToUnicode" in font


def test_it_names_cjk_fonts_without_embedding_them():
    used = fonts(certificate())
    for name, encoding in [
        ("HeiseiKakuGo-W5", "/UniJIS-UCS2-H"),
        ("STSong-Light", "/UniGB-UCS2-H"),
        ("HYGothic-Medium", "/UniKS-UCS2-H"),
    ]:
        font = used["/" + name]
        assert font["/Subtype"] == "/Type0"
        assert font["/Encoding"] == encoding


def test_it_uses_no_other_font_but_courier_for_the_fingerprints():
    # Helvetica is only the canvas's starting font: reportlab names it, nothing is drawn in it.
    other = {b for b in fonts(certificate()) if "+NotoSans-" not in b}
    assert other <= {"/HeiseiKakuGo-W5", "/STSong-Light", "/HYGothic-Medium", "/Courier", "/Helvetica"}


def test_it_sets_ideographs_in_the_japanese_font_beside_kana_else_in_the_chinese_one():
    assert pdffonts.markup("夜の港") == '<font face="HeiseiKakuGo-W5">夜の港</font>'
    assert pdffonts.markup("山田太郎") == '<font face="STSong-Light">山田太郎</font>'
    assert pdffonts.markup("김민준") == '<font face="HYGothic-Medium">김민준</font>'


def test_it_replaces_what_no_font_draws_with_a_visible_mark():
    assert pdffonts.markup("محمد 🎵") == "\ufffd" * 4 + " \ufffd"
    text = page(certificate(licensee="محمد Ali")).extract_text()
    assert "\ufffd" * 4 + " Ali" in text


def test_it_escapes_markup_normalises_accents_and_drops_control_characters():
    assert pdffonts.markup("<b>Tom & Jerry</b>") == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"
    assert pdffonts.markup("Rene\u0301e") == "Renée"
    assert pdffonts.markup("Ada\x07\nPark") == "Ada Park"


def test_it_registers_the_fonts_once_per_process():
    certificate()
    font = pdfmetrics.getFont(pdffonts.SANS)
    certificate()
    assert pdfmetrics.getFont(pdffonts.SANS) is font
    assert pdffonts.register.cache_info().currsize == 1


@pytest.mark.django_db
def test_it_draws_the_names_a_licensee_typed_at_checkout(make_track, issue):
    track = make_track("heist", title="Ночной свод")
    license = issue(
        track,
        "commercial",
        licensee_name="Ελένη Παπαδοπούλου",
        licensee_organisation="山田商事株式会社",
        project="Łódź 2026",
    )
    text = page(delivery.certificate_bytes(license)).extract_text()
    for value in ("Ночной свод", "Ελένη Παπαδοπούλου", "山田商事株式会社", "Łódź 2026", license.code):
        assert value in text, value
