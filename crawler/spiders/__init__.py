"""Spiders: `PlatformSpider` reads any platform described in YAML; subclasses add logic."""
