"""The license certificate: one A4 page of PDF, drawn with reportlab.

It names the license (code, status, licensee, project, track, creator, tier, date), the hashes that
tie it to its terms and to the delivered master, the rights in plain words, the Content ID channels the
licensee registered, and a QR code of the public verification page. It doubles as the clearance letter
to send when a Content ID claim is disputed.

Every name and title goes through `pdffonts.markup`: Noto Sans (embedded subset) for Latin, Greek and
Cyrillic, Adobe's CID fonts for Chinese, Japanese and Korean, a visible U+FFFD for the rest.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Frame,
    KeepInFrame,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate

from licensing.pdffonts import SANS, SANS_BOLD, markup, register

INK = colors.HexColor("#1d1b26")
MUTED = colors.HexColor("#5b5868")
ACCENT = colors.HexColor("#4b3fd1")
RULE = colors.HexColor("#dcd9e6")
ALERT_BACKGROUNDS = {"revoked": colors.HexColor("#fdecea"), "disputed": colors.HexColor("#fff4e0")}
STATUS_COLOURS = {"active": colors.HexColor("#1c7c4a"), "revoked": colors.HexColor("#b3261e")}

CLEARANCE = (
    "This certificate serves as the clearance letter for Content ID disputes: the licensee named above "
    "holds a license to use this track on the channels listed. Platforms and rights administrators can "
    "confirm it at any time on the verification page."
)


@dataclass(frozen=True)
class CertificateData:
    code: str
    status: str  # active, revoked, disputed
    status_label: str
    licensee: str
    organisation: str
    project: str
    track_title: str
    creator: str
    tier: str
    issued: str  # the date as people read it
    master_sha256: str
    terms_sha256: str
    rights: list[str]
    verify_url: str
    disclosure: str = ""
    channels: list[tuple[str, str]] = field(default_factory=list)  # (platform label, channel id)
    status_note: str = ""


def _styles() -> dict[str, ParagraphStyle]:
    register()
    base = ParagraphStyle("base", fontName=SANS, fontSize=9.5, leading=13, textColor=INK)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=SANS_BOLD, fontSize=24, leading=28),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, leading=15, textColor=MUTED),
        "h2": ParagraphStyle(
            "h2", base, fontName=SANS_BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4
        ),
        "label": ParagraphStyle("label", base, fontSize=8.5, leading=12, textColor=MUTED),
        "value": ParagraphStyle("value", base, fontName=SANS_BOLD, alignment=TA_LEFT),
        # Hex digits only.
        "mono": ParagraphStyle("mono", base, fontName="Courier", fontSize=8, leading=11),
        "small": ParagraphStyle("small", base, fontSize=8, leading=11, textColor=MUTED),
        "caption": ParagraphStyle(
            "caption", base, fontSize=8, leading=11, textColor=MUTED, alignment=TA_CENTER
        ),
        "bullet": ParagraphStyle("bullet", base, leftIndent=0),
    }


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _details(data: CertificateData, s: dict[str, ParagraphStyle]) -> Table:
    licensee = markup(data.licensee) + (f"<br/>{markup(data.organisation)}" if data.organisation else "")
    rows = [
        ("License code", markup(data.code)),
        ("Status", f'<font color="{_hex(data.status)}">{markup(data.status_label)}</font>'),
        ("Licensee", licensee),
        ("Project", markup(data.project) or "Not named"),
        ("Track", markup(data.track_title)),
        ("Creator", markup(data.creator)),
        ("How it was made", markup(data.disclosure)),
        ("Tier", markup(data.tier)),
        ("Issued", markup(data.issued)),
    ]
    body = [[Paragraph(k, s["label"]), Paragraph(v, s["value"])] for k, v in rows if v]
    table = Table(body, colWidths=[32 * mm, 88 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _hex(status: str) -> str:
    return "#" + STATUS_COLOURS.get(status, colors.HexColor("#8a5a00")).hexval()[2:]


def _decorate(data: CertificateData):
    def draw(canvas, doc) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 14 * mm, width, 14 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(SANS_BOLD, 11)
        canvas.drawString(18 * mm, height - 9 * mm, "Cuemarket")
        canvas.setFont(SANS, 9)
        canvas.drawRightString(width - 18 * mm, height - 9 * mm, "Music license certificate")
        canvas.setStrokeColor(RULE)
        canvas.line(18 * mm, 16 * mm, width - 18 * mm, 16 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(SANS, 7.5)
        canvas.drawString(18 * mm, 11 * mm, f"Verify this license: {data.verify_url}")
        canvas.drawRightString(width - 18 * mm, 11 * mm, data.code)
        canvas.restoreState()

    return draw


def certificate_pdf(data: CertificateData, *, compress: bool = True) -> bytes:
    """The certificate as PDF bytes (A4, one page). `compress=False` leaves the page content readable
    as text in the file, which is what tests look for."""
    s = _styles()
    buffer = io.BytesIO()
    width, height = A4
    margin = 18 * mm
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=24 * mm,
        bottomMargin=20 * mm,
        title=f"License certificate {data.code}",
        author="Cuemarket",
        subject=f"{data.track_title} licensed to {data.licensee}",
        pageCompression=1 if compress else 0,
        invariant=0,
    )
    frame = Frame(
        margin,
        20 * mm,
        width - 2 * margin,
        height - 44 * mm,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="certificate", frames=[frame], onPage=_decorate(data))])

    qr_size = 40 * mm
    qr = Table(
        [[_qr(data.verify_url, qr_size)], [Paragraph("Scan to verify", s["caption"])]],
        colWidths=[qr_size + 4 * mm],
    )
    qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    qr.hAlign = "RIGHT"
    top = Table([[_details(data, s), qr]], colWidths=[122 * mm, width - 2 * margin - 122 * mm])
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )

    story = [
        Paragraph("License certificate", s["title"]),
        Paragraph(f"{markup(data.track_title)} by {markup(data.creator)}", s["subtitle"]),
        Spacer(1, 6 * mm),
    ]
    if data.status != "active":
        note = data.status_note or f"This license is {data.status_label.lower()}."
        box = Table(
            [
                [
                    Paragraph(
                        f'<font color="{_hex(data.status)}"><b>{markup(data.status_label)}.</b> {markup(note)}</font>',
                        s["base"],
                    )
                ]
            ],
            colWidths=[width - 2 * margin],
        )
        box.setStyle(
            TableStyle(
                [
                    (
                        "BACKGROUND",
                        (0, 0),
                        (-1, -1),
                        ALERT_BACKGROUNDS.get(data.status, ALERT_BACKGROUNDS["disputed"]),
                    ),
                    ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor(_hex(data.status))),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        story += [box, Spacer(1, 4 * mm)]
    story += [
        top,
        Paragraph("What this license allows", s["h2"]),
        ListFlowable(
            [ListItem(Paragraph(markup(line), s["bullet"]), leftIndent=10) for line in data.rights],
            bulletType="bullet",
            start="•",
            bulletFontName=SANS,
            leftIndent=10,
        ),
        Paragraph("Content ID", s["h2"]),
    ]
    if data.channels:
        story.append(
            ListFlowable(
                [
                    ListItem(Paragraph(f"{markup(p)}: <b>{markup(c)}</b>", s["bullet"]), leftIndent=10)
                    for p, c in data.channels
                ],
                bulletType="bullet",
                start="•",
                bulletFontName=SANS,
                leftIndent=10,
            )
        )
    else:
        story.append(Paragraph("No channels registered yet; add them on the license page.", s["base"]))
    story += [
        Spacer(1, 2 * mm),
        Paragraph(CLEARANCE, s["base"]),
        Paragraph("Fingerprints", s["h2"]),
        Paragraph("SHA-256 of the master recording", s["label"]),
        Paragraph(escape(data.master_sha256), s["mono"]),
        Spacer(1, 1.5 * mm),
        Paragraph("SHA-256 of the license terms as sold", s["label"]),
        Paragraph(escape(data.terms_sha256), s["mono"]),
    ]
    # Shrink rather than spill onto a second page when the rights or channels run long.
    doc.build([KeepInFrame(frame._aW, frame._aH, story, mode="shrink")])
    return buffer.getvalue()
