"""Independent tools on the pack's web archive: warcio check and index, wacz validate, and a pywb
replay of the ad page from the pack's WACZ, byte for byte what the server sent."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from evidence_world import World

from adwatch.evidence import export_pack
from adwatch.storage.blobstore import BlobStore
from adwatch.timeutil import as_utc
from tests.evidence.tools import pywb_tool, run, wacz, warcio


@pytest.fixture(scope="module")
def unpacked(world: World, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("replay")
    result = export_pack(world.instance, ad_ids=[world.single], purpose="controle",
                         legal_basis="APV", recipient="AVIM", case_ref="HTN-3",
                         actor=world.officer, out_path=folder / "pack.zip")  # fmt: skip
    with zipfile.ZipFile(result.path) as archive:
        archive.extractall(folder / "pack")
    document = json.loads((folder / "pack" / f"ads/{world.single}/ad.json").read_text())
    return folder / "pack", document


def test_warcio_check_accepts_the_pack_warc_and_the_crawl_warcs(unpacked, world: World) -> None:
    folder, _ = unpacked
    crawl_warcs = sorted(world.instance.settings.warc_dir.rglob("*.warc.gz"))
    for path in [folder / "archive/captures.warc.gz", *crawl_warcs]:
        check = warcio("check", "-v", path)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "digest pass" in check.stdout and "digest fail" not in check.stdout


def test_warcio_index_shows_request_response_pairs(unpacked) -> None:
    folder, document = unpacked
    index = warcio("index", "-f", "warc-type,warc-record-id,warc-concurrent-to,http:status",
                   folder / "archive/captures.warc.gz")  # fmt: skip
    lines = [json.loads(line) for line in index.stdout.splitlines()]
    assert lines[0]["warc-type"] == "warcinfo"
    responses = {line["warc-record-id"] for line in lines if line["warc-type"] == "response"}
    paired = {line["warc-concurrent-to"] for line in lines if line["warc-type"] == "request"}
    assert responses == paired == {c["warc_record_id"] for c in document["captures"]}


def test_wacz_validate_accepts_the_pack_wacz(unpacked) -> None:
    folder, _ = unpacked
    result = wacz("validate", "-f", folder / "archive/captures.wacz")
    assert result.returncode == 0, result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def replay(unpacked, tmp_path_factory: pytest.TempPathFactory):
    """pywb serving the pack's WACZ on 127.0.0.1."""
    folder, _ = unpacked
    root = tmp_path_factory.mktemp("pywb")
    manager = pywb_tool("wb-manager")
    assert run(manager, "init", "pack", cwd=root).returncode == 0
    added = run(manager, "add", "--unpack-wacz", "pack", folder / "archive/captures.wacz", cwd=root)
    assert added.returncode == 0, added.stderr
    port = _free_port()
    server = subprocess.Popen(
        [pywb_tool("wayback"), "-p", str(port), "-b", "127.0.0.1"],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}/pack"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(port: int) -> None:
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("pywb did not start")


def test_pywb_replays_the_ad_page_byte_for_byte(replay, unpacked, world: World) -> None:
    _, document = unpacked
    blobs = BlobStore(world.instance.settings.blob_dir)
    pages = [c for c in document["captures"] if c["kind"] == "ad_page"]
    assert pages
    for page in pages:
        moment = as_utc(_parse(page["fetched_at"])).strftime("%Y%m%d%H%M%S")
        url = f"{replay}/{moment}id_/{page['final_url']}"
        with urllib.request.urlopen(url, timeout=30) as answer:
            assert answer.status == 200
            assert answer.read() == blobs.read(page["hash"])


def _parse(value: str):
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00"))
