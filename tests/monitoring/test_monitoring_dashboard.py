"""The dashboard page: login required, the period selector, charts with tables, axe-core clean."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from adwatch.access import accounts
from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.storage.migrate import upgrade
from review_ui.app import create_app
from tests.helpers import REPO, instance_env, missing_prerequisite
from tests.monitoring.monitoring_world import SECRET_NAME, SECRET_TEXT, build
from tests.ui.conftest import log_in
from tests.ui.uidata import add_user

ACCOUNTS = ("officer", "viewer", "admin")


@pytest.fixture(scope="module")
def dash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instance, dict[str, str]]]:
    """The world of known counts with one account per role (cheap password hashes)."""
    data_dir = tmp_path_factory.mktemp("dashboard") / "data"
    instance = Instance(load_settings(instance_env(data_dir)))
    upgrade(instance.db)
    build(instance.db)
    default, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=1024)
    try:
        secrets = {role: add_user(instance.db, role, role) for role in ACCOUNTS}
    finally:
        accounts._hasher = default
    yield instance, secrets
    instance.db.dispose()


def _client(instance: Instance) -> TestClient:
    app = create_app(instance, require_totp=False)
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


def test_the_dashboard_needs_a_login(dash):
    instance, _ = dash
    with _client(instance) as client:
        response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code in (302, 303, 401)


@pytest.mark.parametrize(("role", "status"), [("officer", 200), ("viewer", 200), ("admin", 403)])
def test_readers_see_the_dashboard_and_admins_do_not(dash, role, status):
    instance, _ = dash
    with _client(instance) as client:
        assert log_in(client, role).get("/dashboard").status_code == status


def test_the_period_selector_shows_the_figures_of_the_period(dash):
    instance, _ = dash
    with _client(instance) as client:
        html = log_in(client, "officer").get("/dashboard?from=2026-01-01&to=2026-12-31").text
    assert 'value="2026-01-01"' in html and 'value="2026-12-31"' in html
    assert html.count("<svg") == 7 and html.count('role="img"') == 7
    assert html.count("<table") == 8  # key figures, and a table beside every chart
    assert re.search(r"Advertenties gezien</th><td class=\"num\">13<", html)
    assert "Geschreven door derde" in html
    for forbidden in (SECRET_TEXT, SECRET_NAME):
        assert forbidden not in html
    assert "<script>" not in html and " style=" not in html


def test_a_period_that_ends_before_it_starts_is_refused_with_a_notice(dash):
    instance, _ = dash
    with _client(instance) as client:
        response = log_in(client, "officer").get("/dashboard?from=2026-03-01&to=2026-01-01")
    assert response.status_code == 200
    assert 'role="alert"' in response.text


def test_march_alone(dash):
    instance, _ = dash
    with _client(instance) as client:
        html = log_in(client, "viewer").get("/dashboard?from=2026-03-01&to=2026-03-31").text
    assert re.search(r"Advertenties gezien</th><td class=\"num\">3<", html)


@pytest.mark.browser
def test_axe_finds_no_serious_violations_on_the_dashboard(dash, tmp_path):
    from playwright.sync_api import sync_playwright

    from adwatch.chromium import launch_options
    from tests.ui.test_ui_browser import AXE, axe_violations, free_port, wait_for
    from tests.ui.test_ui_browser import log_in as browser_log_in

    if not AXE.is_file():
        missing_prerequisite("run `npm ci` first (make test does)")
    instance, secrets = dash
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")}
    env.update(instance_env(instance.settings.data_dir))
    command = [sys.executable, "-m", "application", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for(port, process)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            context = browser.new_context(bypass_csp=True)
            page = context.new_page()
            browser_log_in(page, base, secrets["officer"])
            page.goto(f"{base}/dashboard?from=2026-01-01&to=2026-12-31")
            found = axe_violations(page)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert not found, found


def test_the_dashboard_opens_with_a_summary_in_words(dash):
    instance, _ = dash
    with _client(instance) as client:
        html = log_in(client, "officer").get("/dashboard?from=2026-01-01&to=2026-12-31").text
    assert "In het kort" in html and "Een jaar eerder, in dezelfde periode:" in html
    assert "(UTC)" not in html
