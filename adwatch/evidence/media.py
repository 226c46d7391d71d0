"""Images and screenshots for the pack: the bytes as collected, and re-encoded PNG views.

Runs after the selection. The originals are the evidence; a view is decoded through the same safe
decoder the crawler uses and saved as a PNG without any metadata (EXIF, ICC, text chunks), so a
recipient can look at it without opening the collected file itself.
"""

from __future__ import annotations

import io

from PIL import Image as PILImage

from adwatch.errors import StorageError
from adwatch.evidence.addata import original_path, screenshot_path, view_path
from adwatch.evidence.manifest import Member
from adwatch.imaging import decode_image
from adwatch.storage.blobstore import BlobStore, sha256_of
from adwatch.storage.models import Capture, Image


def checked_blob(blobs: BlobStore, digest: str) -> bytes:
    """The blob's bytes, after checking they still hash to the digest taken at capture."""
    data = blobs.read(digest)
    if sha256_of(data) != digest:
        raise StorageError(f"blob {digest} no longer matches its hash; the store was altered")
    return data


# EXIF orientation → the transpose that shows the photo upright (as ImageOps.exif_transpose).
ORIENTATION = {
    2: PILImage.Transpose.FLIP_LEFT_RIGHT,
    3: PILImage.Transpose.ROTATE_180,
    4: PILImage.Transpose.FLIP_TOP_BOTTOM,
    5: PILImage.Transpose.TRANSPOSE,
    6: PILImage.Transpose.ROTATE_270,
    7: PILImage.Transpose.TRANSVERSE,
    8: PILImage.Transpose.ROTATE_90,
}
EXIF_ORIENTATION = 0x0112


def exif_orientation(data: bytes) -> int:
    """The EXIF orientation of the image (1 when there is none); reads the header only."""
    try:
        with PILImage.open(io.BytesIO(data)) as header:
            value = header.getexif().get(EXIF_ORIENTATION, 1)
    except (OSError, ValueError, SyntaxError):
        return 1
    return value if isinstance(value, int) else 1


def png_view(data: bytes) -> bytes:
    """The image decoded at full size, turned upright as its EXIF orientation says, and saved
    as a PNG with no metadata."""
    decoded = decode_image(data, full_size=True)
    picture = decoded.image.convert("RGBA" if decoded.image.mode in {"RGBA", "LA", "P"} else "RGB")
    transpose = ORIENTATION.get(exif_orientation(data))
    if transpose is not None:
        picture = picture.transpose(transpose)
    clean = PILImage.new(picture.mode, picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=False)
    return out.getvalue()


def image_members(images: list[Image], blobs: BlobStore) -> list[Member]:
    """The original bytes and the PNG view of every image."""
    members = []
    for image in images:
        data = checked_blob(blobs, image.sha256)
        members.append(Member(original_path(image), data))
        members.append(Member(view_path(image), png_view(data)))
    return members


def screenshot_members(captures: list[Capture], blobs: BlobStore) -> list[Member]:
    """The screenshot of every rendered capture, as stored."""
    digests = sorted({c.screenshot_sha256 for c in captures if c.screenshot_sha256})
    return [Member(screenshot_path(d), checked_blob(blobs, d)) for d in digests]
