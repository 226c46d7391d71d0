"""One search field for every page: a phone number, a name, words of the text, an ad id or URL.

A phone number is found through its keyed hash only. Results are grouped by network. The caller
audits which ids were found and which kind of search it was, never the terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from adwatch.casework.phonesearch import search_key
from adwatch.storage.models import Ad, AdVersion, NetworkMember, PhoneLink
from review_ui.queries.summaries import summaries_of
from review_ui.views import AdSummary

MAX_RESULTS = 200
MAX_WORDS = 6
AD_ID = re.compile(r"^#?(\d{1,8})$")
PHONE_CHARS = re.compile(r"^[\d\s+()./-]+$")


@dataclass
class SearchResult:
    """What a search found: its kind, and the ads grouped by network."""

    kind: str
    networks: dict[str, list[AdSummary]] = field(default_factory=dict)
    loose: list[AdSummary] = field(default_factory=list)

    @property
    def ad_ids(self) -> list[int]:
        ads = [a for group in self.networks.values() for a in group] + self.loose
        return sorted(a.id for a in ads)


def kind_of(query: str) -> str:
    """What the typed text is: url, ad, phone or words."""
    text = query.strip()
    if text.lower().startswith(("http://", "https://")):
        return "url"
    if AD_ID.match(text):
        return "ad"
    if PHONE_CHARS.match(text) and sum(c.isdigit() for c in text) >= 9:
        return "phone"
    return "words"


def _granted(query, granted: frozenset[str]):
    return query.join(Ad, Ad.id == AdVersion.ad_id).where(Ad.municipality.in_(granted))


def _ids(
    session: Session, query: str, kind: str, secret: str, granted: frozenset[str]
) -> list[int]:
    text = query.strip()
    if kind == "url":
        found = select(Ad.id).where(Ad.url == text, Ad.municipality.in_(granted))
    elif kind == "ad":
        number = int(AD_ID.match(text).group(1))
        found = select(Ad.id).where(Ad.id == number, Ad.municipality.in_(granted))
    elif kind == "phone":
        key = search_key(text, secret)
        if key is None:
            return []
        found = (
            select(PhoneLink.ad_id)
            .join(Ad, Ad.id == PhoneLink.ad_id)
            .where(PhoneLink.phone_key == key, Ad.municipality.in_(granted))
        )
    else:
        dialect = session.get_bind().dialect.name
        found = _granted(select(AdVersion.ad_id), granted).where(_words(text, dialect))
    return sorted(set(session.scalars(found.distinct().limit(MAX_RESULTS))))


def _words(text: str, dialect: str):
    """Every word in the name, title or text, case-insensitive. SQLite's LIKE already ignores
    case (ASCII); lower() on three columns of every version would cost more than the match."""
    words = [w for w in re.split(r"\s+", text) if w][:MAX_WORDS]
    columns = (AdVersion.name, AdVersion.title, AdVersion.text)

    def matches(column, word: str):
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        if dialect == "sqlite":
            return column.like(pattern, escape="\\")
        return column.ilike(pattern, escape="\\")

    return and_(*[or_(*[matches(c, w) for c in columns]) for w in words])


def search(session: Session, query: str, secret: str, granted: frozenset[str]) -> SearchResult:
    """The ads the query finds in the granted municipalities, grouped by network."""
    kind = kind_of(query)
    ids = _ids(session, query, kind, secret, granted) if query.strip() else []
    result = SearchResult(kind)
    if not ids:
        return result
    summaries = summaries_of(session, ids)
    networks = dict(
        session.execute(
            select(NetworkMember.ad_id, NetworkMember.network_id).where(
                NetworkMember.ad_id.in_(ids)
            )
        ).all()
    )
    for ad_id in ids:
        summary = summaries.get(ad_id)
        if summary is None:
            continue
        if ad_id in networks:
            result.networks.setdefault(networks[ad_id], []).append(summary)
        else:
            result.loose.append(summary)
    return result
