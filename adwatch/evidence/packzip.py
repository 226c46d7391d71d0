"""Writing the pack's members to a zip file: regular files only, fixed times, safe names.

Runs last in an export, after the manifest. Already-compressed members are stored, the rest are
deflated; every entry is a plain file with mode 0644, so unzipping makes nothing executable or
linked.
"""

from __future__ import annotations

import errno
import os
import zipfile
from datetime import datetime
from pathlib import Path

from adwatch.errors import StorageError
from adwatch.evidence.manifest import Member

STORED_SUFFIXES = (".gz", ".wacz", ".png", ".jpg", ".gif", ".webp", ".pdf", ".tsr")
FILE_MODE = 0o100644


def _info(member: Member, when: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(member.path, date_time=when.timetuple()[:6])
    stored = member.path.endswith(STORED_SUFFIXES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = FILE_MODE << 16
    return info


def write_zip(path: Path, members: list[Member], when: datetime) -> None:
    """Write the members to a new zip at path, synced to disk; nothing is left if that fails."""
    try:
        with open(path, "xb") as handle:
            with zipfile.ZipFile(handle, "w") as archive:
                for member in members:
                    archive.writestr(_info(member, when), member.data)
            handle.flush()
            os.fsync(handle.fileno())
    except FileExistsError:
        raise
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise StorageError(_describe(exc, path)) from exc


def _describe(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"storage is full: the pack could not be written to {path.parent}"
    return f"the pack could not be written to {path}: {exc.strerror or exc}"
