"""Recognising block and CAPTCHA pages, which are counted and never stored as ads."""

from __future__ import annotations

from parsel import Selector

CHALLENGE_MARKUP = ("g-recaptcha", "h-captcha", "cf-challenge", "cf-turnstile", "captcha-form")
BLOCK_STATUSES = {401, 403, 429, 503}


def is_block_page(status: int, page: Selector, markers: list[str]) -> bool:
    """True for an access-denied or CAPTCHA page."""
    html = page.get() or ""
    if any(markup in html for markup in CHALLENGE_MARKUP):
        return True
    heading = " ".join(page.css("title::text, h1::text").getall()).lower()
    if status in BLOCK_STATUSES:
        return True
    return any(marker.lower() in heading for marker in markers)
