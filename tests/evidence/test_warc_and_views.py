"""Small pieces without a crawl: WARC records of a browser response whose content coding was
removed, and photo views turned upright by their EXIF orientation."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image as PILImage
from warcio.archiveiterator import ArchiveIterator

from adwatch.evidence.media import png_view
from adwatch.storage.warc import Exchange, RecordIds, RunWarc, new_record_id, warcinfo_fields
from tests.evidence.tools import warcio

BODY = b"<html><body>pagina</body></html>"


def _decoded_exchange() -> Exchange:
    return Exchange(
        url="http://127.0.0.1:8000/advertentie/1",
        fetched_at=datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=UTC),
        method="GET",
        request_headers=(("user-agent", "adwatch test"), ("cookie", "leeftijd_ok=1")),
        http_version="HTTP/1.1",
        status=200,
        reason="OK",
        headers=(
            ("content-type", "text/html"),
            ("content-encoding", "br"),
            ("content-length", "20"),
            ("vary", "Accept-Encoding"),
            ("vary", "Cookie"),
        ),
        payload=BODY,
        content_decoded=True,
        ids=RecordIds(dom=new_record_id(), screenshot=new_record_id()),
        dom=b"<html><body>pagina met nummer</body></html>",
        screenshot=b"\x89PNG fake",
    )


def test_a_decoded_browser_body_records_the_removed_coding(tmp_path) -> None:
    path = tmp_path / "run.warc.gz"
    info = warcinfo_fields(software="adwatch t", operator="gemeente x", robots="obey", source="s")
    warc = RunWarc(path, info)
    warc.write_exchange(_decoded_exchange())
    warc.close()
    with path.open("rb") as handle:
        records = [(r.rec_type, r.rec_headers, r.http_headers) for r in ArchiveIterator(handle)]
    kinds = [kind for kind, _, _ in records]
    assert kinds == ["warcinfo", "request", "response", "conversion", "resource"]
    http = records[2][2]
    assert http.get_header("X-Crawler-Content-Encoding") == "br"
    assert http.get_header("X-Crawler-Content-Length") == "20"
    assert http.get_header("Content-Length") == str(len(BODY))
    assert http.get_header("Content-Encoding") is None
    assert [v for k, v in http.headers if k == "vary"] == ["Accept-Encoding", "Cookie"]
    assert records[2][1].get_header("WARC-Date") == "2026-03-02T10:00:00.123456Z"
    assert all(h.protocol == "WARC/1.1" for _, h, _ in records)
    check = warcio("check", "-v", path)
    assert check.returncode == 0, check.stdout + check.stderr


def _jpeg_with_orientation(orientation: int) -> bytes:
    picture = PILImage.new("RGB", (40, 20), (200, 30, 30))
    picture.paste((30, 30, 200), (0, 0, 10, 20))  # a blue band on the left edge
    exif = PILImage.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_the_view_copy_honours_the_exif_orientation() -> None:
    upright = PILImage.open(io.BytesIO(png_view(_jpeg_with_orientation(6))))
    assert upright.size == (20, 40)  # rotated a quarter turn, as a viewer would show it
    r, _, b = upright.getpixel((10, 2))[:3]
    assert b > r, "the band on the left of the stored pixels is now on top"
    plain = PILImage.open(io.BytesIO(png_view(_jpeg_with_orientation(1))))
    assert plain.size == (40, 20) and not plain.getexif()
