"""Everything adwatch writes is private to the user it runs as (issue 16, finding 4).

Folders 0700, files 0600, blobs 0400: the database (password hashes, TOTP secrets, ad text),
logs, WARC files, packs and blobs were readable by every user of the machine. The process
umask makes new files private; `adwatch init` tightens an existing instance, and `adwatch
status` warns about anything still readable by others.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
FOLDER_MODE, FILE_MODE, BLOB_MODE = 0o700, 0o600, 0o400
MAX_REPORTED = 20


def private_umask() -> None:
    """New files and folders of this process are its user's only."""
    os.umask(PRIVATE_UMASK)


def _wanted_mode(path: Path, blob_dir: Path, is_dir: bool) -> int:
    if is_dir:
        return FOLDER_MODE
    is_blob = blob_dir in path.parents and blob_dir / "tmp" not in path.parents
    return BLOB_MODE if is_blob else FILE_MODE


def _walk(data_dir: Path):
    """The data folder and everything under it (symbolic links are not followed)."""
    if not data_dir.exists():
        return
    yield data_dir, True
    for root, folders, files in os.walk(data_dir):
        for name in folders:
            yield Path(root) / name, True
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                yield path, False


def loose_paths(data_dir: Path, blob_dir: Path) -> list[str]:
    """Paths under the data folder that others may read or that are more open than wanted."""
    found = []
    for path, is_dir in _walk(data_dir):
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & ~_wanted_mode(path, blob_dir, is_dir):
            found.append(f"{path} is {mode:04o}")
            if len(found) >= MAX_REPORTED:
                found.append("(and maybe more)")
                break
    return found


def tighten(data_dir: Path, blob_dir: Path) -> int:
    """Give every folder and file under the data folder its private mode; how many changed."""
    changed = 0
    for path, is_dir in _walk(data_dir):
        wanted = _wanted_mode(path, blob_dir, is_dir)
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & ~wanted or (is_dir and mode != wanted):
            path.chmod(wanted if is_dir else mode & wanted)
            changed += 1
    return changed
