"""The write-once, content-addressed blob store."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from adwatch.errors import StorageError
from adwatch.storage.blobstore import BlobStore, sha256_of
from tests.helpers import missing_prerequisite

WAYS = ["unnamed files", "named temporaries"]


@pytest.fixture(params=WAYS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    """The store, writing either way: Linux's O_TMPFILE files, or named temporary files."""
    if request.param == "named temporaries":
        return BlobStore(tmp_path, unnamed_files=False)
    store = BlobStore(tmp_path)
    store.tmp.mkdir(parents=True)
    if not store.unnamed_files_work():
        missing_prerequisite(f"no O_TMPFILE files on the file system of {tmp_path}")
    return store


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_put_names_a_blob_by_its_hash_and_reads_it_back(store: BlobStore) -> None:
    digest = store.put(b"synthetic page")
    assert digest == sha256_of(b"synthetic page")
    assert digest.startswith("sha256:") and len(digest) == 71
    assert store.read(digest) == b"synthetic page"
    assert store.verify(digest)


def test_blobs_are_read_only_and_never_overwritten(store: BlobStore) -> None:
    digest = store.put(b"first")
    path = store.path(digest)
    inode = path.stat().st_ino
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert store.put(b"first") == digest
    assert path.stat().st_ino == inode


def test_put_many_matches_put_and_leaves_no_temporaries(store: BlobStore) -> None:
    blobs = [b"a", b"b", b"a", b"c" * 10000]
    digests = store.put_many(blobs)
    assert digests == [sha256_of(b) for b in blobs]
    assert all(store.verify(d) for d in digests)
    assert store.leftover_temporaries() == []
    assert list(store.tmp.iterdir()) == []
    assert sorted(store.digests()) == sorted(set(digests))


def test_a_batch_larger_than_the_open_file_budget_is_stored_whole(store: BlobStore) -> None:
    before = _open_descriptors()
    blobs = [f"synthetic blob {i}".encode() for i in range(600)]
    digests = store.put_many(blobs)
    assert all(store.read(d) == b for d, b in zip(digests, blobs, strict=True))
    assert _open_descriptors() == before


def _same_folder_pair() -> tuple[bytes, bytes]:
    """Two synthetic blobs whose digests share their first two hex digits (their folder)."""
    seen: dict[str, bytes] = {}
    for i in range(1000):
        data = f"synthetic blob {i}".encode()
        folder = sha256_of(data)[7:9]
        if folder in seen:
            return seen[folder], data
        seen[folder] = data
    raise AssertionError("no pair among 1000 blobs")


def test_a_blob_folder_removed_between_batches_is_made_again(store: BlobStore) -> None:
    # The store remembers the folders it made; one removed meanwhile (a purge) must not fail.
    first, second = _same_folder_pair()
    digest = store.put(first)
    folder = store.path(digest).parent
    os.chmod(store.path(digest), 0o600)
    store.path(digest).unlink()
    folder.rmdir()
    assert store.read(store.put(second)) == second
    assert store.put(first) == digest and store.verify(digest)


def test_a_tampered_blob_fails_verification(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put(b"original")
    path = store.path(digest)
    os.chmod(path, 0o644)
    path.write_bytes(b"0riginal")
    assert not store.verify(digest)


def test_a_full_disk_is_a_storage_error_and_leaves_nothing(store: BlobStore, monkeypatch) -> None:
    before = _open_descriptors()

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", no_space)
    with pytest.raises(StorageError, match="storage is full"):
        store.put_many([b"never stored"])
    assert not store.exists(sha256_of(b"never stored"))
    assert store.leftover_temporaries() == []
    assert _open_descriptors() == before


def test_reading_a_missing_blob_names_it(tmp_path: Path) -> None:
    digest = sha256_of(b"absent")
    with pytest.raises(StorageError, match=digest):
        BlobStore(tmp_path).read(digest)


@pytest.mark.parametrize("bad", ["md5:abc", "sha256:xyz", "sha256:" + "0" * 63, "../etc/passwd"])
def test_malformed_digests_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        BlobStore(tmp_path).path(bad)
