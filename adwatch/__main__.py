"""`python -m adwatch` is the `adwatch` command."""

from adwatch.cli import main

main()
