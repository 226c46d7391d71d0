"""The Scrapy project: one generic spider driven by `config/sources/*.yaml`, plus subclasses for
platforms that need real logic. Depends on the core package `adwatch` only."""
