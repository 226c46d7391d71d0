"""Switching the served platform from day 1 to day 2: added, removed, edited and rotated ads."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from demo_client import Client

from application.demo.content import REGIONS
from application.demo.server import DemoPlatform


@pytest.fixture(scope="module")
def days() -> Iterator[tuple[DemoPlatform, Client]]:
    platform = DemoPlatform(seed=2026, day=1)
    with platform.serve_in_thread() as base_url:
        yield platform, Client(base_url)


def snapshot(platform: DemoPlatform, client: Client, day: int) -> dict[str, bytes]:
    """Every detail page and phone of `day`, plus all listing pages, as served."""
    platform.set_day(day)
    pages = {}
    for ad in platform.ads_for_day(day):
        pages[f"/advertentie/{ad.id}"] = client.get(f"/advertentie/{ad.id}").body
        pages[f"/api/telefoon/{ad.id}"] = client.get(f"/api/telefoon/{ad.id}").body
    for slug in REGIONS:
        pages[f"/regio/{slug}"] = b"".join(
            client.get(f"/regio/{slug}?pagina={n}").body for n in range(1, 5)
        )
    return pages


@pytest.fixture(scope="module")
def both(days) -> tuple[DemoPlatform, Client, dict[str, bytes], dict[str, bytes]]:
    platform, client = days
    day1, day2 = snapshot(platform, client, 1), snapshot(platform, client, 2)
    return platform, client, day1, day2


def test_removed_ads_are_404_and_gone_from_listings(both):
    platform, client, _, day2 = both
    platform.set_day(2)
    listings = b"".join(day2[f"/regio/{slug}"] for slug in REGIONS)
    for ad_id in platform.changes.removed:
        assert client.get(f"/advertentie/{ad_id}").status == 404
        assert client.get(f"/api/telefoon/{ad_id}").status == 404
        assert f'href="/advertentie/{ad_id}"'.encode() not in listings


def test_added_ads_are_listed_first_on_their_region(both):
    platform, _, day1, day2 = both
    assert len(platform.changes.added) == 6
    for ad_id in platform.changes.added:
        assert f"/advertentie/{ad_id}" not in day1 and f"/advertentie/{ad_id}" in day2
    houten = [ad for ad in platform.ads_for_day(2) if ad.id in platform.changes.added]
    first = day2["/regio/houten"].split(b'class="ad-link" href="/advertentie/')[1][:6].decode()
    assert first in {ad.id for ad in houten if ad.region == "houten"}


def test_edited_ads_change_text_or_prices_only(both):
    platform, _, day1, day2 = both
    for ad_id in platform.changes.edited:
        path = f"/advertentie/{ad_id}"
        assert day1[path] != day2[path]
        assert day1[f"/api/telefoon/{ad_id}"] == day2[f"/api/telefoon/{ad_id}"]


def test_rotated_ads_keep_their_page_and_change_their_phone(both):
    platform, _, day1, day2 = both
    for ad_id in platform.changes.rotated:
        assert day1[f"/advertentie/{ad_id}"] == day2[f"/advertentie/{ad_id}"]
        before = json.loads(day1[f"/api/telefoon/{ad_id}"])["telefoon"]
        after = json.loads(day2[f"/api/telefoon/{ad_id}"])["telefoon"]
        assert before != after
        assert re.fullmatch(r"(\+316|06)1234\d{4}", re.sub(r"[ -]", "", after))


def test_everything_else_is_byte_identical(both):
    platform, _, day1, day2 = both
    changed = {*platform.changes.edited, *platform.changes.rotated}
    same = [
        path
        for path in day1.keys() & day2.keys()
        if path.startswith(("/advertentie/", "/api/")) and path.rsplit("/", 1)[1] not in changed
    ]
    assert len(same) > 2 * 130
    assert all(day1[path] == day2[path] for path in same)


def test_set_day_refuses_unknown_days(days):
    platform, _ = days
    with pytest.raises(ValueError, match="day"):
        platform.set_day(3)
