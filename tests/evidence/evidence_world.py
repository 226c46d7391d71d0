"""A demo crawl turned into review state: an officer, decisions, notes, hits, scores, a network."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.storage.models import (
    Ad,
    Decision,
    IndicatorHit,
    Network,
    NetworkMember,
    Note,
    Score,
    User,
)
from tests.helpers import instance_env

RULES = "rules-test-1"
NETWORK = "net-0001"


@dataclass
class World:
    """A copy of the crawled instance and the ids the tests refer to."""

    env: dict[str, str]
    instance: Instance
    officer: str = "officer1"
    viewer: str = "viewer1"
    single: int = 0
    network_ads: list[int] = field(default_factory=list)
    undecided: int = 0
    no_signal: int = 0


def copy_instance(source: Path, target: Path) -> tuple[dict[str, str], Instance]:
    """A private copy of a crawled data folder, and its instance."""
    shutil.copytree(source, target)
    env = instance_env(target)
    return env, Instance(load_settings(env))


def populate(env: dict[str, str], instance: Instance) -> World:
    """Add the review state the evidence tests need, on ads that have images and two versions."""
    world = World(env, instance)
    with instance.db.writing() as session:
        ads = session.scalars(select(Ad).order_by(Ad.id)).all()
        chosen = sorted(ads, key=lambda ad: (-len(ad.versions), ad.gone_at is None, ad.id))
        picked = [ad.id for ad in chosen[:6]]
        world.single, world.network_ads = picked[0], picked[1:4]
        world.undecided, world.no_signal = picked[4], picked[5]
        officer = _user(session, world.officer, "officer")
        _user(session, world.viewer, "viewer")
        _network(session, world.network_ads)
        _review(session, world, officer.id)
        for ad_id in [world.single, *world.network_ads]:
            _signals(session, ad_id)
    return world


def _user(session, username: str, role: str) -> User:
    user = User(username=username, display_name=f"Test {username}", role=role)
    session.add(user)
    session.flush()
    return user


def _network(session, ad_ids: list[int]) -> None:
    session.add(Network(id=NETWORK, size=len(ad_ids)))
    session.flush()
    for ad_id in ad_ids:
        session.add(NetworkMember(network_id=NETWORK, ad_id=ad_id, links=["shared_phone"]))
    session.flush()  # a network decision takes its municipality from the members


def _review(session, world: World, officer_id: int) -> None:
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    decisions = [
        Decision(ad_id=world.single, status="controle_voorbereiden", reason="zelfde nummer"),
        Decision(network_id=NETWORK, status="doorzetten", partner="avim_politie", reason="netwerk"),
        Decision(ad_id=world.no_signal, status="monitoren", reason="eerst kijken"),
        Decision(ad_id=world.no_signal, status="geen_signaal", reason="zelfstandig"),
    ]
    for n, decision in enumerate(decisions):
        decision.actor_id, decision.created_at = officer_id, at.replace(minute=n)
        session.add(decision)
    session.add(
        Note(ad_id=world.single, text="<script>alert(1)</script> gebeld", author_id=officer_id)
    )


def _signals(session, ad_id: int) -> None:
    ad = session.get(Ad, ad_id)
    version = ad.versions[-1]
    evidence = [{"span": version.text[:20], "start": 0, "end": 20, "linked_ads": [ad_id]}]
    session.add(
        IndicatorHit(
            ad_id=ad_id,
            ad_version_id=version.id,
            code="third_party",
            weight=2.0,
            evidence=evidence,
            rules_version=RULES,
        )
    )
    session.add(
        Score(
            ad_id=ad_id,
            ad_version_id=version.id,
            value=3.5,
            tier="hoog",
            rules_version=RULES,
            network_id=None,
        )
    )
