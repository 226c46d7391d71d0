"""Recognising block and CAPTCHA pages, which are counted and never stored as ads."""

from __future__ import annotations

from parsel import Selector

from crawler.fields import select_nodes

CHALLENGE_MARKUP = ("g-recaptcha", "h-captcha", "cf-challenge", "cf-turnstile", "captcha-form")
BLOCK_STATUSES = {401, 403, 429, 503}
HEADINGS = "title::text, h1::text"


def is_block_page(status: int, html: str, page: Selector, markers: list[str]) -> bool:
    """True for an access-denied or CAPTCHA page; `html` is the page's text, `page` its tree."""
    if status in BLOCK_STATUSES or any(markup in html for markup in CHALLENGE_MARKUP):
        return True
    if not markers:
        return False
    heading = " ".join(select_nodes(page, HEADINGS)).lower()
    return any(marker.lower() in heading for marker in markers)
