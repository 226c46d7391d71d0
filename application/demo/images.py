"""Generated demo photos: abstract gradients and shapes (never people), and the re-use variants.

A variant is drawn from the same base as its original and then changed the way reposted photos
are: resized to half, re-compressed at JPEG quality 40, cropped 10% on each side, or given a text
banner. Bytes are deterministic for a seed and Pillow version.
"""

from __future__ import annotations

import io
import random
import threading

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from application.demo.records import ImageSpec

WIDTH, HEIGHT = 640, 480
JPEG_QUALITY = 85
LOW_QUALITY = 40
BANNER_HEIGHT = 48
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


def draw_base(base: int) -> Image.Image:
    """Draw the abstract picture for one base seed."""
    rng = random.Random(base)
    image = _gradient(rng)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(8, 14)):
        _shape(draw, rng)
    return image.filter(ImageFilter.GaussianBlur(2))


def render(spec: ImageSpec) -> bytes:
    """Encode the image a spec describes, variant applied."""
    image = draw_base(spec.base)
    quality = JPEG_QUALITY
    if spec.variant == "half":
        image = image.resize((WIDTH // 2, HEIGHT // 2), Image.Resampling.LANCZOS)
    elif spec.variant == "q40":
        quality = LOW_QUALITY
    elif spec.variant == "crop":
        dx, dy = WIDTH // 10, HEIGHT // 10
        image = image.crop((dx, dy, WIDTH - dx, HEIGHT - dy))
    elif spec.variant == "banner":
        _banner(image)
    elif spec.variant != "original":
        raise ValueError(f"unknown image variant {spec.variant!r}")
    return _encode(image, spec.name.rsplit(".", 1)[1], quality)


def content_type(name: str) -> str:
    """The Content-Type for an image file name."""
    return CONTENT_TYPES[name.rsplit(".", 1)[1]]


class ImageStore:
    """Renders images on first request and keeps the bytes in memory."""

    def __init__(self, specs: dict[str, ImageSpec]) -> None:
        self._specs = specs
        self._cache: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def __contains__(self, name: str) -> bool:
        return name in self._specs

    def get(self, name: str) -> bytes:
        """The encoded bytes of image `name`; KeyError when there is no such image."""
        spec = self._specs[name]
        with self._lock:
            if name not in self._cache:
                self._cache[name] = render(spec)
            return self._cache[name]


def _gradient(rng: random.Random) -> Image.Image:
    start = np.array([rng.randint(0, 255) for _ in range(3)], dtype=np.float32)
    end = np.array([rng.randint(0, 255) for _ in range(3)], dtype=np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    t = xs * np.cos(angle) + ys * np.sin(angle)
    t = (t - t.min()) / (t.max() - t.min())
    pixels = start + (end - start) * t[..., None]
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def _shape(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    colour = tuple(rng.randint(0, 255) for _ in range(3))
    x, y = rng.randint(-80, WIDTH - 80), rng.randint(-80, HEIGHT - 80)
    w, h = rng.randint(60, 280), rng.randint(60, 240)
    kind = rng.choice(("ellipse", "rectangle", "triangle"))
    if kind == "ellipse":
        draw.ellipse((x, y, x + w, y + h), fill=colour)
    elif kind == "rectangle":
        draw.rectangle((x, y, x + w, y + h), fill=colour)
    else:
        draw.polygon([(x, y + h), (x + w // 2, y), (x + w, y + h)], fill=colour)


def _banner(image: Image.Image) -> None:
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((0, HEIGHT - BANNER_HEIGHT, WIDTH, HEIGHT), fill=(20, 20, 20, 150))
    font = ImageFont.load_default(size=28)
    draw.text(
        (24, HEIGHT - BANNER_HEIGHT + 10), "NIEUW - BEL NU", fill=(255, 220, 0, 230), font=font
    )
    image.paste(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))


def _encode(image: Image.Image, ext: str, quality: int) -> bytes:
    out = io.BytesIO()
    if ext == "png":
        image.save(out, "PNG", optimize=False)
    else:
        image.save(out, "JPEG", quality=quality)
    return out.getvalue()
