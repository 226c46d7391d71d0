"""Page actions for rendered sources (scrapy-playwright), and where Chromium is found.

Actions that may find nothing (no consent wall, no phone button) are JavaScript that waits a
bounded time and resolves either way, so a missing element never costs a 30-second timeout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from scrapy_playwright.page import PageMethod

CLICK_AND_WAIT_JS = """
async ([click, waitFor, timeoutMs]) => {
  const button = click ? document.querySelector(click) : null;
  if (button) button.click();
  if (!waitFor) return Boolean(button);
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const el = document.querySelector(waitFor);
    if (el && !el.hidden && el.textContent.trim()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
"""
WAIT_TIMEOUT_MS = 5000
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


def click_and_wait(click: str | None, wait_for: str | None) -> PageMethod:
    """Click an element if present, then wait (bounded) for another to show text."""
    return PageMethod("evaluate", CLICK_AND_WAIT_JS, [click, wait_for, WAIT_TIMEOUT_MS])


def screenshot() -> PageMethod:
    """A full-page PNG screenshot; its bytes end up in the method's `result`."""
    return PageMethod("screenshot", full_page=True, type="png")


def consent_click(selector: str) -> list[PageMethod]:
    """Press the consent button and let the page that follows load."""
    return [PageMethod("click", selector), PageMethod("wait_for_load_state", "load")]


def playwright_own_chromium() -> str | None:
    """The Chromium that `playwright install chromium` downloaded, if it did."""
    cache = Path.home() / ".cache" / "ms-playwright"
    found = sorted(cache.glob("chromium-*/chrome-linux*/chrome"))
    return str(found[-1]) if found else None


def find_chromium(configured: str | None) -> str | None:
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
