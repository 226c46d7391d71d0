"""A small synthetic instance for the privacy tests: eight ads, one per retention situation.

Built through the collection store (blobs, WARC records with screenshots, rows) with a fixed
clock, so each test moves `now` instead of sleeping. Every text, number and picture is made up.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from PIL import Image as PILImage
from sqlalchemy import select

from adwatch.config.settings import DEMO_SECRET_KEY
from adwatch.imaging import decode_image, image_hashes
from adwatch.instance import Instance
from adwatch.storage.models import (
    AdVersion,
    Decision,
    EvidencePack,
    LegalHold,
    Network,
    NetworkMember,
    Note,
    PhoneLink,
    Score,
    User,
)
from adwatch.storage.records import AdRecord, FetchedResponse, ImageRecord
from adwatch.storage.store import CollectionStore
from scoring.phones import phone_key

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
SHARED_PHONE = "+31612345670"
PHONES = {1: SHARED_PHONE, 2: SHARED_PHONE}
UA = "adwatch/test (gemeente Test)"


def days(n: float) -> datetime:
    """T0 plus n days."""
    return T0 + timedelta(days=n)


def picture(seed: int, size: int = 96) -> bytes:
    """A synthetic PNG of its own: a seeded random 6x6 grey grid, enlarged."""
    cells = np.random.default_rng(seed).integers(0, 256, (6, 6), dtype=np.uint8)
    image = PILImage.fromarray(cells, "L").resize((size, size), PILImage.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _response(kind: str, url: str, body: bytes, screenshot: bytes | None = None) -> FetchedResponse:
    headers = {"Content-Type": "image/png" if kind == "image" else "text/html"}
    return FetchedResponse(
        kind=kind, url=url, final_url=url, status=200, headers=headers, body=body,
        fetched_at=T0, user_agent=UA, rendered=screenshot is not None, screenshot=screenshot,
    )  # fmt: skip


def _image(url: str, data: bytes) -> ImageRecord:
    hashes = image_hashes(decode_image(data))
    return ImageRecord(
        source_url=url, response=_response("image", url, data), format="png", width=96,
        height=96, phash=hashes.phash, dhash=hashes.dhash, crop_phashes=hashes.crop_phashes,
        hash_pipeline=hashes.pipeline_version,
    )  # fmt: skip


def number_of(n: int) -> str:
    """The (made-up) phone number of ad n."""
    return PHONES.get(n, f"+3161111000{n}")


def ad_record(n: int, pictures: list[int]) -> AdRecord:
    """Ad number n, showing the given pictures; its page has a screenshot."""
    url = f"https://platform.test/ad/{n}"
    text = f"Advertentie {n} tekst in Houten, bel {number_of(n)}"
    page = _response("ad_page", url, f"<html>{text}</html>".encode(), screenshot=picture(20 + n))
    phone = _response("phone_reveal", url + "/phone", f"tel-{n}".encode())
    images = [_image(f"https://platform.test/img/{p}.png", picture(p)) for p in pictures]
    fields = {"title": f"Titel {n}", "name": f"Naam{n}", "text": text, "town": "Houten"}
    return AdRecord(
        source_ad_id=f"ad-{n}", url=url, region="houten", fields=fields, places=[],
        page=page, phone_response=phone, images=images, municipality="houten",
    )  # fmt: skip


@dataclass
class World:
    """The instance and what each ad stands for."""

    instance: Instance
    officer_id: int = 0
    ads: dict[str, int] = field(default_factory=dict)


# Ad number → its situation; ads 2 and 8 share picture 1.
SITUATIONS = {
    1: "unflagged",
    2: "flagged_undecided",
    3: "no_signal",
    4: "monitored",
    5: "forwarded",
    6: "in_pack",
    7: "held",
    8: "unflagged_shared_image",
}
PICTURES = {1: [2], 2: [1, 3], 3: [4], 4: [5], 5: [6], 6: [7], 7: [8], 8: [1, 9]}


def build(instance: Instance) -> World:
    """Crawl the eight synthetic ads into the instance and add review state."""
    store = CollectionStore(instance.db, instance.blobs, instance.settings.warc_dir)
    run_id, warc = store.start_run("synth", "Synthetic platform")
    records = [ad_record(n, PICTURES[n]) for n in SITUATIONS]
    outcomes = store.save_ads(run_id, records, warc)
    warc.close()
    store.finish_run(run_id, "finished", "complete", {}, [])
    pairs = zip(SITUATIONS.values(), outcomes, strict=True)
    world = World(instance, ads={name: outcome.ad_id for name, outcome in pairs})
    with instance.db.writing() as session:
        _review(session, world)
    return world


def _review(session, world: World) -> None:
    officer = User(username="officer1", display_name="Officer", role="officer")
    session.add(officer)
    session.flush()
    world.officer_id = officer.id
    ads = world.ads
    for n, name in SITUATIONS.items():
        ad_id = ads[name]
        version = session.scalar(select(AdVersion).where(AdVersion.ad_id == ad_id))
        tier = "geen" if name.startswith("unflagged") or name == "held" else "middel"
        session.add(Score(ad_id=ad_id, ad_version_id=version.id, value=1.0, tier=tier,
                          rules_version="rules-test", scored_at=T0))  # fmt: skip
        key = phone_key(number_of(n), DEMO_SECRET_KEY)
        session.add(PhoneLink(ad_id=ad_id, ad_version_id=version.id, phone_key=key))
    decide(session, world, ads["no_signal"], "geen_signaal", days(1))
    decide(session, world, ads["monitored"], "monitoren", days(1))
    decide(session, world, ads["forwarded"], "doorzetten", days(2))
    decide(session, world, ads["in_pack"], "controle_voorbereiden", days(2))
    session.add(Note(ad_id=ads["monitored"], text="gebeld, geen antwoord", author_id=officer.id))
    session.add(Network(id="net-synth", size=2))
    session.flush()
    for ad_id in (ads["flagged_undecided"], ads["unflagged_shared_image"]):
        session.add(NetworkMember(network_id="net-synth", ad_id=ad_id, links=["photo_reuse"]))
    session.add(pack_row([ads["in_pack"]], officer.id))
    session.add(LegalHold(ad_id=ads["held"], reason="zaak 2026-001", actor="officer1"))


def decide(session, world: World, ad_id: int, status: str, at: datetime) -> None:
    """Record an officer's decision at a given time."""
    session.add(Decision(ad_id=ad_id, status=status, reason=f"reden {status} bij advertentie",
                         actor_id=world.officer_id, created_at=at))  # fmt: skip


def pack_row(ad_ids: list[int], actor_id: int) -> EvidencePack:
    """The record of an exported evidence pack."""
    return EvidencePack(
        created_at=days(3), actor_id=actor_id, actor="officer1", purpose="controle",
        legal_basis="test", recipient="AVIM", case_ref="ZAAK-1", ad_ids=ad_ids,
        manifest_digest="sha256:" + "1" * 64, file_name="pack.zip",
    )  # fmt: skip
