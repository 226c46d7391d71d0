"""Configuration: settings, config files, platform sources, scope and municipalities."""
