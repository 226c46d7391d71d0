"""Log lines without ad content: Scrapy's defaults print whole items when they are dropped or
scraped, which would put an ad's text in the logs."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import logformatter


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
