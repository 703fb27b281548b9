"""Avatar images: what an upload must be, and the square thumbnail every avatar becomes.

Pure Pillow, no storage: the service decides where the bytes go.
"""

from __future__ import annotations

import io
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError, features

from accounts.errors import AvatarInvalid

SIZE = 256
MAX_BYTES = 5 * 1024 * 1024
# A 5 MB file can still claim enormous dimensions (a decompression bomb); refuse before decoding.
MAX_SIDE = 8000
MAX_PIXELS = 40_000_000
MIN_SIDE = 16
FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


def avatar_check(file: IO[bytes], *, size: int | None = None) -> None:
    """Refuse anything that is not a reasonably sized JPEG, PNG, WebP or GIF image, without decoding it."""
    if size is not None and size > MAX_BYTES:
        raise AvatarInvalid(f"The image is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        file.seek(0)
        with Image.open(file) as image:
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise AvatarInvalid("Upload a JPEG, PNG, WebP or GIF image.") from exc
    finally:
        file.seek(0)
    if fmt not in FORMATS:
        raise AvatarInvalid("Upload a JPEG, PNG, WebP or GIF image.")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise AvatarInvalid(f"The image is too large: at most {MAX_SIDE} pixels on a side.")
    if width < MIN_SIDE or height < MIN_SIDE:
        raise AvatarInvalid(f"The image is too small: at least {MIN_SIDE} pixels on a side.")


def avatar_extension() -> str:
    """WebP where this Pillow can write it (smaller), JPEG otherwise."""
    return "webp" if features.check("webp") else "jpg"


def avatar_render(file: IO[bytes], *, size: int | None = None) -> bytes:
    """The upload as a SIZE x SIZE square: upright per its EXIF orientation, centre-cropped, re-encoded.

    Re-encoding also drops whatever metadata (GPS position, camera serial) the original carried.
    """
    avatar_check(file, size=size)
    try:
        with Image.open(file) as original:
            # Lets a large JPEG decode at a fraction of its size: far faster, same result at 256 pixels.
            original.draft("RGB", (SIZE * 2, SIZE * 2))
            image = ImageOps.exif_transpose(original)
            image = _without_palette(image)
            image = ImageOps.fit(image, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    except (Image.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        raise AvatarInvalid("The image could not be read; it may be damaged.") from exc
    finally:
        file.seek(0)

    out = io.BytesIO()
    if avatar_extension() == "webp":
        image.save(out, format="WEBP", quality=85, method=4)
    else:
        if image.mode == "RGBA":
            image = _flatten(image)
        image.save(out, format="JPEG", quality=88, optimize=True)
    return out.getvalue()


def _without_palette(image: Image.Image) -> Image.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _flatten(image: Image.Image) -> Image.Image:
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background
