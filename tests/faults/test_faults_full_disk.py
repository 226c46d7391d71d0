"""A full disk during a crawl and during an evidence export: the write fails cleanly.

The blob folder (crawl) or the export folder is a small tmpfs. The crawl's batch that no longer
fits is rolled back whole (blobs are written before the transaction), the run is closed with a
`storage_full` alarm, and `adwatch status` says storage is full. An export into a full folder
fails with StorageError and leaves no pack, partial or whole, and no custody entry.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from adwatch.config.settings import load_settings
from adwatch.errors import StorageError
from adwatch.evidence import export_pack
from adwatch.instance import Instance as AdwatchInstance
from adwatch.storage.models import Ad, AdVersion, CustodyEvent, EvidencePack
from tests.crawler.sites import Instance, Site, alarm_kinds, source_config
from tests.faults.faults_helpers import (
    FAST,
    OFFICER,
    add_ads,
    add_review_state,
    capture_blob_problems,
    crawled_instance,
    files_under,
    misnamed_blobs,
    tmpfs,
)
from tests.helpers import run_cli

N_ADS = 250
BATCH = 50
BLOB_TMPFS = "2m"  # room for two or three batches of 50 ads with a 12 KB photo each

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def full_crawl(tmp_path_factory: pytest.TempPathFactory):
    """A crawl whose blob folder fills up part-way; yields the instance and the CLI results."""
    instance = Instance(tmp_path_factory.mktemp("full-disk"))
    site = Site()
    add_ads(site, N_ADS, image_side=64)
    with tmpfs(instance.data_dir / "blobs", BLOB_TMPFS), site.serve() as base_url:
        instance.add_source(source_config("vol", base_url, politeness=FAST))
        crawl = instance.crawl("vol")
        status = run_cli(instance.env, "status")
        yield instance, crawl, status


def test_the_crawl_stops_cleanly_with_a_storage_full_alarm(full_crawl) -> None:
    instance, crawl, _ = full_crawl
    run = instance.runs()[-1]
    print(f"\nfull disk: run {run.id} {run.status}/{run.finish_reason}, stats {run.stats}")
    assert crawl.returncode == 1, crawl.stderr[-2000:]
    assert "Traceback" not in crawl.stderr
    assert (run.status, run.finish_reason) == ("failed", "storage_full")
    assert "storage_full" in alarm_kinds(run)
    assert "storage is full" in next(
        a["message"] for a in run.alarms if a["kind"] == "storage_full"
    )
    assert "storage_full" in crawl.stderr


def test_committed_batches_are_whole_and_the_failed_one_left_no_rows(full_crawl) -> None:
    instance, _, _ = full_crawl
    blobs = AdwatchInstance(load_settings(instance.env)).blobs
    with instance.db.reading() as session:
        ads = session.scalar(select(func.count()).select_from(Ad))
        versions = session.scalar(select(func.count()).select_from(AdVersion))
    checked, bad = capture_blob_problems(instance.db, blobs)
    print(
        f"\nfull disk: {ads} of {N_ADS} ads stored, {checked} capture blobs checked, {len(bad)} bad"
    )
    assert 0 < ads < N_ADS and ads % BATCH == 0, "only whole batches are committed"
    assert versions == ads
    assert bad == [], "a capture row without its blob"
    assert misnamed_blobs(blobs) == []
    assert blobs.leftover_temporaries() == []


def test_status_says_storage_is_full(full_crawl) -> None:
    _, _, status = full_crawl
    print(f"\nadwatch status (exit {status.returncode}):\n{status.stdout}{status.stderr}")
    assert status.returncode == 3
    assert "STORAGE IS FULL" in status.stderr
    assert "STORAGE FULL" in status.stdout and "storage_full" in status.stdout


def test_status_of_a_healthy_instance_exits_zero(tmp_path) -> None:
    instance = Instance(tmp_path)
    result = run_cli(instance.env, "status")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "database revision" in result.stdout and "free space (data" in result.stdout
    assert "leftover temporary blobs: 0" in result.stdout


def test_an_export_into_a_full_folder_fails_cleanly(tmp_path) -> None:
    crawled = crawled_instance(tmp_path / "instance")
    ad_id = add_review_state(crawled.db)
    instance = AdwatchInstance(load_settings(crawled.env))
    target = tmp_path / "out"
    with tmpfs(target, "256k"):
        (target / "filler").write_bytes(b"x" * 224 * 1024)
        with pytest.raises(StorageError, match="storage is full"):
            export_pack(
                instance,
                ad_ids=[ad_id],
                purpose="controle",
                legal_basis="test",
                recipient="politie",
                case_ref="T-1",
                actor=OFFICER,
                out_path=target / "pack.zip",
            )
        left = [name for name in files_under(target) if name != "filler"]
    with instance.db.reading() as session:
        packs = session.scalar(select(func.count()).select_from(EvidencePack))
        custody = session.scalar(select(func.count()).select_from(CustodyEvent))
    print(f"\nexport into 32 KiB free: files left {left}, packs {packs}, custody {custody}")
    assert left == [] and packs == 0 and custody == 0
