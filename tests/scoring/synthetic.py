"""Seeded synthetic test material: abstract images (shapes, never people) and their edited variants.

Used by the tests and `bench/scoring.py`; nothing here reads real data.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter


def abstract_image(seed: int, size: tuple[int, int] = (800, 600)) -> Image.Image:
    """An RGB picture of random gradients, ellipses, rectangles and lines, fixed by `seed`."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, _colour(rng))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(6, 14)):
        _shape(draw, rng, width, height)
    return image.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.5, 2.0)))


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))


def _shape(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int) -> None:
    x0, x1 = sorted(rng.randint(-width // 4, width * 5 // 4) for _ in range(2))
    y0, y1 = sorted(rng.randint(-height // 4, height * 5 // 4) for _ in range(2))
    kind = rng.choice(("ellipse", "rectangle", "line", "polygon"))
    if kind == "ellipse":
        draw.ellipse((x0, y0, x1, y1), fill=_colour(rng))
    elif kind == "rectangle":
        draw.rectangle((x0, y0, x1, y1), fill=_colour(rng))
    elif kind == "line":
        draw.line((x0, y0, x1, y1), fill=_colour(rng), width=rng.randint(5, 40))
    else:
        points = [(rng.randint(0, width), rng.randint(0, height)) for _ in range(rng.randint(3, 6))]
        draw.polygon(points, fill=_colour(rng))


def jpeg_bytes(image: Image.Image, quality: int = 85) -> bytes:
    """Encode an image as JPEG bytes."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    """Encode an image as PNG bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def half_size(image: Image.Image) -> Image.Image:
    """The image resized to half its width and height."""
    return image.resize((image.width // 2, image.height // 2), Image.Resampling.BILINEAR)


def crop_sides(image: Image.Image, fraction: float = 0.10) -> Image.Image:
    """The image with `fraction` of its size cut from each side."""
    dx, dy = round(image.width * fraction), round(image.height * fraction)
    return image.crop((dx, dy, image.width - dx, image.height - dy))


def bottom_banner(image: Image.Image, text: str = "NIEUW * BEL NU * 24/7") -> Image.Image:
    """The image with a text banner over its bottom 15%."""
    out = image.copy()
    draw = ImageDraw.Draw(out)
    top = round(out.height * 0.85)
    draw.rectangle((0, top, out.width, out.height), fill=(20, 20, 20))
    draw.text((out.width // 20, top + (out.height - top) // 3), text, fill=(255, 255, 255))
    return out
