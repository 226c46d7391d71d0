"""Scrapy settings for adwatch. `crawler.runtime.crawl_settings` adds the instance's own values
(user agent, limits, paths) from `config/adwatch.yaml` and the `ADWATCH_*` environment."""

from crawler.runtime import instance_settings

BOT_NAME = "adwatch"
SPIDER_LOADER_CLASS = "crawler.spiderloader.SourceSpiderLoader"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

ROBOTSTXT_OBEY = True
COOKIES_ENABLED = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
CONCURRENT_REQUESTS = 16
# One item at a time per response: the items here are large and the store batches anyway.
CONCURRENT_ITEMS = 1

# Never keep an HTTP cache or job folder: out-of-scope pages must leave nothing behind.
HTTPCACHE_ENABLED = False
RETRY_ENABLED = True
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 5
DOWNLOAD_MAXSIZE = 5_000_000
DOWNLOAD_WARNSIZE = 2_000_000
DOWNLOAD_TIMEOUT = 20

# Scrapy components adwatch has no use for, each costing time on every request or response:
# it never logs in (HTTP auth), keeps its own counters (downloader stats, depth stats), sends no
# Referer it does not need, copies no meta by accident (a development aid), and its spiders set
# no `allowed_domains` (the offsite filter let everything through; where a request may go is the
# address guard's and the source's business).
# A development aid that reads a generator callback's source (with `ast`) on every call to
# warn about `return value` in it: the bound methods it caches by are gone by the next page.
WARN_ON_GENERATOR_RETURN_VALUE = False
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.QuickMetaRefreshMiddleware": 580,
    "crawler.middlewares.PublicAddressMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.FetchTimeMiddleware": 990,
}
ITEM_PIPELINES = {
    "crawler.pipelines.RequiredFieldsPipeline": 100,
    "crawler.pipelines.ImagePipeline": 200,
    "crawler.pipelines.StorePipeline": 300,
}
DOWNLOAD_HANDLERS = {
    "http": "crawler.isolated_browser.IsolatedPlaywrightHandler",
    "https": "crawler.isolated_browser.IsolatedPlaywrightHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_ABORT_REQUEST = "crawler.runtime.abort_browser_request"

LOG_FORMATTER = "crawler.logformatter.ContentFreeLogFormatter"
LOG_LEVEL = "INFO"
# No listening socket from a crawl (issue 16, finding 6): Scrapy's telnet console and its
# remote-control HTTP server would each open one on this machine.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
    "crawler.logformatter.UrlRedaction": 0,
}

globals().update(instance_settings())
