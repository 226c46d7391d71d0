"""`python -m application` is the `adwatch` command (scheduler and tests start it this way)."""

from application.cli import main

main()
