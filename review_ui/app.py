"""The app factory: one instance, its templates, security middleware, routes and static files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from adwatch.config.indicators import indicator_labels
from adwatch.config.municipalities import load_municipalities
from adwatch.instance import Instance
from adwatch.vocabulary import (
    ALARM_KINDS,
    CASE_EVENTS,
    CASE_STEPS,
    LINK_CODES,
    MAX_NOTE,
    MAX_REASON,
    PARTNERS,
    ROLES,
    RUN_STATUSES,
    TIERS,
)
from review_ui import texts as text_module
from review_ui.errors import install_handlers
from review_ui.highlight import changed_fields, template_parts, word_diff
from review_ui.localtime import local_time, network_name
from review_ui.networkextras import likeness
from review_ui.opinion import second_opinion
from review_ui.routes import (
    ads,
    auth,
    cases,
    dashboard,
    decide,
    evidence,
    home,
    networks,
    preferences,
    queue,
    search,
    system,
    useradmin,
)
from review_ui.security import READERS, LoginLimiter, guard

HERE = Path(__file__).parent


def _when(value: datetime | None) -> str:
    """Dates in the Dutch order, in the officer's local time (stored in UTC)."""
    return f"{local_time(value):%d-%m-%Y %H:%M}" if value else "—"


def make_templates(labels: dict[str, str]) -> Jinja2Templates:
    """Jinja2 with autoescape on every template and the Dutch texts as globals."""
    templates = Jinja2Templates(directory=HERE / "templates")
    env = templates.env
    env.autoescape = True
    env.filters["when"] = _when
    env.filters["network_name"] = network_name
    env.filters["likeness"] = likeness
    env.globals.update(
        t=text_module.texts,
        tiers=TIERS,
        statuses=text_module.STATUSES,
        partners=PARTNERS,
        case_steps=CASE_STEPS,
        roles=ROLES,
        reader_roles=READERS,
        max_reason=MAX_REASON,
        max_note=MAX_NOTE,
        run_statuses=RUN_STATUSES,
        alarm_kinds=ALARM_KINDS,
        link_codes=LINK_CODES,
        case_events=CASE_EVENTS,
        evidence_names=text_module.EVIDENCE,
        field_names=text_module.FIELDS,
        labels=labels,
        template_parts=template_parts,
        word_diff=word_diff,
        changed_fields=changed_fields,
        second_opinion=second_opinion,
    )
    return templates


def create_app(
    instance: Instance,
    *,
    require_totp: bool = True,
    secure_cookies: bool = False,
    allowed_hosts: frozenset[str] | None = None,
) -> FastAPI:
    """The review UI for this instance. TOTP is required unless the caller runs it local-only;
    `secure_cookies` (behind TLS) also brings `__Host-` cookies and HSTS; `allowed_hosts`, when
    given, is the Host allow-list."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    labels = indicator_labels(instance.settings.config_dir)
    app.state.instance = instance
    app.state.labels = labels
    config_dir = instance.settings.config_dir
    app.state.municipality_names = {m.code: m.name for m in load_municipalities(config_dir)}
    app.state.templates = make_templates(labels)
    app.state.require_totp = require_totp
    app.state.secure_cookies = secure_cookies
    app.state.allowed_hosts = allowed_hosts
    app.state.limiter = LoginLimiter()
    app.middleware("http")(guard)
    install_handlers(app)
    for module in (auth, queue, ads, networks, decide, system):
        app.include_router(module.router)
    app.include_router(dashboard.router)
    app.include_router(evidence.router)
    for module in (cases, search, home, preferences, useradmin):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
