"""A seeded generator of a review database: sources, runs, ads, versions, images, hits, networks.

Synthetic only: names are invented, phone numbers are `06 1234 xxxx`, photos are generated shapes.
The same seed gives the same database, so tests can name what they expect.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import timedelta

from PIL import Image as PILImage
from PIL import ImageDraw

from adwatch.access.accounts import change_grant, create_user
from adwatch.config.settings import DEMO_SECRET_KEY
from adwatch.storage.blobstore import BlobStore
from adwatch.storage.db import Database
from adwatch.storage.models import (
    Ad,
    AdImage,
    AdVersion,
    Capture,
    CrawlRun,
    Image,
    IndicatorHit,
    Network,
    NetworkMember,
    PhoneLink,
    Score,
    Source,
)
from adwatch.timeutil import utcnow
from scoring.phones import e164_numbers, phone_key

RULES = "rules-test-1"
PASSWORD = "een lang wachtwoord voor tests"
NAMES = ["Anna", "Bella", "Carmen", "Daisy", "Eva", "Fleur", "Gina", "Hanna", "Iris", "Jade"]
TOWNS = ["Houten", "Schalkwijk", "'t Goy", "Tull en 't Waal"]
PHRASES = {
    "third_party": "ze komt graag bij je langs",
    "new_arrival": "nieuw in Houten",
    "always_available": "24/7",
    "hotel_location": "in hotel",
    "unsafe_services": "alles mag",
}
XSS_TEXT = (
    "Hallo <script>window.__pwned = 1; alert(1)</script> ze komt graag bij je langs "
    '<img src=x onerror="window.__pwned=2"> <a href="javascript:window.__pwned=3">klik</a> '
    '"><svg onload=window.__pwned=4> nieuw in Houten'
)
TEMPLATE = "Lieve heren, ik ben {name}, nieuw in Houten en altijd blij je te zien. Bel {phone}."


@dataclass
class Seeded:
    """Ids the tests need to find their way."""

    ad_ids: list[int] = field(default_factory=list)
    xss_ad: int = 0
    rotated_ad: int = 0
    photo_ads: tuple[int, int] = (0, 0)
    network_id: str = ""
    image_ids: list[int] = field(default_factory=list)


def png(rng: random.Random, size: int = 96) -> bytes:
    """A small generated PNG: coloured background and a few shapes."""
    picture = PILImage.new("RGB", (size, size), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(picture)
    for _ in range(4):
        box = (
            sorted(rng.randrange(size) for _ in range(2)),
            sorted(rng.randrange(size) for _ in range(2)),
        )
        draw.ellipse(
            [box[0][0], box[1][0], box[0][1] + 4, box[1][1] + 4],
            fill=tuple(rng.randrange(256) for _ in range(3)),
        )
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def phone(n: int) -> str:
    """A synthetic number in the reserved-for-tests shape."""
    return f"06 1234 {n:04d}"


def span(text: str, phrase: str, field_name: str = "text") -> dict:
    """Span evidence for the first place the phrase occurs."""
    start = text.lower().index(phrase.lower())
    return {
        "kind": "span",
        "text": text[start : start + len(phrase)],
        "start": start,
        "end": start + len(phrase),
        "field": field_name,
    }


class Builder:
    """Adds rows through one write session."""

    def __init__(self, session, blobs: BlobStore, rng: random.Random) -> None:
        self.s, self.blobs, self.rng = session, blobs, rng
        self.now = utcnow()

    def sources(self) -> tuple[Source, CrawlRun]:
        demo = Source(name="demo", title="Demo-platform")
        vip = Source(name="demo_vip", title="Demo VIP")
        self.s.add_all([demo, vip])
        self.s.flush()
        run = CrawlRun(
            source_id=demo.id,
            started_at=self.now - timedelta(hours=3),
            finished_at=self.now - timedelta(hours=2),
            status="finished",
            alarms=[{"kind": "low_coverage", "message": "<b>naam</b> ontbreekt op 40%"}],
        )
        old = CrawlRun(
            source_id=vip.id,
            started_at=self.now - timedelta(days=4),
            finished_at=self.now - timedelta(days=4),
            status="finished",
        )
        failed = CrawlRun(
            source_id=vip.id,
            started_at=self.now - timedelta(hours=5),
            status="failed",
            alarms=[{"kind": "blocked", "message": "403 op lijst"}],
        )
        self.s.add_all([run, old, failed])
        self.s.flush()
        return demo, run

    def capture(self, run: CrawlRun, url: str) -> Capture:
        body = f"<html><body><p>synthetic page {url}</p></body></html>".encode()
        row = Capture(
            run_id=run.id,
            kind="ad_page",
            url=url,
            final_url=url,
            status=200,
            headers={"Content-Type": "text/html; charset=utf-8"},
            sha256=self.blobs.put(body),
            size=len(body),
            fetched_at=self.now,
            user_agent="test",
        )
        self.s.add(row)
        self.s.flush()
        return row

    def image(self, data: bytes) -> Image:
        digest = self.blobs.put(data)
        row = Image(
            sha256=digest,
            format="png",
            width=96,
            height=96,
            size=len(data),
            phash=f"phash:{self.rng.getrandbits(64):016x}",
            dhash="dhash:0",
            hash_pipeline="test",
        )
        self.s.add(row)
        self.s.flush()
        return row

    def ad(self, source: Source, run: CrawlRun, number: int, texts: list[dict], days: int) -> Ad:
        first = self.now - timedelta(days=days)
        ad = Ad(
            municipality="houten",
            source_id=source.id,
            source_ad_id=f"ad-{number}",
            url=f"http://127.0.0.1/ad/{number}",
            region="houten",
            first_seen=first,
            last_seen=self.now - timedelta(hours=2),
        )
        self.s.add(ad)
        self.s.flush()
        for index, fields in enumerate(texts):
            seen = first + timedelta(days=index)
            capture = self.capture(run, ad.url)
            self.s.add(
                AdVersion(
                    ad_id=ad.id,
                    capture_id=capture.id,
                    seen_at=seen,
                    content_sha256=f"sha256:{number:032d}{index:032d}",
                    **fields,
                )
            )
        self.s.flush()
        return ad

    def attach(self, ad: Ad, image: Image, position: int = 0) -> None:
        for version in ad.versions:
            self.s.add(
                AdImage(
                    ad_version_id=version.id,
                    position=position,
                    image_id=image.id,
                    source_url=f"http://127.0.0.1/img/{image.id}.png",
                )
            )
        self.s.flush()

    def hit(self, ad: Ad, code: str, weight: float, evidence: list[dict]) -> None:
        self.s.add(
            IndicatorHit(
                ad_id=ad.id,
                ad_version_id=ad.versions[-1].id,
                code=code,
                weight=weight,
                evidence=evidence,
                rules_version=RULES,
            )
        )

    def score(self, ad: Ad, value: float, network: str | None = None) -> None:
        tier = "hoog" if value >= 6 else "middel" if value >= 3 else "laag" if value > 0 else "geen"
        self.s.add(
            Score(
                ad_id=ad.id,
                ad_version_id=ad.versions[-1].id,
                value=value,
                tier=tier,
                rules_version=RULES,
                network_id=network,
            )
        )


def fields(name: str, text: str, number: int, town: str = "Houten", title: str = "") -> dict:
    """The content fields of one version."""
    return {
        "title": title or f"{name} in {town}",
        "name": name,
        "stated_age": "24",
        "text": text,
        "prices": [100],
        "town": town,
        "posted": "",
        "phone_text": phone(number),
        "places": [town],
    }


def _plain_ads(b: Builder, source: Source, run: CrawlRun, count: int, seeded: Seeded) -> None:
    weights = {
        "third_party": 2,
        "new_arrival": 1.5,
        "always_available": 1,
        "hotel_location": 1,
        "unsafe_services": 2.5,
    }
    for number in range(count):
        codes = b.rng.sample(sorted(PHRASES), b.rng.randrange(0, 4))
        name = NAMES[number % len(NAMES)]
        text = f"Hoi, ik ben {name}. " + ". ".join(PHRASES[c] for c in codes) + ". Tot snel!"
        ad = b.ad(
            source,
            run,
            100 + number,
            [fields(name, text, 100 + number, b.rng.choice(TOWNS))],
            days=b.rng.randrange(1, 30),
        )
        for code in codes:
            b.hit(ad, code, weights[code], [span(text, PHRASES[code])])
        b.score(ad, sum(weights[c] for c in codes))
        seeded.ad_ids.append(ad.id)


def _special_ads(b: Builder, source: Source, run: CrawlRun, seeded: Seeded) -> list[Ad]:
    xss = b.ad(
        source,
        run,
        1,
        [fields("<b>Evil</b>", XSS_TEXT, 1, title="Nieuw <script>window.__pwned=5</script>")],
        days=3,
    )
    b.hit(xss, "third_party", 2, [span(XSS_TEXT, PHRASES["third_party"])])
    b.hit(xss, "new_arrival", 1.5, [span(XSS_TEXT, "nieuw in Houten")])
    b.score(xss, 3.5)
    young = "Net 18 en pas in Nederland, ze komt graag bij je langs."
    rotated = b.ad(
        source, run, 2, [fields("Lola", young, 2), fields("Lola", young + " 24/7", 3)], days=6
    )
    b.hit(rotated, "minor_cue", 6, [span(young, "Net 18")])
    b.hit(rotated, "third_party", 2, [span(young, PHRASES["third_party"])])
    b.hit(
        rotated,
        "phone_rotation",
        2,
        [
            {
                "kind": "value",
                "name": "phone_keys",
                "value": ["hmac:a", "hmac:b"],
                "detail": {"versions": 2},
                "span": None,
            }
        ],
    )
    b.score(rotated, 10)
    seeded.xss_ad, seeded.rotated_ad = xss.id, rotated.id
    return [xss, rotated]


def _network(b: Builder, source: Source, run: CrawlRun, seeded: Seeded) -> None:
    members = []
    for k, name in enumerate(("Mila", "Nora", "Olga")):
        text = TEMPLATE.format(name=name, phone=phone(50))
        members.append(b.ad(source, run, 50 + k, [fields(name, text, 50)], days=10 - 3 * k))
    ids = [m.id for m in members]
    shared, other = b.image(png(b.rng)), b.image(png(b.rng))
    b.attach(members[0], shared)
    b.attach(members[1], other)
    template = (
        "Lieve heren, ik ben {…} nieuw in Houten en altijd blij je te zien. Bel 06 1234 0050."
    )
    varying = {str(m.id): (m.versions[0].name + ",",) for m in members}
    for member in members:
        others = [i for i in ids if i != member.id]
        b.hit(
            member,
            "phone_shared",
            2.5,
            [{"kind": "link", "ad_ids": others, "via": "phone", "key": "hmac:x"}],
        )
        b.hit(
            member,
            "text_template",
            2,
            [
                {
                    "kind": "template",
                    "ad_ids": ids,
                    "template": template,
                    "varying": varying,
                    "similarity": 0.82,
                }
            ],
        )
        b.hit(member, "new_arrival", 1.5, [span(member.versions[0].text, "nieuw in Houten")])
    b.hit(
        members[0],
        "photo_reuse",
        3,
        [
            {
                "kind": "photo",
                "image_id": shared.id,
                "other_ad_id": ids[1],
                "other_image_id": other.id,
                "distance": 4,
            }
        ],
    )
    b.hit(
        members[1],
        "photo_reuse",
        3,
        [
            {
                "kind": "photo",
                "image_id": other.id,
                "other_ad_id": ids[0],
                "other_image_id": shared.id,
                "distance": 4,
            }
        ],
    )
    network = Network(id="net-" + "ab12" * 4, size=3, first_seen=b.now - timedelta(days=10))
    b.s.add(network)
    b.s.flush()
    for member in members:
        links = ["phone_shared", "text_template"] + (
            ["photo_reuse"] if member.id in ids[:2] else []
        )
        b.s.add(NetworkMember(network_id=network.id, ad_id=member.id, links=links))
        b.score(member, 9.5 if member.id in ids[:2] else 6, network.id)
    # The shared number as scoring stores it: only its keyed hash (the search looks it up).
    key = phone_key(e164_numbers(phone(50))[0], DEMO_SECRET_KEY)
    b.s.add_all(
        PhoneLink(ad_id=m.id, ad_version_id=m.versions[-1].id, phone_key=key) for m in members
    )
    seeded.photo_ads, seeded.network_id = (ids[0], ids[1]), network.id
    seeded.image_ids += [shared.id, other.id]
    seeded.ad_ids += ids


def build(db: Database, blobs: BlobStore, seed: int = 7, plain_ads: int = 30) -> Seeded:
    """Fill a migrated database (and the blob store) with a seeded review world."""
    seeded = Seeded()
    with db.writing() as session:
        b = Builder(session, blobs, random.Random(seed))
        source, run = b.sources()
        for ad in _special_ads(b, source, run, seeded):
            seeded.ad_ids.append(ad.id)
        image = b.image(png(b.rng))
        b.attach(session.get(Ad, seeded.xss_ad), image)
        seeded.image_ids.append(image.id)
        _network(b, source, run, seeded)
        _plain_ads(b, source, run, plain_ads, seeded)
    return seeded


def add_user(db: Database, name: str, role: str) -> str:
    """An account with the test password; returns its TOTP secret."""
    with db.writing() as session:
        user, _ = create_user(session, name, role, PASSWORD)
        if role != "admin":
            change_grant(session, user, "houten", granted=True, actor="test")
        return user.totp_secret or ""
