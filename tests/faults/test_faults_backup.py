"""`adwatch backup` and `adwatch restore` into an empty instance, checked end to end.

After the restore the database passes `PRAGMA integrity_check`, every blob matches its hash, the
custody chain verifies and an evidence pack exported from the restored data verifies.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.crawler.sites import Instance
from tests.faults.faults_helpers import OFFICER, add_review_state, crawled_instance
from tests.helpers import run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def restored(tmp_path_factory: pytest.TempPathFactory):
    """A crawled instance with review state, backed up and restored into a fresh one."""
    root = tmp_path_factory.mktemp("backup")
    source = crawled_instance(root / "source")
    ad_id = add_review_state(source.db)
    backup = run_cli(source.env, "backup", "-o", str(root / "backup"))
    target = Instance(root / "target")
    target.db.dispose()
    (target.data_dir / "adwatch.sqlite3").unlink()
    restore = run_cli(target.env, "restore", str(root / "backup"))
    return root, source, target, ad_id, backup, restore


def test_backup_writes_a_manifest_that_sha256sum_accepts(restored) -> None:
    root, _, _, _, backup, _ = restored
    print(f"\nadwatch backup:\n{backup.stdout}")
    assert backup.returncode == 0, backup.stderr
    check = subprocess.run(
        ["sha256sum", "-c", "--quiet", "SHA256SUMS"],
        cwd=root / "backup",
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_checks_integrity_blobs_and_chains(restored) -> None:
    _, _, _, _, _, restore = restored
    print(f"\nadwatch restore:\n{restore.stdout}{restore.stderr}")
    assert restore.returncode == 0, restore.stderr
    assert "integrity check: ok" in restore.stdout
    assert "NOT OK" not in restore.stderr


def test_restored_instance_has_the_same_data_and_verifies(restored) -> None:
    root, source, target, ad_id, _, _ = restored
    assert target.stored_ids() == source.stored_ids()
    custody = run_cli(target.env, "custody", "verify")
    assert custody.returncode == 0, custody.stderr
    pack = root / "pack.zip"
    export = run_cli(
        target.env,
        "evidence",
        "export",
        "--ad",
        str(ad_id),
        "--purpose",
        "controle",
        "--legal-basis",
        "test",
        "--recipient",
        "politie",
        "--case",
        "T-2",
        "--actor",
        OFFICER,
        "-o",
        str(pack),
    )
    assert export.returncode == 0, export.stderr
    verify = run_cli(target.env, "evidence", "verify", str(pack))
    print(f"\npack from restored data: {verify.stdout.splitlines()[0]}")
    assert verify.returncode == 0, verify.stderr


def test_restore_refuses_a_non_empty_instance(restored) -> None:
    root, source, _, _, _, _ = restored
    again = run_cli(source.env, "restore", str(root / "backup"))
    assert again.returncode != 0 and "not empty" in again.stderr


def test_backup_refuses_a_non_empty_folder(restored) -> None:
    root, source, _, _, _, _ = restored
    again = run_cli(source.env, "backup", "-o", str(root / "backup"))
    assert again.returncode != 0 and "not empty" in again.stderr
