"""Issue 16, finding 4: everything adwatch writes was readable by other users of the machine
(data folder, database with argon2 hashes and plain TOTP secrets, logs, WARCs, packs at 0644,
blobs at 0444). Now new files are private, `adwatch status` warns about an older instance and
`adwatch init` tightens it and encrypts its TOTP secrets."""

from __future__ import annotations

import stat
from pathlib import Path

import pyotp
from sqlalchemy import select

from adwatch.access.accounts import create_user, totp_secret_of, verify_totp
from adwatch.access.secretbox import totp_key
from adwatch.config.settings import DEMO_SECRET_KEY
from adwatch.storage.blobstore import BlobStore
from adwatch.storage.models import User
from tests.crawler.sites import Instance, Site, ad_html, listing_html, png_bytes, source_config
from tests.helpers import instance_env, migrated_database, run_cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _loosen(data_dir: Path) -> None:
    """Give an instance the modes an older adwatch (umask 022) left behind."""
    for path in [data_dir, *data_dir.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
        elif "blobs" in path.parts:
            path.chmod(0o444)
        else:
            path.chmod(0o644)


def test_status_warns_and_init_tightens_an_older_instance(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    db = migrated_database(data_dir)
    BlobStore(data_dir / "blobs").put(b"synthetische bytes")
    with db.writing() as session:
        create_user(session, "oud", "officer", "wachtwoord-van-vijftien")  # plain secret
    db.dispose()
    (data_dir / "logs").mkdir()
    (data_dir / "logs" / "crawl.log").write_text("regel\n")
    _loosen(data_dir)
    env = instance_env(data_dir)

    status = run_cli(env, "status")
    assert "readable by others" in status.stdout and "crawl.log is 0644" in status.stdout

    assert run_cli(env, "init").returncode == 0
    for path in [data_dir, *data_dir.rglob("*")]:
        assert _mode(path) & 0o077 == 0, (path, oct(_mode(path)))
    blobs = [p for p in (data_dir / "blobs" / "sha256").rglob("*") if p.is_file()]
    assert blobs and all(_mode(p) == 0o400 for p in blobs)
    assert "readable by others" not in run_cli(env, "status").stdout

    with db.reading() as session:
        user = session.scalar(select(User).where(User.username == "oud"))
        session.expunge(user)
    key = totp_key(DEMO_SECRET_KEY)
    assert user.totp_secret.startswith("fernet1:")
    assert verify_totp(user, pyotp.TOTP(totp_secret_of(user, key)).now(), key=key)


def test_a_crawl_writes_only_private_files(tmp_path: Path) -> None:
    instance = Instance(tmp_path)
    site = Site()
    site.add("/regio/houten", listing_html(["/advertentie/1"]))
    site.add("/advertentie/1", ad_html("Titel", "Nieuw in Houten.", images=("/img/1.png",)))
    site.add("/img/1.png", png_bytes(), Content_Type="image/png")
    before = {p for p in instance.data_dir.rglob("*")}
    with site.serve() as base_url:
        instance.add_source(source_config("prive", base_url))
        result = instance.crawl("prive")
    assert result.returncode == 0, result.stderr[-2000:]
    assert instance.stored_ids() == {"1"}
    written = [p for p in instance.data_dir.rglob("*") if p not in before]
    kinds = {p.parent.name if p.is_file() else "dir" for p in written}
    assert {"logs", "dir"} <= kinds and any(p.suffix == ".gz" for p in written), written
    loose = [(str(p), oct(_mode(p))) for p in written if _mode(p) & 0o077]
    assert loose == []
    blob_dir = instance.data_dir / "blobs" / "sha256"
    blob_files = [p for p in written if p.is_file() and blob_dir in p.parents]
    assert blob_files and all(_mode(p) == 0o400 for p in blob_files)


def test_init_re_encrypts_totp_secrets_after_a_key_rotation(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    db = migrated_database(data_dir)
    old, new = "oude-sleutel-" + "a" * 40, "nieuwe-sleutel-" + "b" * 40
    with db.writing() as session:
        user, _ = create_user(
            session, "roteer", "officer", "wachtwoord-van-vijftien", key=totp_key(old)
        )
        plain = totp_secret_of(user, totp_key(old))
    env = {**instance_env(data_dir), "ADWATCH_SECRET_KEY": new, "ADWATCH_PREVIOUS_SECRET_KEY": old}
    result = run_cli(env, "init")
    assert result.returncode == 0 and "encrypted 1 TOTP secrets" in result.stdout, result.stderr
    with db.reading() as session:
        stored = session.scalar(select(User).where(User.username == "roteer"))
        assert totp_secret_of(stored, totp_key(new)) == plain
