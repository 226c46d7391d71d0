"""Issue 16, finding 5: what hostile content costs now, against the code it replaced.

Prints: the CPU seconds to read the image URLs of a page with tens of thousands of image tags
(now, and the old quadratic de-duplication extrapolated from a quarter of the URLs), and the wall
time and peak memory growth of eight concurrent views of a 40-megapixel PNG in the review UI
(now, with the check before decoding, two decode slots and the cache; then one cached view).
Run: .venv/bin/python bench/hardening.py [--tags 60000] [--side 6300]
"""

from __future__ import annotations

import argparse
import io
import resource
import threading
import time
from urllib.parse import urljoin

from parsel import Selector
from PIL import Image

from adwatch.config.sources import SourceConfig
from crawler.fields import read_images, select_values
from review_ui import images
from tests.crawler.sites import ad_html, source_config


def quadratic_image_urls(values: list[str], page_url: str) -> list[str]:
    """The de-duplication issue 16 found: `url not in urls` for every URL."""
    urls: list[str] = []
    for value in values:
        url = urljoin(page_url, value.strip())
        if url.startswith(("http://", "https://")) and url not in urls:
            urls.append(url)
    return urls


def image_urls(tags: int) -> None:
    html = ad_html("T", "In Houten.", images=tuple(f"/img/{i}.png" for i in range(tags)))
    source = SourceConfig.model_validate(source_config("meting", "http://h.example"))
    page = Selector(text=html)
    start = time.process_time()
    found = read_images(page, source, "http://h.example/ad")
    now = time.process_time() - start
    values = select_values(page, "img.ad-photo::attr(src)")
    part = values[: len(values) // 4]
    start = time.process_time()
    quadratic_image_urls(part, "http://h.example/ad")
    before = (time.process_time() - start) * 16
    print(f"page of {len(html) / 1e6:.1f} MB, {tags} image tags: now {now:.2f} s CPU "
          f"({len(found)} URLs kept); old de-duplication about {before:.1f} s")  # fmt: skip


def image_views(side: int) -> None:
    picture = Image.new("RGB", (side, side), (200, 100, 50))
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    data = out.getvalue()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    views = [
        threading.Thread(target=lambda: images.blurred_preview(images.reencode(data)[0]))
        for _ in range(8)
    ]
    for view in views:
        view.start()
    for view in views:
        view.join()
    wall = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024
    start = time.perf_counter()
    images.blurred_preview(images.reencode(data)[0])
    cached = (time.perf_counter() - start) * 1000
    size = f"PNG of {len(data) / 1e3:.0f} KB, {side * side / 1e6:.1f} megapixels"
    print(f"{size}: 8 concurrent views {wall:.2f} s, peak memory +{grown} MB; "
          f"a cached view {cached:.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=60_000)
    parser.add_argument("--side", type=int, default=6300)
    args = parser.parse_args()
    image_urls(args.tags)
    image_views(args.side)


if __name__ == "__main__":
    main()
