"""Casework the UI and the CLI share: news, digest, phone search, networks, opinions."""
