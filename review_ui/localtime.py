"""What the officer reads instead of stored forms: local time (Europe/Amsterdam), network names."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from adwatch.timeutil import as_utc, utcnow

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_time(value: datetime) -> datetime:
    """A stored (UTC) moment as Amsterdam's wall clock."""
    return as_utc(value).astimezone(AMSTERDAM)


def local_today() -> date:
    """Today's date in Amsterdam (a UTC date is wrong between 22:00/23:00 and midnight)."""
    return local_time(utcnow()).date()


def network_name(network_id: str) -> str:
    """ "net-17" as the officer reads it: "netwerk 17" (the number is its first ad's id)."""
    return f"netwerk {network_id.removeprefix('net-')}"
