"""Shared pieces of the fault tests: a size-limited tmpfs, a small crawled instance with review
state (an officer, a decision, audit entries), and checks on blobs and captures."""

from __future__ import annotations

import io
import os
import random
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from adwatch.storage.blobstore import BlobStore
from adwatch.storage.chain import append
from adwatch.storage.db import Database
from adwatch.storage.models import Ad, AuditEvent, Capture, Decision, User
from tests.crawler.sites import Instance, Site, ad_html, listing_html, source_config
from tests.helpers import missing_prerequisite

OFFICER = "officer1"
FAST = {"requests_per_second": 400, "concurrency": 8, "robots": "obey"}


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """Mount a tmpfs of `size` at path for the block; skip the test if mounting is refused."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        missing_prerequisite(
            f"a tmpfs cannot be mounted here (needs root): {mounted.stderr.strip()}"
        )
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


def noise_png(seed: int, side: int = 64) -> bytes:
    """A PNG of random pixels: incompressible, so it takes its full size on disk."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add_ads(site: Site, n_ads: int, page_size: int = 50, image_side: int = 64) -> None:
    """Listing pages and n_ads detail pages, each with one noise photo."""
    pages = max(1, -(-n_ads // page_size))
    for page in range(pages):
        numbers = range(page * page_size + 1, min(n_ads, (page + 1) * page_size) + 1)
        more = f"/regio/houten?p={page + 2}" if page + 1 < pages else None
        path = "/regio/houten" if page == 0 else f"/regio/houten?p={page + 1}"
        site.add(path, listing_html([f"/advertentie/{n}" for n in numbers], more))
    for n in range(1, n_ads + 1):
        site.add(
            f"/advertentie/{n}",
            ad_html(f"Advertentie {n}", f"Nummer {n}, Houten.", images=(f"/img/{n}.png",)),
        )
        site.add(f"/img/{n}.png", noise_png(n, image_side), Content_Type="image/png")


def crawled_instance(root: Path, n_ads: int = 8) -> Instance:
    """A throw-away instance after one complete crawl of a small site."""
    instance = Instance(root)
    site = Site()
    add_ads(site, n_ads, image_side=24)
    with site.serve() as base_url:
        instance.add_source(source_config("klein", base_url, politeness=FAST))
        result = instance.crawl("klein")
    assert result.returncode == 0, result.stderr[-3000:] + instance.log_text()[-3000:]
    return instance


def add_review_state(db: Database) -> int:
    """An officer, a decision to prepare a control on the first ad, and its audit entry."""
    with db.writing() as session:
        ad_id = session.scalars(select(Ad.id).order_by(Ad.id)).first()
        user = User(username=OFFICER, display_name="Test officer", role="officer")
        session.add(user)
        session.flush()
        at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        session.add(
            Decision(
                ad_id=ad_id,
                status="controle_voorbereiden",
                reason="test",
                actor_id=user.id,
                created_at=at,
            )
        )
        append(
            session,
            AuditEvent,
            actor=OFFICER,
            action="decision",
            object_type="ad",
            object_ids=[ad_id],
        )
    return ad_id


def capture_blob_problems(db: Database, blobs: BlobStore) -> tuple[int, list[str]]:
    """How many capture blobs were checked, and those missing or not matching their hash."""
    with db.reading() as session:
        digests = set(session.scalars(select(Capture.sha256)))
    return len(digests), sorted(d for d in digests if not blobs.verify(d))


def misnamed_blobs(blobs: BlobStore) -> list[str]:
    """Blobs under a final name whose bytes do not hash to that name."""
    return [d for d in blobs.digests() if not blobs.verify(d)]


def files_under(folder: Path) -> list[str]:
    """Every file below folder, relative."""
    return (
        sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )


def without_adwatch_env() -> dict[str, str]:
    """The environment with every ADWATCH_ variable removed."""
    return {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")}
