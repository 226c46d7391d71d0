"""Screenshots of the review UI for docs/: `.venv/bin/python -m tests.ui.screenshots`.

Builds the seeded test world, serves it with `adwatch serve` and photographs the pages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from adwatch.chromium import launch_options
from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.storage.migrate import upgrade
from tests.helpers import REPO, instance_env
from tests.ui.test_ui_browser import free_port, log_in, wait_for
from tests.ui.uidata import add_user, build

OUT = REPO / "docs" / "screenshots"


def main() -> None:
    """Write login, queue, ad and network screenshots."""
    OUT.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp()) / "data"
    instance = Instance(load_settings(instance_env(data_dir)))
    upgrade(instance.db)
    seeded = build(instance.db, instance.blobs)
    secret = add_user(instance.db, "officer", "officer")
    instance.db.dispose()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADWATCH_")}
    env.update(instance_env(data_dir))
    command = [sys.executable, "-m", "application", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=REPO, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(port, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/login")
            page.screenshot(path=OUT / "login.png", full_page=True)
            log_in(page, base, secret)
            shots = {
                "queue": "/queue",
                "ad": f"/ads/{seeded.photo_ads[0]}",
                "ad-rotated": f"/ads/{seeded.rotated_ad}",
                "network": f"/networks/{seeded.network_id}",
                "system": "/system",
            }
            for name, url in shots.items():
                page.goto(base + url)
                page.screenshot(path=OUT / f"{name}.png", full_page=True)
            _new_pages(page, base, seeded)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"screenshots in {OUT}")


def _new_pages(page, base: str, seeded) -> None:
    """Home, grouped queue, search results, a case worked to feedback, the case overview."""
    for name, url in (("home", "/home"), ("queue-grouped", "/queue?group=network")):
        page.goto(base + url)
        page.screenshot(path=OUT / f"{name}.png", full_page=True)
    page.get_by_label("Zoek op telefoonnummer, naam, woorden, advertentienummer of URL").fill(
        "heren"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/search")
    page.screenshot(path=OUT / "search.png", full_page=True)
    page.goto(f"{base}/networks/{seeded.network_id}")
    page.get_by_label("Titel van de nieuwe zaak").fill("Drie profielen, één nummer")
    page.get_by_role("button", name="Zaak openen").click()
    page.wait_for_selector("text=De zaak is geopend")
    events = (
        ("overleg", ("AVIM / politie", "RIEC"), "2026-03-02", "Casusoverleg"),
        ("doorzetting", ("AVIM / politie",), "2026-03-04", ""),
        ("opvolging", (), "2026-04-01", ""),
    )
    for kind, partners, when, text in events:
        page.get_by_label("Wat is er gebeurd").select_option(kind)
        page.get_by_label("Datum").fill(when)
        for partner in partners:
            page.get_by_label(partner).check()
        page.get_by_label("Toelichting").fill(text)
        page.get_by_role("button", name="Vastleggen").click()
        page.wait_for_selector("text=Vastgelegd in de zaak")
    page.screenshot(path=OUT / "case.png", full_page=True)
    page.goto(f"{base}/cases")
    page.screenshot(path=OUT / "cases.png", full_page=True)
    page.goto(f"{base}/networks/{seeded.network_id}")
    page.screenshot(path=OUT / "network-graph.png", full_page=True)


if __name__ == "__main__":
    main()
