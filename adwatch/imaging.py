"""Safe image decoding and perceptual hashes, used by the crawler at download time.

Order: `decode_image` sniffs the magic bytes (JPEG, PNG, GIF, WEBP only), refuses oversized input
and decompression bombs, and decodes; `image_hashes` then computes a pHash, a dHash and pHashes of a
few centred crops (so a photo cropped by 10% on each side still matches its original).

JPEGs are decoded at a reduced size through libjpeg's DCT scaling (`Image.draft`), still reading the
whole file, so truncation is detected while hashing is several times faster. `DecodedImage.width`
and `.height` are always the stored dimensions; `.image` is the decoded (possibly reduced) picture,
and `.scale` says by how much it was reduced. Pass `full_size=True` when the pixels themselves are
needed at full resolution.

Hashes carry their algorithm prefix (`phash:<16 hex>`), and `HASH_PIPELINE_VERSION` is stored with
them so hashes from a changed pipeline are never compared with old ones.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from adwatch.errors import ImageRejected

HASH_PIPELINE_VERSION = "imaging-1:draft-l64:phash8+dhash8:crops90,80,top75,mid80x60"

# Crops hashed beside the whole image: (left, top, right, bottom) as fractions of the size.
CROP_BOXES: tuple[tuple[float, float, float, float], ...] = (
    (0.05, 0.05, 0.95, 0.95),
    (0.10, 0.10, 0.90, 0.90),
    (0.0, 0.0, 1.0, 0.75),
    (0.10, 0.10, 0.90, 0.70),
)

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
)
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
_DRAFT_SIZE = (64, 64)
_HASH_SIZE = 8
_PHASH_SIDE = 32


@dataclass(frozen=True)
class DecodedImage:
    """A decoded, accepted image: its format, stored dimensions and loaded pixels."""

    format: str
    width: int
    height: int
    image: Image.Image
    scale: int = 1


@dataclass(frozen=True)
class ImageHashes:
    """Perceptual hashes of one image, each prefixed with its algorithm."""

    phash: str
    dhash: str
    crop_phashes: tuple[str, ...]
    pipeline_version: str = HASH_PIPELINE_VERSION

    def all_phashes(self) -> tuple[str, ...]:
        """The whole-image pHash followed by the crop pHashes."""
        return (self.phash, *self.crop_phashes)


def sniff_format(data: bytes) -> str:
    """Return "jpeg", "png", "gif" or "webp" from the magic bytes, or raise ImageRejected."""
    for magic, offset, name in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    raise ImageRejected(f"not an accepted image type (first bytes {data[:8].hex()})")


def decode_image(
    data: bytes,
    *,
    max_bytes: int = 15_000_000,
    max_pixels: int = 40_000_000,
    full_size: bool = False,
) -> DecodedImage:
    """Decode JPEG/PNG/GIF/WEBP bytes safely, or raise ImageRejected saying why."""
    if len(data) > max_bytes:
        raise ImageRejected(f"image is {len(data)} bytes, over the limit of {max_bytes}")
    kind = sniff_format(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _open_and_load(data, kind, max_pixels, full_size)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(f"decompression bomb refused: {exc}") from exc
        except UnidentifiedImageError as exc:
            raise ImageRejected(f"{kind} image could not be identified (corrupt header)") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageRejected(f"{kind} image is truncated or corrupt: {exc}") from exc


def _open_and_load(data: bytes, kind: str, max_pixels: int, full_size: bool) -> DecodedImage:
    image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]])
    width, height = image.size
    if width <= 0 or height <= 0 or width * height > max_pixels:
        raise ImageRejected(
            f"{kind} image of {width}x{height} pixels exceeds the limit of {max_pixels} pixels"
        )
    scale = 1
    if kind == "jpeg" and not full_size:
        image.draft("L", _DRAFT_SIZE)
        scale = max(1, width // image.size[0])
    image.load()
    return DecodedImage(format=kind, width=width, height=height, image=image, scale=scale)


def _dct_matrix(n: int, keep: int) -> np.ndarray:
    k = np.arange(keep)[:, None]
    x = np.arange(n)[None, :]
    return np.cos(np.pi * k * (2 * x + 1) / (2 * n))


_DCT = _dct_matrix(_PHASH_SIDE, _HASH_SIZE)


def _bits_to_hex(bits: np.ndarray) -> str:
    return np.packbits(bits.astype(np.uint8).ravel()).tobytes().hex()


def _phash(gray: Image.Image) -> str:
    small = gray.resize((_PHASH_SIDE, _PHASH_SIDE), Image.Resampling.LANCZOS)
    pixels = np.asarray(small, dtype=np.float64)
    low = _DCT @ pixels @ _DCT.T
    return "phash:" + _bits_to_hex(low > _median64(low))


def _median64(values: np.ndarray) -> float:
    # np.median of the 64 coefficients (the mean of the two middle ones), without its overhead.
    middle = np.partition(values.ravel(), (31, 32))
    return (middle[31] + middle[32]) / 2


def _dhash(gray: Image.Image) -> str:
    small = gray.resize((_HASH_SIZE + 1, _HASH_SIZE), Image.Resampling.LANCZOS)
    pixels = np.asarray(small, dtype=np.int16)
    return "dhash:" + _bits_to_hex(pixels[:, 1:] > pixels[:, :-1])


def _crop(gray: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
    w, h = gray.size
    left, top, right, bottom = box
    return gray.crop((round(left * w), round(top * h), round(right * w), round(bottom * h)))


def _gray(decoded: DecodedImage) -> Image.Image:
    image = decoded.image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels take a white background, as a browser shows them.
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(canvas, rgba)
    return image if image.mode == "L" else image.convert("L")


def image_hashes(decoded: DecodedImage) -> ImageHashes:
    """Compute the pHash, dHash and centred-crop pHashes of a decoded image."""
    gray = _gray(decoded)
    crops = tuple(_phash(_crop(gray, box)) for box in CROP_BOXES)
    return ImageHashes(phash=_phash(gray), dhash=_dhash(gray), crop_phashes=crops)


def hash_to_int(value: str) -> int:
    """Turn "phash:<hex>" (or any "<algo>:<hex>") into its 64-bit integer."""
    _, _, hex_part = value.partition(":")
    return int(hex_part, 16)


def hamming(a: str, b: str) -> int:
    """Hamming distance between two hashes of the same algorithm."""
    if a.partition(":")[0] != b.partition(":")[0]:
        raise ValueError(f"cannot compare hashes of different algorithms: {a!r}, {b!r}")
    return (hash_to_int(a) ^ hash_to_int(b)).bit_count()
