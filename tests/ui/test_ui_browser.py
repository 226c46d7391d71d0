"""Real browser against `adwatch serve`: log in with TOTP, work the queue, reveal, decide; XSS
stays inert; axe-core finds no serious or critical accessibility violations."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import Page, sync_playwright

from adwatch.chromium import launch_options
from tests.helpers import REPO, instance_env, missing_prerequisite
from tests.ui.uidata import PASSWORD

pytestmark = pytest.mark.browser
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"adwatch serve exited: {process.stderr.read()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("adwatch serve did not start")


@pytest.fixture(scope="module")
def server(template_world, tmp_path_factory) -> Iterator[tuple[str, object, dict]]:
    """`adwatch serve` on a free loopback port over a copy of the seeded world."""
    import shutil

    source, seeded, secrets = template_world
    data_dir = tmp_path_factory.mktemp("served") / "data"
    shutil.copytree(source, data_dir)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")}
    env.update(instance_env(data_dir))
    process = subprocess.Popen(
        [sys.executable, "-m", "application", "serve", "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(port, process)
        yield f"http://127.0.0.1:{port}", seeded, secrets
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(**launch_options())
        yield launched
        launched.close()


def log_in(page: Page, base: str, secret: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Gebruikersnaam").fill("officer")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Code uit de authenticator-app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/home")


@pytest.fixture(scope="module")
def officer(server, browser):
    """A browser context logged in once with password and TOTP (a code works only once)."""
    base, _, secrets = server
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, secrets["officer"])
    page.close()
    yield context
    context.close()


def test_log_in_work_the_queue_reveal_and_decide(server, officer):
    base, seeded, _ = server
    page = officer.new_page()
    page.goto(f"{base}/queue")
    assert "wachten op beoordeling" in page.content()
    page.locator("a.ad-link").first.click()
    page.wait_for_url(f"{base}/ads/{seeded.rotated_ad}")
    page.goto(f"{base}/ads/{seeded.photo_ads[0]}")
    image = page.locator("a.reveal img").first
    assert "blurred" in image.get_attribute("class")
    assert image.get_attribute("src").endswith("?blur=1")
    page.locator("a.reveal").first.click()
    page.wait_for_function("() => document.querySelector('a.reveal img').complete")
    assert "blurred" not in (image.get_attribute("class") or "")
    assert not image.get_attribute("src").endswith("?blur=1")
    assert image.evaluate("img => img.naturalWidth") > 0
    page.get_by_label("Controle voorbereiden").check()
    page.get_by_label("Reden (verplicht)").fill("Zelfde foto als bij de andere advertentie")
    page.get_by_role("button", name="Beslissing vastleggen").click()
    page.wait_for_selector("text=De beslissing is vastgelegd")
    assert "Zelfde foto als bij de andere advertentie" in page.content()
    page.close()


def test_the_xss_ad_runs_no_script(server, officer):
    base, seeded, _ = server
    page = officer.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in (f"/ads/{seeded.xss_ad}", "/queue"):
        page.goto(base + url)
        page.wait_for_load_state("load")
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("[onerror], [onload]").count() == 0
    page.close()


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violations(server, browser, officer):
    if not AXE.is_file():
        missing_prerequisite("axe-core is missing: run `npm ci` first (make test does)")
    base, seeded, _ = server
    # axe is injected as an inline script, which the app's CSP rightly refuses: bypass it here.
    anonymous = browser.new_context(bypass_csp=True)
    page = anonymous.new_page()
    page.goto(f"{base}/login")
    found = {"login": axe_violations(page)}
    anonymous.close()
    context = browser.new_context(bypass_csp=True, storage_state=officer.storage_state())
    page = context.new_page()
    pages = (
        ("queue", "/queue"),
        ("ad", f"/ads/{seeded.photo_ads[0]}"),
        ("network", f"/networks/{seeded.network_id}"),
        ("system", "/system"),
        ("home", "/home"),
        ("grouped queue", "/queue?group=network"),
        ("cases", "/cases"),
        ("search", "/search"),
    )
    for name, url in pages:
        page.goto(base + url)
        found[name] = axe_violations(page)
    context.close()
    assert not any(found.values()), found
