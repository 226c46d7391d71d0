"""Safe image decoding and perceptual hashes, used by the crawler at download time.

Order: `decode_image` sniffs the magic bytes (JPEG, PNG, GIF, WEBP only), refuses oversized input
and decompression bombs, and decodes; `image_hashes` then computes a pHash, a dHash and pHashes of a
few centred crops (so a photo cropped by 10% on each side still matches its original).

JPEGs are decoded at a reduced size through libjpeg's DCT scaling (`Image.draft`), still reading the
whole file, so truncation is detected while hashing is several times faster. `DecodedImage.width`
and `.height` are always the stored dimensions; `.image` is the decoded (possibly reduced) picture,
and `.scale` says by how much it was reduced. Pass `full_size=True` when the pixels themselves are
needed at full resolution.

All hashes come from one greyscale array: each is a resize (PIL's Lanczos weights, in floating
point, of the whole picture or a crop) and for pHashes a DCT, all linear maps, so they are folded
into small precomputed matrices per picture size and applied with one matrix product.

Hashes carry their algorithm prefix (`phash:<16 hex>`), and `HASH_PIPELINE_VERSION` is stored with
them so hashes from a changed pipeline are never compared with old ones.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, UnidentifiedImageError

from adwatch.errors import ImageRejected

# At most 64 characters: the width of the column that stores it.
HASH_PIPELINE_VERSION = "imaging-2:draft-l64:f64:phash8+dhash8:crops90,80,top75,mid80x60"

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
_DECIMALS = 6
_REDUCED_SIDE = 512


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
    draft_to: tuple[int, int] | None = None,
) -> DecodedImage:
    """Decode JPEG/PNG/GIF/WEBP bytes safely, or raise ImageRejected saying why. The pixel
    limit is checked from the header, before any pixel is decoded; `draft_to` lets a JPEG be
    decoded at (no less than) that size, for display."""
    if len(data) > max_bytes:
        raise ImageRejected(f"image is {len(data)} bytes, over the limit of {max_bytes}")
    kind = sniff_format(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _open_and_load(data, kind, max_pixels, full_size, draft_to)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(f"decompression bomb refused: {exc}") from exc
        except UnidentifiedImageError as exc:
            raise ImageRejected(f"{kind} image could not be identified (corrupt header)") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageRejected(f"{kind} image is truncated or corrupt: {exc}") from exc


def _open_and_load(
    data: bytes, kind: str, max_pixels: int, full_size: bool, draft_to: tuple[int, int] | None
) -> DecodedImage:
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
    elif kind == "jpeg" and draft_to is not None:
        image.draft("RGB", draft_to)
        scale = max(1, width // image.size[0])
    image.load()
    return DecodedImage(format=kind, width=width, height=height, image=image, scale=scale)


def _dct_matrix(n: int, keep: int) -> np.ndarray:
    k = np.arange(keep)[:, None]
    x = np.arange(n)[None, :]
    return np.cos(np.pi * k * (2 * x + 1) / (2 * n))


_DCT = _dct_matrix(_PHASH_SIDE, _HASH_SIZE)


def _lanczos(x: np.ndarray) -> np.ndarray:
    return np.where(np.abs(x) < 3.0, np.sinc(x) * np.sinc(x / 3.0), 0.0)


def _resample_matrix(in_size: int, start: int, stop: int, out_size: int) -> np.ndarray:
    """(out_size, in_size) weights of PIL's Lanczos resize of pixels start..stop to out_size.

    Row i holds the normalised weights PIL's `precompute_coeffs` gives output pixel i, placed at
    the input pixels they apply to; pixels outside start..stop get none, as after a crop.
    """
    scale = (stop - start) / out_size
    filterscale = max(scale, 1.0)
    support = 3.0 * filterscale
    matrix = np.zeros((out_size, in_size))
    for i in range(out_size):
        center = (i + 0.5) * scale
        lo = max(int(center - support + 0.5), 0)
        hi = min(int(center + support + 0.5), stop - start)
        weights = _lanczos((np.arange(lo, hi) - center + 0.5) / filterscale)
        matrix[i, start + lo : start + hi] = weights / weights.sum()
    return matrix


def _crop_span(size: int, low: float, high: float) -> tuple[int, int]:
    return round(low * size), round(high * size)


@lru_cache(maxsize=32)
def _hash_matrices(height: int, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For a height x width picture: rows, columns and dHash columns of every hash at once.

    A pHash's 8x8 low frequencies are DCT(resize(crop)) = (D R_v) P (D R_h)^T, with R the resize
    weights of the crop; the left factors of the whole picture, the crops and the dHash are
    stacked into one matrix so a single product serves them all.
    """
    rows, cols = [], []
    for left, top, right, bottom in ((0.0, 0.0, 1.0, 1.0), *CROP_BOXES):
        y0, y1 = _crop_span(height, top, bottom)
        x0, x1 = _crop_span(width, left, right)
        rows.append(_DCT @ _resample_matrix(height, y0, y1, _PHASH_SIDE))
        cols.append(_DCT @ _resample_matrix(width, x0, x1, _PHASH_SIDE))
    rows.append(_resample_matrix(height, 0, height, _HASH_SIZE))
    dhash_cols = _resample_matrix(width, 0, width, _HASH_SIZE + 1)
    matrices = np.vstack(rows), np.stack(cols).transpose(0, 2, 1), dhash_cols.T
    for matrix in matrices:
        matrix.setflags(write=False)
    return matrices


