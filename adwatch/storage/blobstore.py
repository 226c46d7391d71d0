"""Content-addressed, write-once storage for raw bytes (responses, images, screenshots).

A blob's name is the SHA-256 of its bytes. Bytes are written to a temporary file, flushed to disk,
made read-only and only then linked under their final name, so a crash never leaves a half-written
blob under a final name, and an existing blob is never overwritten. On Linux the temporary file is
unnamed (O_TMPFILE): it has no folder entry to create and remove, and a crash leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import platform
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from adwatch.errors import StorageError

PREFIX = "sha256:"
# Descriptors held open at once while a batch is written: well under the usual limit of 1,024.
UNNAMED_FILES_AT_ONCE = 256


def sha256_of(data: bytes) -> str:
    """The prefixed SHA-256 digest of the bytes."""
    return PREFIX + hashlib.sha256(data).hexdigest()


def _hex(digest: str) -> str:
    if not digest.startswith(PREFIX) or len(digest) != len(PREFIX) + 64:
        raise ValueError(f"not a sha256 digest: {digest!r}")
    hexpart = digest[len(PREFIX) :]
    int(hexpart, 16)
    return hexpart


class BlobStore:
    """Blobs under `<root>/sha256/<2 hex>/<64 hex>`; temporary files under `<root>/tmp`."""

    def __init__(self, root: Path, *, unnamed_files: bool | None = None) -> None:
        """`unnamed_files`: write through O_TMPFILE files (None: where the file system can)."""
        self.root = root
        self.tmp = root / "tmp"
        self._unnamed = unnamed_files
        self._folders: set[Path] = set()

    def path(self, digest: str) -> Path:
        """Where the blob with this digest lives (whether or not it exists)."""
        hexpart = _hex(digest)
        return self.root / "sha256" / hexpart[:2] / hexpart

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their digest."""
        return self.put_many([data])[0]

    def put_many(self, blobs: list[bytes]) -> list[str]:
        """Store several blobs; each is synced to disk before it gets its final name."""
        digests = [sha256_of(data) for data in blobs]
        pending = {d: data for d, data in zip(digests, blobs, strict=True) if not self.exists(d)}
        if not pending:
            return digests
        try:
            self._write_batch(pending)
        except OSError as exc:
            raise StorageError(_describe(exc, self.path(next(iter(pending))))) from exc
        return digests

    def _write_batch(self, pending: dict[str, bytes]) -> None:
        self.tmp.mkdir(parents=True, exist_ok=True)
        if _HAS_SYNCFS and self.unnamed_files_work():
            self._write_unnamed(pending)
        else:
            self._write_named(pending)

    def unnamed_files_work(self) -> bool:
        """Whether this file system makes O_TMPFILE files that /proc can link (asked once)."""
        if self._unnamed is None:
            try:
                os.close(_unnamed_file(self.tmp))
                self._unnamed = Path("/proc/self/fd").is_dir()
            except (OSError, AttributeError):  # EOPNOTSUPP, EISDIR, or no O_TMPFILE here
                self._unnamed = False
        return self._unnamed

    def _write_unnamed(self, pending: dict[str, bytes]) -> None:
        """Each blob into an unnamed file; one syncfs; then each file is linked to its name."""
        items = list(pending.items())
        # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N names an O_TMPFILE file; os.link asks
        # for linkat (not link, which cannot follow /proc's links) when given a src_dir_fd.
        own_descriptors = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
        try:
            for start in range(0, len(items), UNNAMED_FILES_AT_ONCE):
                self._link_unnamed(items[start : start + UNNAMED_FILES_AT_ONCE], own_descriptors)
        finally:
            os.close(own_descriptors)
        _syncfs(self.tmp)  # the new folder entries, before the caller's commit

    def _link_unnamed(self, items: list[tuple[str, bytes]], own_descriptors: int) -> None:
        descriptors: dict[str, int] = {}
        try:
            for digest, data in items:
                descriptors[digest] = _unnamed_file(self.tmp)
                _write_all(descriptors[digest], data)
            _syncfs(self.tmp)  # every file's bytes are on disk before any gets a name
            for digest, fd in descriptors.items():
                self._link_descriptor(fd, self.path(digest), own_descriptors)
        finally:
            for fd in descriptors.values():
                os.close(fd)

    def _link_descriptor(self, fd: int, final: Path, own_descriptors: int) -> None:
        """Name an unnamed file; its folder is made once per store, not per blob (a mkdir per
        blob cost a system call and an exception), and again if it went away meanwhile."""
        if final.parent not in self._folders:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(final.parent)
        try:
            os.link(str(fd), final, src_dir_fd=own_descriptors, follow_symlinks=True)
        except FileExistsError:
            pass
        except FileNotFoundError:  # the folder was removed since it was made
            final.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                os.link(str(fd), final, src_dir_fd=own_descriptors, follow_symlinks=True)

    def _write_named(self, pending: dict[str, bytes]) -> None:
        # Where the kernel can sync the whole file system and report its write errors (Linux
        # 5.8+), one syncfs before linking and one after replace a fsync per file and folder.
        whole_fs = _HAS_SYNCFS
        temporaries: dict[str, str] = {}
        try:
            for digest, data in pending.items():
                temporaries[digest] = self._write_temporary(data, sync=not whole_fs)
            if whole_fs:
                _syncfs(self.tmp)  # every temporary's bytes are on disk before any link
            folders = set()
            for digest, tmp_name in temporaries.items():
                final = self.path(digest)
                final.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(FileExistsError):
                    os.link(tmp_name, final)
                folders.add(final.parent)
            if whole_fs:
                _syncfs(self.tmp)  # the new folder entries, before the caller's commit
            else:
                for folder in folders:
                    _fsync_dir(folder)
        finally:
            for tmp_name in temporaries.values():
                Path(tmp_name).unlink(missing_ok=True)

    def _write_temporary(self, data: bytes, *, sync: bool = True) -> str:
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="part-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                if sync:
                    os.fsync(handle.fileno())
            os.chmod(tmp_name, 0o400)
        except OSError:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return tmp_name

    def read(self, digest: str) -> bytes:
        """The blob's bytes; StorageError if it is missing."""
        try:
            return self.path(digest).read_bytes()
        except FileNotFoundError as exc:
            raise StorageError(f"blob {digest} is missing from {self.root}") from exc

    def verify(self, digest: str) -> bool:
        """True when the blob exists and its bytes still hash to its name."""
        path = self.path(digest)
        return path.is_file() and sha256_of(path.read_bytes()) == digest

    def digests(self) -> Iterator[str]:
        """Every stored blob's digest."""
        for path in (self.root / "sha256").glob("*/*"):
            yield PREFIX + path.name

    def leftover_temporaries(self) -> list[Path]:
        """Temporary files a crash left behind (never under a final name)."""
        return sorted(self.tmp.glob("part-*")) if self.tmp.is_dir() else []


def _syncfs_reports_errors() -> bool:
    """syncfs(2) exists and returns write-back errors (Linux 5.8 and later)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        major, minor = (int(part) for part in platform.release().split(".")[:2])
        ctypes.CDLL(None, use_errno=True).syncfs  # noqa: B018 - present in this libc?
    except (ValueError, OSError, AttributeError):
        return False
    return (major, minor) >= (5, 8)


_HAS_SYNCFS = _syncfs_reports_errors()
_LIBC = ctypes.CDLL(None, use_errno=True) if _HAS_SYNCFS else None


def _syncfs(path: Path) -> None:
    """Flush every dirty page and inode of the file system holding `path`; OSError on failure."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if _LIBC.syncfs(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), str(path))
    finally:
        os.close(fd)


def _unnamed_file(folder: Path) -> int:
    """A writable descriptor of a new, read-only file without a name in `folder`'s file system."""
    return os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o400)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _describe(exc: OSError, final: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"storage is full: could not write {final.name} under {final.parent.parent.parent}"
    return f"could not write blob {final.name}: {exc.strerror or exc}"
