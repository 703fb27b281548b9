"""Fonts for the PDFs licensing draws, and `markup`, which sets any text a person typed in them.

Helvetica, the PDF standard font, covers Latin-1 only, but licensees, creators and titles come in any
script. So text is set in Noto Sans (all of Latin with its extensions, IPA, Greek with polytonic,
Cyrillic), shipped by the pymupdf-fonts package and embedded as a subset; runs of Chinese, Japanese or
Korean switch to one of Adobe's standard CJK fonts, which reportlab names without a font file (CID
fonts: not embedded, every common viewer has them or substitutes its own). A character neither can
draw (Arabic and Hebrew need a bidi and shaping engine reportlab does not run; Devanagari, emoji, …)
is drawn as U+FFFD, a visible "�", never dropped; the license record keeps the name as typed.
"""

from __future__ import annotations

import functools
import io
import itertools
import unicodedata
from xml.sax.saxutils import escape

import pymupdf_fonts
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

SANS = "NotoSans"
SANS_BOLD = "NotoSans-Bold"
REPLACEMENT = "\ufffd"

# Adobe's standard CID fonts, sans-serif where there is one (Chinese has only Song/Ming faces).
CJK_FONTS = {"zh": "STSong-Light", "ja": "HeiseiKakuGo-W5", "ko": "HYGothic-Medium"}

_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC))
# Shared by the three: ideographs, CJK punctuation and symbols, fullwidth forms. All in the BMP, since
# the fonts are addressed in UCS-2; ideographs beyond it (Extension B on) fall to the replacement.
_HAN = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x303F),
    (0x3190, 0x31EF),
    (0x3200, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFF65),
    (0xFFE0, 0xFFEF),
)


@functools.cache
def register() -> None:
    """Register the fonts with reportlab, once per process (Noto Sans is read and parsed here)."""
    regular = TTFont(SANS, io.BytesIO(pymupdf_fonts.myfont("notos")))
    bold = TTFont(SANS_BOLD, io.BytesIO(pymupdf_fonts.myfont("notosbo")))
    for font in (regular, bold):
        pdfmetrics.registerFont(font)
    # So that <b> inside a paragraph, and a bold style, pick the bold face.
    for is_bold, is_italic in itertools.product((0, 1), repeat=2):
        addMapping(SANS, is_bold, is_italic, SANS_BOLD if is_bold else SANS)
        addMapping(SANS_BOLD, is_bold, is_italic, SANS_BOLD if is_bold else SANS)
    for name in CJK_FONTS.values():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
        # No bold CID faces: bold CJK text is set in the regular weight.
        for is_bold, is_italic in itertools.product((0, 1), repeat=2):
            addMapping(name, is_bold, is_italic, name)


@functools.cache
def _sans_chars() -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(SANS).face.charToGlyph)


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _font_for(char: str, *, sans: frozenset[int], japanese: bool) -> str | None:
    """The font that draws `char`: Noto Sans, a CJK font, or None for the replacement. Ideographs go
    to the Japanese font in text with kana, else to the Chinese one, whose character collection
    (Adobe-GB1, after GB 18030) holds nearly every ideograph of the BMP; the Korean one few."""
    code = ord(char)
    if code in sans:
        return SANS
    if _within(code, _HANGUL):
        return CJK_FONTS["ko"]
    if _within(code, _KANA):
        return CJK_FONTS["ja"]
    if _within(code, _HAN):
        return CJK_FONTS["ja" if japanese else "zh"]
    return None


def markup(text: str) -> str:
    """`text` as reportlab paragraph markup, in a paragraph styled with SANS or SANS_BOLD: escaped,
    NFC-normalised, CJK runs wrapped in <font face>, undrawable characters replaced by "�".
    Whitespace no font has becomes a space; control characters, invisible anyway, are left out."""
    sans = _sans_chars()
    text = unicodedata.normalize("NFC", text)
    japanese = any(_within(ord(c), _KANA) for c in text)
    chars = []
    for char in text:
        font = _font_for(char, sans=sans, japanese=japanese)
        if font is None and char.isspace():
            char, font = " ", SANS
        elif font is None and unicodedata.category(char) in ("Cc", "Cf"):
            continue
        chars.append((char, font) if font else (REPLACEMENT, SANS))
    parts = []
    for font, run in itertools.groupby(chars, key=lambda pair: pair[1]):
        chunk = escape("".join(char for char, _ in run))
        parts.append(chunk if font == SANS else f'<font face="{font}">{chunk}</font>')
    return "".join(parts)
