"""Cover art drawn from a track's attributes with Pillow: one look per genre, varied per track.

The palette comes from the genre and mode, the brightness from the energy, and the shapes (a field of
waveform bars and a few circles) from a hash of the slug, so two tracks never share a cover and the same
track always gets the same one.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from catalog.errors import TrackFilesError

SIZE = 600

# Base hue (0-1) per genre; mode and energy move saturation and lightness.
GENRE_HUES = {
    "cinematic": 0.60,
    "ambient": 0.52,
    "lofi": 0.08,
    "corporate": 0.57,
    "house": 0.85,
    "synthwave": 0.80,
    "rock": 0.00,
    "folk": 0.11,
    "jazz": 0.70,
    "trap": 0.95,
    "piano": 0.63,
    "world": 0.14,
}


def _rgb(h: float, s: float, v: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, max(0.0, min(1.0, s)), max(0.0, min(1.0, v)))
    return int(r * 255), int(g * 255), int(b * 255)


def draw_cover(
    *, slug: str, title: str, genre: str, mode: str, energy: str, peaks: list[float] | None = None
) -> bytes:
    """A square PNG cover for a track, as bytes."""
    rng = random.Random(int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big"))
    hue = GENRE_HUES.get(genre, 0.5) + rng.uniform(-0.05, 0.05)
    minor = mode == "minor"
    lift = {"low": 0.0, "medium": 0.08, "high": 0.16}.get(energy, 0.08)
    top = _rgb(hue, 0.55, (0.30 if minor else 0.55) + lift)
    bottom = _rgb(hue + 0.08, 0.75, (0.10 if minor else 0.25) + lift)

    image = Image.new("RGB", (SIZE, SIZE), bottom)
    gradient = Image.linear_gradient("L").resize((SIZE, SIZE))
    image = Image.composite(
        Image.new("RGB", (SIZE, SIZE), bottom), Image.new("RGB", (SIZE, SIZE), top), gradient
    )

    glow = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(glow)
    for _ in range(rng.randint(2, 4)):
        radius = rng.randint(90, 240)
        cx, cy = rng.randint(0, SIZE), rng.randint(0, SIZE // 2 + 100)
        colour = _rgb(hue + rng.uniform(0.1, 0.3), 0.6, 0.95)
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius), fill=(*colour, rng.randint(40, 90))
        )
    glow = glow.filter(ImageFilter.GaussianBlur(40))
    image = Image.alpha_composite(image.convert("RGBA"), glow)

    bars = ImageDraw.Draw(image)
    values = _bar_heights(peaks, rng, count=48)
    bar_colour = (*_rgb(hue + 0.5, 0.25, 1.0), 200)
    width = SIZE / len(values)
    baseline = SIZE * 0.70
    for i, value in enumerate(values):
        height = 8 + value * SIZE * 0.28
        x0 = i * width + width * 0.2
        bars.rounded_rectangle(
            (x0, baseline - height / 2, x0 + width * 0.6, baseline + height / 2), radius=3, fill=bar_colour
        )

    _draw_title(bars, title)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _bar_heights(peaks: list[float] | None, rng: random.Random, *, count: int) -> list[float]:
    if peaks:
        step = max(1, len(peaks) // count)
        values = [max(peaks[i : i + step]) for i in range(0, step * count, step)][:count]
        top = max(values) or 1.0
        return [v / top for v in values]
    return [abs(rng.gauss(0.5, 0.25)) % 1.0 for _ in range(count)]


def _draw_title(draw: ImageDraw.ImageDraw, title: str) -> None:
    font = ImageFont.load_default(size=44)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > SIZE - 80 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = 48
    for text in lines[:3]:
        draw.text((40, y), text, font=font, fill=(255, 255, 255, 240))
        y += 54


COVER_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MAX_COVER_PIXELS = 4096 * 4096


def check_cover(upload) -> str:
    """The file extension of an uploaded cover image, or TrackFilesError(field="cover") if it is not a
    PNG, JPEG or WebP image that Pillow can read."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            too_big = image.width * image.height > MAX_COVER_PIXELS
            image.verify()
    except (OSError, ValueError, Image.DecompressionBombError):
        raise TrackFilesError("The cover must be a PNG, JPEG or WebP image.", field="cover") from None
    finally:
        upload.seek(0)
    if fmt not in COVER_FORMATS:
        raise TrackFilesError("The cover must be a PNG, JPEG or WebP image.", field="cover")
    if too_big:
        raise TrackFilesError("The cover is too large; 4096 by 4096 pixels at most.", field="cover")
    return COVER_FORMATS[fmt]
