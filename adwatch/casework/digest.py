"""The nightly e-mail digest for officers who opted in: counts and a link, nothing else.

Never ad text, names, numbers, images or place names beyond the municipality: the message is
built from integers and the configured link only. Off unless `digest.enabled` in adwatch.yaml; the
SMTP login comes from ADWATCH_SMTP_USERNAME / ADWATCH_SMTP_PASSWORD, and STARTTLS is required
unless `digest.starttls` is false (a relay on the same machine).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.access.accounts import grants_of
from adwatch.casework.news import (
    changed_after_decision,
    follow_ups_due,
    new_flagged_ads,
    new_network_members,
)
from adwatch.config.schemas import DigestConfig, load_app_config
from adwatch.instance import Instance
from adwatch.storage.models import DigestSubscription, User
from adwatch.storage.rulesversion import current_rules_version
from adwatch.timeutil import utcnow
from adwatch.vocabulary import OFFICER

logger = logging.getLogger("adwatch.casework.digest")
FIRST_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class DigestCounts:
    """The four numbers a digest holds."""

    new_ads: int
    new_members: int
    changed: int
    follow_ups: int


def counts_for(session: Session, user_id: int, since: datetime, today: date) -> DigestCounts:
    """The counts for one user's granted municipalities."""
    granted = grants_of(session, user_id)
    rules = current_rules_version(session)
    return DigestCounts(
        len(new_flagged_ads(session, since, granted, rules)),
        len(new_network_members(session, granted)),
        len(changed_after_decision(session, since, granted)),
        len(follow_ups_due(session, granted, today)),
    )


def message(config: DigestConfig, municipality: str, to: str, counts: DigestCounts) -> EmailMessage:
    """The e-mail: a subject, four counts and a link."""
    mail = EmailMessage()
    mail["From"] = config.sender
    mail["To"] = to
    mail["Subject"] = f"adwatch {municipality}: overzicht van vannacht"
    link = config.base_url.rstrip("/") + "/home" if config.base_url else "adwatch (/home)"
    mail.set_content(
        "Goedemorgen,\n\n"
        f"Sinds het vorige overzicht in adwatch ({municipality}):\n"
        f"- {counts.new_ads} nieuwe advertenties met signaal hoog of middel\n"
        f"- {counts.new_members} nieuwe advertenties in netwerken waarover al besloten is\n"
        f"- {counts.changed} advertenties gewijzigd na een besluit\n"
        f"- {counts.follow_ups} zaken om op te volgen\n\n"
        f"Bekijken: {link}\n\n"
        "Deze e-mail bevat bewust alleen aantallen. Afmelden kan op de startpagina van adwatch.\n"
    )
    return mail


def send_digests(
    instance: Instance, now: datetime | None = None, context: ssl.SSLContext | None = None
) -> int:
    """Send each opted-in active officer their digest; returns how many were sent."""
    app = load_app_config(instance.settings.config_dir)
    config = app.digest
    if not config.enabled:
        logger.info("digest: off (digest.enabled is false in adwatch.yaml)")
        return 0
    now = now or utcnow()
    with instance.db.reading() as session:
        rows = session.execute(
            select(DigestSubscription, User.id)
            .join(User, User.id == DigestSubscription.user_id)
            .where(User.active.is_(True), User.role == OFFICER)
        ).all()
        todo = [
            (
                sub.user_id,
                sub.email,
                counts_for(session, uid, sub.last_sent_at or now - FIRST_WINDOW, now.date()),
            )
            for sub, uid in rows
        ]
    if not todo:
        return 0
    sent = 0
    with _smtp(config, instance, context) as smtp:
        for user_id, email, counts in todo:
            smtp.send_message(message(config, app.municipality, email, counts))
            _mark_sent(instance, user_id, now)
            sent += 1
    logger.info("digest: %d sent", sent)
    return sent


def _smtp(config: DigestConfig, instance: Instance, context: ssl.SSLContext | None) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout_s)
    if config.starttls:
        smtp.starttls(context=context or ssl.create_default_context())
    if instance.settings.smtp_username:
        smtp.login(instance.settings.smtp_username, instance.settings.smtp_password)
    return smtp


def _mark_sent(instance: Instance, user_id: int, now: datetime) -> None:
    with instance.db.writing() as session:
        row = session.get(DigestSubscription, user_id)
        if row is not None:
            row.last_sent_at = now
