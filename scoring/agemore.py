"""Ages read from longer forms, in one place: worked-out ages (`scoring.agesums`), birth years
and dates (`scoring.ageyears`) and birthdays just had or to come (`scoring.agerecent`).

`more_ages` gives (age, match, just) for `scoring.ages.stated_ages`, which checks each like the
usual forms; `drop_inside_sums` and `drop_childrens_ages` tidy the ages found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from adwatch.config.gazetteer import first_names
from scoring.agerecent import accented_name_ages, recent_ages
from scoring.agesums import sums_run, worked_out_ages
from scoring.ageyears import birth_year_ages
from scoring.notage import is_own_age, is_thing_age


def more_ages(shadow: str, today: date) -> Iterator[tuple[int, re.Match[str], bool]]:
    """(age, match, just) of every form of the three modules."""
    for age, match in worked_out_ages(shadow):
        yield age, match, False
    for age, match in birth_year_ages(shadow, today):
        yield age, match, False
    yield from recent_ages(shadow)
    if not shadow.isascii():
        for age, match in accented_name_ages(shadow, first_names()):
            yield age, match, False


def placed_ages(shadow: str, today: date, ages: range) -> list[tuple[int, tuple[int, int], bool]]:
    """(age, span, just) of the forms that stand (in `ages`, the person's own, no thing's), the
    longest first where they overlap ("zus is 21 en ik ben twee jaar jonger" is 19)."""
    placed: list[tuple[int, tuple[int, int], bool]] = []
    taken = bytearray(len(shadow) + 1)  # per character: inside an age placed already
    found = sorted(more_ages(shadow, today), key=lambda f: f[1].start() - f[1].end())
    for age, match, just in found:
        start, end = match.span()
        if any(taken[start:end]):
            continue
        if age in ages and is_own_age(shadow, match) and not is_thing_age(shadow, match):
            placed.append((age, (start, end), just))
            taken[start:end] = b"\x01" * (end - start)
    return placed


def tidied(ages: list, shadow: str) -> list:
    """The ages without two-term sums inside longer ones ("9+9+9+9") and without a grown-up
    writer's child's ("mijn jongste is net 18", beside "Ik ben Ans, 49")."""
    inside = bytearray(len(shadow) + 1)
    for start, end in sums_run(shadow) if "+" in shadow else ():
        inside[start + 1 : end] = b"\x01" * (end - start - 1)  # a sum's own start stays free
    grown = any(a.age >= 30 for a in ages)
    if any(a.age == 18 and not a.just for a in ages) and _BIRTHDAY_JUST_PAST.search(shadow):
        ages = [replace(a, just=True) if a.age == 18 else a for a in ages]
    return [a for a in ages if not inside[a.start] and not (grown and _childs_age(shadow, a.start))]


# A birthday just past said beside the age: "de taart is afgelopen week pas aangesneden", "vorige
# week jarig geweest", "my birthday was last week" (an age of 18 then is "net 18").
_LATELY = (
    r"(?:(?:afgelopen|vorige|last)\s+(?:week|weekend|maandag|dinsdag|woensdag|donderdag|vrijdag|"
    r"zaterdag|zondag|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|gisteren|"
    r"eergisteren|yesterday)"
)
_BIRTHDAY_JUST_PAST = re.compile(
    rf"\b(?:taart|verjaardag|birthday|bday|jarig)\b[^.!?\n]{{0,40}}?\b{_LATELY}\b"
    rf"|\b{_LATELY}\s+(?:jarig|mijn\s+verjaardag|my\s+birthday)",
    re.I,
)
# "mijn jongste is net 18": a grown-up writer's youngest child, not a worker.
_CHILD_BEFORE = re.compile(
    r"\b(?:mijn|m'n|mn|my)\s+(?:jongste|oudste|youngest|eldest|oldest)\b[^.!?\n]{0,20}$", re.I
)


def _childs_age(shadow: str, start: int) -> bool:
    """Whether the age at `start` follows "mijn jongste" (the caller checked the writer is 30+)."""
    window = shadow[max(0, start - 40) : start]
    return bool(
        _CHILD_BEFORE.search(window)
        or _CHILD_BEFORE.search(shadow[max(0, start - 40) : start + 10].split(" is ")[0] + " ")
    )
