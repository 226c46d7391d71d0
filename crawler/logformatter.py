"""Log lines without ad content: Scrapy's defaults print whole items when they are dropped or
scraped, which would put an ad's text in the logs."""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy import logformatter, signals


class ContentFreeLogFormatter(logformatter.LogFormatter):
    """Scraped and dropped items are logged by reason and URL only."""

    def scraped(self, item: Any, response: Any, spider: Any) -> dict:
        return {
            "level": logging.DEBUG,
            "msg": "Stored ad from %(url)s",
            "args": {"url": getattr(response, "url", "")},
        }

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> dict:
        return {
            "level": logging.INFO,
            "msg": "Dropped ad from %(url)s: %(reason)s",
            "args": {"url": getattr(response, "url", ""), "reason": str(exception)},
        }

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any):
        return {
            "level": logging.ERROR,
            "msg": "Error processing ad from %(url)s",
            "args": {"url": getattr(response, "url", "")},
        }


# An out-of-scope ad must leave no trace (issue 16, finding 6), but Scrapy's own messages (retry,
# size and download warnings) name the URLs they are about, before scope is known. Every log
# line and alarm keeps only a URL's scheme and host.
URL = re.compile(r"\b(https?|wss?)://([^/\s<>\"'?#]+)[^\s<>\"']*", re.IGNORECASE)


def redact_urls(text: str) -> str:
    """The text with each URL cut to `scheme://host/…`."""
    return URL.sub(lambda m: f"{m.group(1)}://{m.group(2)}/…", text)


class UrlRedactingFilter(logging.Filter):
    """A handler filter that rewrites each record's message (and traceback) without URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = redact_urls(text), None
        redacted = redact_urls(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install_url_redaction() -> None:
    """Put the filter on every handler of the root logger (where Scrapy's handler lives)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, UrlRedactingFilter) for f in handler.filters):
            handler.addFilter(UrlRedactingFilter())


class UrlRedaction:
    """A Scrapy extension: installs the filter on Scrapy's log handler, which the crawler
    replaces after building its extensions, so again when the spider opens."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> UrlRedaction:
        install_url_redaction()
        crawler.signals.connect(install_url_redaction, signal=signals.spider_opened)
        return cls()