def _bits_to_hex(bits: np.ndarray) -> str:
    return np.packbits(bits.astype(np.uint8).ravel()).tobytes().hex()


def _phash_bits(low: np.ndarray) -> np.ndarray:
    """Each 8x8 block of `low` against its median (the mean of its two middle values)."""
    flat = low.reshape(len(low), -1)
    middle = np.partition(flat, (31, 32), axis=1)
    return flat > ((middle[:, 31] + middle[:, 32]) / 2)[:, None]


def _gray(decoded: DecodedImage) -> Image.Image:
    image = decoded.image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels take a white background, as a browser shows them.
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(canvas, rgba)
    return image if image.mode == "L" else image.convert("L")


def _reduced(gray: Image.Image) -> Image.Image:
    # Pictures not drafted (PNG, GIF, WEBP) or still large are box-reduced first, to no less than
    # _REDUCED_SIDE pixels: a full-size float array would cost 8 bytes a pixel, and the Lanczos
    # weights (support 3 px per 32nd of the side) average what the box filter would anyway.
    factor = min(gray.size) // _REDUCED_SIDE
    return gray.reduce(factor) if factor >= 2 else gray


def image_hashes(decoded: DecodedImage) -> ImageHashes:
    """Compute the pHash, dHash and centred-crop pHashes of a decoded image."""
    low, small = _transforms(np.asarray(_reduced(_gray(decoded)), dtype=np.float64))
    # Rounding noise (~1e-10) must not decide the bits of flat areas, where exact sums tie.
    first, *crops = ("phash:" + _bits_to_hex(b) for b in _phash_bits(np.round(low, _DECIMALS)))
    # dHash compares neighbours of the picture resized to 9x8, rounded as 8-bit pixels are.
    small = np.rint(small)
    dhash = "dhash:" + _bits_to_hex(small[:, 1:] > small[:, :-1])
    return ImageHashes(phash=first, dhash=dhash, crop_phashes=tuple(crops))


def _transforms(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 DCT low frequencies of the picture and of each crop, and the picture at 9x8."""
    rows, cols, dhash_cols = _hash_matrices(*pixels.shape)
    left = rows @ pixels
    phashes = len(cols)
    low = np.matmul(left[: phashes * _HASH_SIZE].reshape(phashes, _HASH_SIZE, -1), cols)
    return low, left[phashes * _HASH_SIZE :] @ dhash_cols


def hash_to_int(value: str) -> int:
    """Turn "phash:<hex>" (or any "<algo>:<hex>") into its 64-bit integer."""
    _, _, hex_part = value.partition(":")
    return int(hex_part, 16)


def hamming(a: str, b: str) -> int:
    """Hamming distance between two hashes of the same algorithm."""
    if a.partition(":")[0] != b.partition(":")[0]:
        raise ValueError(f"cannot compare hashes of different algorithms: {a!r}, {b!r}")
    return (hash_to_int(a) ^ hash_to_int(b)).bit_count()
