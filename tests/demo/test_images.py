"""Generated photos decode, and each re-use variant is the change it claims to be."""

from __future__ import annotations

import io
import itertools

import imagehash
import pytest
from PIL import Image

from application.demo.content import build_content
from application.demo.images import HEIGHT, WIDTH, ImageStore, content_type, draw_base, render

CONTENT = build_content(2026)
STORE = ImageStore(CONTENT.images)
VARIANTS = {s.variant: s for s in CONTENT.images.values() if s.variant != "original"}


def decode(name: str) -> Image.Image:
    image = Image.open(io.BytesIO(STORE.get(name)))
    image.load()
    return image


def original_of(variant: str) -> Image.Image:
    spec = VARIANTS[variant]
    (name,) = [s.name for s in CONTENT.images.values() if s.base == spec.base and s is not spec]
    return decode(name)


def test_images_of_the_first_ads_decode_with_their_declared_format():
    names = [name for ad in CONTENT.days[1][:25] for name in ad.images]
    assert any(name.endswith(".png") for name in CONTENT.images)
    for name in names:
        image = decode(name)
        assert image.format == {"image/jpeg": "JPEG", "image/png": "PNG"}[content_type(name)]
        assert image.size == (WIDTH, HEIGHT)


def test_rendering_is_deterministic():
    name = CONTENT.days[1][0].images[0]
    assert render(CONTENT.images[name]) == STORE.get(name) == render(CONTENT.images[name])


def test_half_is_resized_to_half():
    assert decode(VARIANTS["half"].name).size == (WIDTH // 2, HEIGHT // 2)


def test_q40_is_recompressed_at_lower_quality():
    low, high = decode(VARIANTS["q40"].name), original_of("q40")
    assert low.size == high.size
    assert sum(low.quantization[0]) > 1.5 * sum(high.quantization[0])


def test_crop_removes_ten_percent_on_each_side():
    cropped, original = decode(VARIANTS["crop"].name), original_of("crop")
    assert cropped.size == (WIDTH * 8 // 10, HEIGHT * 8 // 10)
    box = (WIDTH // 10, HEIGHT // 10, WIDTH * 9 // 10, HEIGHT * 9 // 10)
    assert imagehash.phash(cropped) - imagehash.phash(original.crop(box)) <= 4


def test_banner_changes_only_the_bottom():
    banner, original = decode(VARIANTS["banner"].name), original_of("banner")
    top = (0, 0, WIDTH, HEIGHT - 60)
    bottom = (0, HEIGHT - 40, WIDTH, HEIGHT)
    assert imagehash.phash(banner.crop(top)) - imagehash.phash(original.crop(top)) <= 2
    assert imagehash.phash(banner.crop(bottom)) - imagehash.phash(original.crop(bottom)) > 10


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variants_stay_close_in_perceptual_hash(variant):
    copy, original = decode(VARIANTS[variant].name), original_of(variant)
    assert imagehash.phash(copy) - imagehash.phash(original) <= 12
    assert imagehash.dhash(copy) - imagehash.dhash(original) <= 10


def test_unrelated_photos_are_far_apart():
    bases = sorted({spec.base for spec in CONTENT.images.values()})[:120]
    hashes = [imagehash.dhash(draw_base(base)) for base in bases]
    assert min(a - b for a, b in itertools.combinations(hashes, 2)) > 10


def test_unknown_variant_is_refused():
    spec = next(iter(CONTENT.images.values()))
    with pytest.raises(ValueError, match="variant"):
        render(type(spec)(spec.name, spec.base, "mirrored"))
