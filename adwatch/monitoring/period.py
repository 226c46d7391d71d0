"""A reporting period of whole days (UTC, the stored time zone), with its ISO weeks and months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from adwatch.errors import AdwatchError


class PeriodError(AdwatchError):
    """A period whose end lies before its start, or that is unreasonably long."""

    exit_code = 2


MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    """From `start` up to and including `end`."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"period ends ({self.end}) before it starts ({self.start})")
        if (self.end - self.start).days > MAX_DAYS:
            raise PeriodError(f"period longer than {MAX_DAYS} days: {self.start} to {self.end}")

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year."""
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.start, time(), UTC)

    @property
    def end_utc(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time(), UTC)

    def contains(self, moment: datetime) -> bool:
        """Whether the moment falls inside the period."""
        return self.start_utc <= moment < self.end_utc

    def weeks(self) -> list[tuple[str, datetime, datetime]]:
        """ISO weeks touching the period: label (`2026-W01`), start and end, clipped to it."""
        found = []
        day = self.start - timedelta(days=self.start.weekday())
        while day <= self.end:
            iso = day.isocalendar()
            start = max(datetime.combine(day, time(), UTC), self.start_utc)
            end = min(datetime.combine(day + timedelta(days=7), time(), UTC), self.end_utc)
            found.append((f"{iso.year}-W{iso.week:02d}", start, end))
            day += timedelta(days=7)
        return found

    def months(self) -> list[str]:
        """Months touching the period, as `YYYY-MM`."""
        found, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append(f"{year}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def month_of(moment: datetime) -> str:
    """The `YYYY-MM` of a moment."""
    return f"{moment.year}-{moment.month:02d}"
