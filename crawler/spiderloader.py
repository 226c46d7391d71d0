"""Spider loader: one spider per source YAML, so `scrapy list` and `scrapy crawl NAME` work."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from adwatch.config.sources import SourceConfig, load_sources
from crawler.spiders.platform import PlatformSpider


def spider_class_for(source: SourceConfig) -> type[PlatformSpider]:
    """The source's spider: its own subclass when the YAML names one, else the generic one."""
    base: type[PlatformSpider] = PlatformSpider
    if source.spider:
        module_name, _, class_name = source.spider.rpartition(".")
        base = getattr(import_module(module_name), class_name)
    return base.for_source(source)


class SourceSpiderLoader:
    """Builds the spiders from `ADWATCH_CONFIG_DIR/sources/*.yaml`."""

    def __init__(self, settings: Any) -> None:
        config_dir = Path(settings.get("ADWATCH_CONFIG_DIR", "config"))
        self._sources = load_sources(config_dir / "sources")

    @classmethod
    def from_settings(cls, settings: Any) -> SourceSpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type[PlatformSpider]:
        if spider_name not in self._sources:
            raise KeyError(f"Spider not found: {spider_name}")
        return spider_class_for(self._sources[spider_name])

    def list(self) -> list[str]:
        return sorted(self._sources)

    def find_by_request(self, request: Any) -> list[str]:
        return [name for name, s in self._sources.items() if request.url.startswith(s.base_url)]
