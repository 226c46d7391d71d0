"""`python -m adwatch` is the `adwatch` command."""

from application.cli import main

main()
