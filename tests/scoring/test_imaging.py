"""adwatch.imaging: accepted formats, refusals, hashes that survive edits but not other photos."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from PIL import Image

from adwatch.errors import ImageRejected
from adwatch.imaging import (
    _DCT,
    CROP_BOXES,
    HASH_PIPELINE_VERSION,
    _transforms,
    decode_image,
    hamming,
    image_hashes,
)
from tests.scoring.synthetic import (
    abstract_image,
    bottom_banner,
    crop_sides,
    half_size,
    jpeg_bytes,
    png_bytes,
)

THRESHOLD = 8


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_accepted_formats_are_sniffed(fmt: str) -> None:
    decoded = decode_image(_encode(abstract_image(1, (120, 90)), fmt))
    assert decoded.format == fmt.lower()
    assert (decoded.width, decoded.height) == (120, 90)


def test_jpeg_keeps_stored_dimensions_when_decoded_reduced() -> None:
    decoded = decode_image(jpeg_bytes(abstract_image(2)))
    assert (decoded.width, decoded.height) == (800, 600)
    assert decoded.scale > 1 and decoded.image.size[0] == 800 // decoded.scale
    assert decode_image(jpeg_bytes(abstract_image(2)), full_size=True).image.size == (800, 600)


@pytest.mark.parametrize(
    "data",
    [b"<html>not an image</html>", b"BM" + b"\0" * 100, b"%PDF-1.4", b""],
    ids=["html", "bmp", "pdf", "empty"],
)
def test_other_types_are_rejected(data: bytes) -> None:
    with pytest.raises(ImageRejected, match="not an accepted image type"):
        decode_image(data)


def test_truncated_jpeg_is_rejected() -> None:
    data = jpeg_bytes(abstract_image(3))
    with pytest.raises(ImageRejected, match="truncated or corrupt"):
        decode_image(data[: len(data) // 2])


def test_too_many_bytes_is_rejected() -> None:
    with pytest.raises(ImageRejected, match="over the limit"):
        decode_image(png_bytes(abstract_image(4, (64, 64))), max_bytes=100)


def test_decompression_bomb_is_rejected_before_decoding() -> None:
    bomb = png_bytes(Image.new("L", (9000, 9000)))
    with pytest.raises(ImageRejected, match="exceeds the limit"):
        decode_image(bomb, max_pixels=40_000_000)
    with pytest.raises(ImageRejected, match="exceeds the limit"):
        decode_image(png_bytes(Image.new("L", (300, 300))), max_pixels=10_000)


def test_hashes_carry_algorithm_and_pipeline_version() -> None:
    hashes = image_hashes(decode_image(jpeg_bytes(abstract_image(5))))
    assert hashes.phash.startswith("phash:") and len(hashes.phash) == 6 + 16
    assert hashes.dhash.startswith("dhash:")
    assert all(h.startswith("phash:") for h in hashes.crop_phashes)
    assert hashes.pipeline_version == HASH_PIPELINE_VERSION


def test_hamming_refuses_mixed_algorithms() -> None:
    with pytest.raises(ValueError, match="different algorithms"):
        hamming("phash:" + "0" * 16, "dhash:" + "0" * 16)


def _closest(a, b) -> int:
    return min(hamming(x, y) for x in a.all_phashes() for y in b.all_phashes())


EDITS = {
    "half": lambda im: jpeg_bytes(half_size(im)),
    "jpeg_q40": lambda im: jpeg_bytes(im, quality=40),
    "crop_10pct": lambda im: jpeg_bytes(crop_sides(im, 0.10)),
    "banner": lambda im: jpeg_bytes(bottom_banner(im)),
    "all_four": lambda im: jpeg_bytes(bottom_banner(crop_sides(half_size(im))), quality=40),
}
SEEDS = range(100, 130)


@pytest.fixture(scope="module")
def originals() -> dict:
    return {s: image_hashes(decode_image(jpeg_bytes(abstract_image(s)))) for s in SEEDS}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edited_photo_still_matches_its_original(edit: str, originals: dict) -> None:
    for seed in SEEDS:
        edited = image_hashes(decode_image(EDITS[edit](abstract_image(seed))))
        assert _closest(edited, originals[seed]) <= THRESHOLD, (edit, seed)


def test_different_photos_never_match(originals: dict) -> None:
    for a, b in itertools.combinations(SEEDS, 2):
        assert _closest(originals[a], originals[b]) > THRESHOLD, (a, b)


def test_pipeline_version_fits_its_column() -> None:
    assert len(HASH_PIPELINE_VERSION) <= 64


def _pil_transforms(gray: Image.Image) -> tuple[np.ndarray, np.ndarray]:
    """The plain way: PIL crops, Lanczos resizes in float mode, a DCT of each."""
    w, h = gray.size
    lows = []
    for left, top, right, bottom in ((0.0, 0.0, 1.0, 1.0), *CROP_BOXES):
        crop = gray.convert("F").crop(
            (round(left * w), round(top * h), round(right * w), round(bottom * h))
        )
        pixels = np.asarray(crop.resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float64)
        lows.append(_DCT @ pixels @ _DCT.T)
    small = gray.convert("F").resize((9, 8), Image.Resampling.LANCZOS)
    return np.stack(lows), np.asarray(small, dtype=np.float64)


@pytest.mark.parametrize("size", [(800, 600), (333, 501), (64, 48)])
def test_hash_matrices_equal_pil_crop_resize_and_dct(size: tuple[int, int]) -> None:
    for seed in range(20):
        gray = decode_image(jpeg_bytes(abstract_image(seed, size))).image
        low, small = _transforms(np.asarray(gray, dtype=np.float64))
        pil_low, pil_small = _pil_transforms(gray)
        # PIL's float mode is single precision: DC terms reach ~2.6e5.
        np.testing.assert_allclose(low, pil_low, rtol=1e-5, atol=0.05)
        np.testing.assert_allclose(small, pil_small, atol=1e-3)


def test_flat_picture_hashes_only_its_mean() -> None:
    for value in (0, 90, 255):
        hashes = image_hashes(decode_image(png_bytes(Image.new("L", (300, 200), value))))
        expected = "phash:8000000000000000" if value else "phash:0000000000000000"
        assert set(hashes.all_phashes()) == {expected}
        assert hashes.dhash == "dhash:0000000000000000"


def test_large_png_is_reduced_yet_hashes_like_its_jpeg() -> None:
    for seed in range(10):
        image = abstract_image(seed, (2400, 1800))
        as_png = image_hashes(decode_image(png_bytes(image)))
        as_jpeg = image_hashes(decode_image(jpeg_bytes(image)))
        assert hamming(as_png.phash, as_jpeg.phash) <= 2, seed
