"""Images for the browser: decoded safely and re-encoded, so no original byte (or EXIF) leaves.

PNG stays PNG (lossless pictures, transparency); everything else becomes JPEG. Images are scaled
down to at most MAX_SIDE pixels: the officer needs to recognise a photo, not inspect it.
"""

from __future__ import annotations

import io

from PIL import Image, ImageFilter

from adwatch.imaging import decode_image

MAX_SIDE = 1024


def reencode(data: bytes) -> tuple[bytes, str]:
    """The image's pixels in a fresh PNG or JPEG without metadata; returns (bytes, media type)."""
    decoded = decode_image(data, full_size=True)
    picture = decoded.image
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    # Building a new image from the pixels drops EXIF, ICC, text chunks and comments.
    mode = "RGBA" if decoded.format == "png" and "A" in picture.getbands() else "RGB"
    clean = Image.new(mode, picture.size)
    clean.paste(picture.convert(mode))
    out = io.BytesIO()
    if decoded.format == "png":
        clean.save(out, format="PNG", optimize=False)
        return out.getvalue(), "image/png"
    clean.save(out, format="JPEG", quality=85)
    return out.getvalue(), "image/jpeg"


def blurred_preview(data: bytes) -> bytes:
    """A small, heavily blurred JPEG of re-encoded bytes: what shows before the officer clicks."""
    picture = Image.open(io.BytesIO(data))
    picture.thumbnail((160, 160))
    picture = picture.convert("RGB").filter(ImageFilter.GaussianBlur(10))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=60)
    return out.getvalue()
