"""The typed errors adwatch raises; the CLI turns each into one clear message and an exit code."""


class AdwatchError(Exception):
    """Base class for every error adwatch reports to a person."""

    exit_code = 1


class ConfigError(AdwatchError):
    """A configuration file or environment variable is wrong; nothing may start."""

    exit_code = 2


class StorageError(AdwatchError):
    """Writing to the database or the blob store failed (disk full, permissions)."""

    exit_code = 3


class ImageRejected(AdwatchError):
    """An image could not be accepted: wrong format, too large, corrupt or a decompression bomb."""
