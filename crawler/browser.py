"""Page actions for rendered sources (scrapy-playwright).

Actions that may find nothing (no consent wall, no phone button) are JavaScript that waits a
bounded time and resolves either way, so a missing element never costs a 30-second timeout.
"""

from __future__ import annotations

from typing import Any

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


def click_and_wait(click: str | None, wait_for: str | None) -> PageMethod:
    """Click an element if present, then wait (bounded) for another to show text."""
    return PageMethod("evaluate", CLICK_AND_WAIT_JS, [click, wait_for, WAIT_TIMEOUT_MS])


def screenshot() -> PageMethod:
    """A full-page PNG screenshot; its bytes end up in the method's `result`."""
    return PageMethod("screenshot", full_page=True, type="png")


def settle(recorder: Any) -> PageMethod:
    """Last on an ad page: wait until the recorder has read every response body."""
    return PageMethod(recorder.settle)


def consent_click(selector: str) -> list[PageMethod]:
    """Press the consent button and let the page that follows load."""
    return [PageMethod("click", selector), PageMethod("wait_for_load_state", "load")]
