"""The top floor: the `adwatch` command line, its commands and the demo platform."""
