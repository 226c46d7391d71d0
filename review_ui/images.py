"""Images for the browser: decoded safely and re-encoded, so no original byte (or EXIF) leaves.

PNG stays PNG (lossless pictures, transparency); everything else becomes JPEG. Images are scaled
down to at most MAX_SIDE pixels: the officer needs to recognise a photo, not inspect it.

Bounds (issue 16, finding 5: a 40-megapixel PNG of 170 KB was decoded on every view, and eight
concurrent previews took the server to 2.3 GB): the pixel limit is checked from the header before
any decoding, JPEGs are decoded at display size, at most DECODE_SLOTS images are decoded at once,
and re-encoded images and blurred previews are cached (by the SHA-256 of their input).
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable

from PIL import Image, ImageFilter

from adwatch.imaging import decode_image

MAX_SIDE = 1024
PREVIEW_SIDE = 160
DECODE_SLOTS = 2
CACHE_BYTES = 32 * 1024 * 1024


class ByteBudgetCache:
    """A least-recently-used cache of byte strings, bounded by their total size."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._items: OrderedDict[bytes, tuple[bytes, str]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: bytes) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: bytes, value: tuple[bytes, str]) -> None:
        with self._lock:
            if key in self._items or len(value[0]) > self.budget:
                return
            self._items[key] = value
            self._size += len(value[0])
            while self._size > self.budget:
                _, (old, _) = self._items.popitem(last=False)
                self._size -= len(old)


_cache = ByteBudgetCache(CACHE_BYTES)
_decode_slots = threading.BoundedSemaphore(DECODE_SLOTS)


def _cached(kind: str, data: bytes, make: Callable[[bytes], tuple[bytes, str]]):
    key = kind.encode("ascii") + hashlib.sha256(data).digest()
    found = _cache.get(key)
    if found is not None:
        return found
    with _decode_slots:
        found = _cache.get(key)  # made meanwhile by a request that held the slot
        if found is None:
            found = make(data)
            _cache.put(key, found)
    return found


def reencode(data: bytes) -> tuple[bytes, str]:
    """The image's pixels in a fresh PNG or JPEG without metadata; returns (bytes, media type)."""
    return _cached("full", data, _reencode)


def blurred_preview(data: bytes) -> bytes:
    """A small, heavily blurred JPEG of re-encoded bytes: what shows before the officer clicks."""
    return _cached("blur", data, _blurred)[0]


def _reencode(data: bytes) -> tuple[bytes, str]:
    decoded = decode_image(data, full_size=True, draft_to=(MAX_SIDE, MAX_SIDE))
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


def _blurred(data: bytes) -> tuple[bytes, str]:
    # Input is our own re-encoded image (at most MAX_SIDE square), still decoded the safe way.
    picture = decode_image(data, max_pixels=MAX_SIDE * MAX_SIDE, full_size=True).image
    picture.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    picture = picture.convert("RGB").filter(ImageFilter.GaussianBlur(10))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=60)
    return out.getvalue(), "image/jpeg"
