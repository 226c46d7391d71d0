"""Issue 16, finding 5: a 40-megapixel PNG of 170 KB was decoded fully on every view. The UI
now checks the pixel count from the header before decoding, decodes at most two images at a
time, and caches re-encoded images and their blurred previews."""

from __future__ import annotations

import pytest

from adwatch.errors import ImageRejected
from review_ui import images
from tests.crawler.sites import png_bytes, png_declaring


def test_an_image_declaring_too_many_pixels_is_refused_before_decoding(monkeypatch) -> None:
    def no_loading(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_loading)
    with pytest.raises(ImageRejected, match="exceeds the limit"):
        images.reencode(png_declaring(8000, 6000))


def test_each_image_and_preview_is_decoded_once(monkeypatch) -> None:
    calls = []
    real = images.decode_image

    def counting(data, **kwargs):
        calls.append(len(data))
        return real(data, **kwargs)

    monkeypatch.setattr(images, "decode_image", counting)
    monkeypatch.setattr(images, "_cache", images.ByteBudgetCache(images.CACHE_BYTES))
    picture = png_bytes((1, 2, 3), size=(300, 200))
    for _ in range(5):
        data, media_type = images.reencode(picture)
        preview = images.blurred_preview(data)
    assert media_type == "image/png" and preview.startswith(b"\xff\xd8")
    assert len(calls) == 2  # one full decode, one of the re-encoded copy for its preview


def test_the_cache_keeps_to_its_byte_budget() -> None:
    cache = images.ByteBudgetCache(budget=10)
    for key in (b"a", b"b", b"c"):
        cache.put(key, (b"12345", "image/png"))
    assert cache.get(b"a") is None and cache.get(b"c") == (b"12345", "image/png")
