"""Where Chromium is found, and how it is started here (crawler, UI tests and PDF reports).

Playwright's own download is not available everywhere; Debian's `chromium` package is the
fallback. The flags keep a headless Chromium from reaching out to the network on its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def playwright_own_chromium() -> str | None:
    """The Chromium that `playwright install chromium` downloaded, if it did."""
    cache = Path.home() / ".cache" / "ms-playwright"
    found = sorted(cache.glob("chromium-*/chrome-linux*/chrome"))
    return str(found[-1]) if found else None


def find_chromium(configured: str | None = None) -> str | None:
    """The Chromium to use: configured, Playwright's own, or the system package."""
    if configured:
        return configured
    own = playwright_own_chromium()
    if own:
        return own
    for candidate in SYSTEM_CHROMIUM:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


def launch_options(configured: str | None = None) -> dict:
    """Keyword arguments for Playwright's `chromium.launch`."""
    options: dict = {"headless": True, "args": list(CHROMIUM_ARGS)}
    executable = find_chromium(configured)
    if executable:
        options["executable_path"] = executable
    return options
