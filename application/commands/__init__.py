"""Command implementations that wire the packages together (the CLI layer of the design)."""
