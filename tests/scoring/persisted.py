"""A small stored world for the scoring-persistence tests, on SQLite or PostgreSQL.

Twelve synthetic ads that link in every way scoring knows: a text template with changing names,
one phone number under three names, one photo in two ads, and an ad whose number changes
between its versions. `scoring_state` reads back everything a scoring run writes, without row
ids and timestamps, so two runs can be compared.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.config.settings import load_settings
from adwatch.instance import Instance
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
from application.commands.scoringrun import score_instance
from tests.helpers import add_page_capture, instance_env

TEMPLATE = (
    "Hoi schat, ik ben {name} en ik ontvang je graag in een schone en rustige kamer in Houten. "
    "Ik neem echt de tijd voor je, geen haast en alles in overleg. Douche aanwezig, parkeren "
    "gratis voor de deur. Bel mij voor een afspraak tussen twaalf en tien. Tot snel, {name}."
)
OWN = "Ik ben {name}, werk zelfstandig vanuit mijn eigen appartement in Houten. {extra}"
SHARED_PHONE = "Bel 06 1234 0001."
NAMES = ("Anna", "Bo", "Cleo", "Dana", "Eva", "Fleur", "Gina", "Hanna", "Iris", "Jade", "Kim")


def _world() -> list[tuple[str, list[str], list[int]]]:
    """Per ad: name, version texts (oldest first), image numbers of the newest version."""
    ads = [(name, [TEMPLATE.format(name=name)], [10 + n]) for n, name in enumerate(NAMES[:5])]
    ads += [
        (name, [OWN.format(name=name, extra=SHARED_PHONE)], [20 + n])
        for n, name in enumerate(NAMES[5:8])
    ]
    ads += [
        (NAMES[8], [OWN.format(name=NAMES[8], extra="Foto's zijn echt.")], [1]),
        (NAMES[9], [OWN.format(name=NAMES[9], extra="Discreet.")], [1, 30]),
    ]
    ads.append(
        (
            NAMES[10],
            [OWN.format(name=NAMES[10], extra=f"Bel 06 1234 {n:04d}.") for n in (2, 3)],
            [31],
        )
    )
    ads.append(("Lot", [OWN.format(name="Lot", extra="Alleen op afspraak.")], [32]))
    return ads


def fill_world(db: Database) -> None:
    """Store the twelve ads, their versions and images, as a crawl would have left them."""
    with db.writing() as session:
        source = Source(name="world", title="World")
        session.add(source)
        session.flush()
        run = CrawlRun(source_id=source.id, status="finished")
        session.add(run)
        session.flush()
        images: dict[int, Image] = {}
        for number, (name, texts, photos) in enumerate(_world(), 1):
            ad = Ad(
                municipality="houten",
                source_id=source.id,
                source_ad_id=str(number),
                url=f"http://w/{number}",
                first_seen=utcnow(),
                last_seen=utcnow(),
                last_run_id=run.id,
            )
            session.add(ad)
            session.flush()
            for text in texts:
                version = _add_version(session, ad, run.id, name, text)
            for position, image in enumerate(photos):
                if image not in images:
                    images[image] = _image(session, image)
                session.add(
                    AdImage(
                        ad_version_id=version.id,
                        position=position,
                        image_id=images[image].id,
                        source_url="http://w/i",
                    )
                )


def add_version(db: Database, source_ad_id: str, text: str) -> None:
    """A new newest version of a stored ad, as a later crawl would add it."""
    with db.writing() as session:
        ad = session.scalar(select(Ad).where(Ad.source_ad_id == source_ad_id))
        name = ad.versions[-1].name
        _add_version(session, ad, ad.last_run_id, name, text)


def _add_version(session: Session, ad: Ad, run_id: int, name: str, text: str) -> AdVersion:
    count = session.query(Capture).count() + 1
    capture_id = add_page_capture(session, run_id, ad.url, utcnow(), f"sha256:{count:064x}")
    version = AdVersion(
        ad_id=ad.id,
        capture_id=capture_id,
        seen_at=utcnow(),
        name=name,
        content_sha256=f"sha256:{count:x}",
        title=f"{name} in Houten",
        text=text,
        town="Houten",
    )
    session.add(version)
    session.flush()
    return version


def _image(session: Session, number: int) -> Image:
    phash = f"phash:{(number * 0x9E3779B97F4A7C15) % 2**64:016x}"
    image = Image(
        sha256=f"sha256:{number:064x}",
        format="JPEG",
        width=10,
        height=10,
        size=1,
        phash=phash,
        dhash=phash.replace("phash", "dhash"),
        hash_pipeline="test",
    )
    session.add(image)
    session.flush()
    return image


def score(url: str, data_dir: Path, *, full: bool = False):
    """`adwatch score` (or `--all`) on the database at `url`; its summary."""
    env = {**instance_env(data_dir), "ADWATCH_DATABASE_URL": url}
    instance = Instance(load_settings(env))
    try:
        return score_instance(instance, full=full)
    finally:
        instance.db.dispose()


def scoring_state(db: Database) -> dict[str, list]:
    """What scoring wrote, as sorted plain rows without ids and timestamps."""
    queries = {
        "hits": select(
            IndicatorHit.ad_id,
            IndicatorHit.ad_version_id,
            IndicatorHit.code,
            IndicatorHit.weight,
            IndicatorHit.evidence,
            IndicatorHit.rules_version,
        ),
        "scores": select(
            Score.ad_id,
            Score.ad_version_id,
            Score.value,
            Score.tier,
            Score.network_id,
            Score.rules_version,
        ),
        "networks": select(Network.id, Network.size),
        "members": select(NetworkMember.network_id, NetworkMember.ad_id, NetworkMember.links),
        "phones": select(PhoneLink.ad_id, PhoneLink.ad_version_id, PhoneLink.phone_key),
    }
    with db.reading() as session:
        return {name: sorted(map(repr, session.execute(q))) for name, q in queries.items()}
