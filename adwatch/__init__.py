"""adwatch core: settings, configuration, database, blob store, logs and the CLI.

The packages `crawler`, `scoring` and `review_ui` import this package and never each other.
"""

__version__ = "0.1.0"
SOFTWARE_NAME = "adwatch"
