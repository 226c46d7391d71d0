"""Exporting packs from a crawled demo instance: contents, scope, refusals and what is recorded."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from evidence_world import NETWORK, RULES, World
from PIL import Image as PILImage
from pypdf import PdfReader
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from adwatch.evidence import ExportRefused, export_pack, record_download
from adwatch.storage.chain import verify_chain
from adwatch.storage.models import Ad, AuditEvent, CustodyEvent, EvidencePack
from tests.helpers import run_cli

NAME = re.compile(
    r"^(ads/\d+/ad\.json|images/original/[0-9a-f]{64}\.(jpg|png|gif|webp)"
    r"|images/view/[0-9a-f]{64}\.png|screenshots/[0-9a-f]{64}\.png"
    r"|archive/captures\.(warc\.gz|wacz)|report\.(html|pdf)"
    r"|manifest\.json|manifest-digest\.json|SHA256SUMS|SHA256SUMS\.tsr|LEESMIJ\.txt)$"
)
REQUEST = {
    "purpose": "voorbereiding controle",
    "legal_basis": "APV Houten art. 3:4",
    "recipient": "Politie AVIM Midden-Nederland",
    "case_ref": "HTN-2026-007",
}


def _export(world: World, out: Path, **subject) -> object:
    return export_pack(world.instance, actor=world.officer, out_path=out, **REQUEST, **subject)


@pytest.fixture(scope="module")
def single_pack(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack for one ad, exported through the command line."""
    out = tmp_path_factory.mktemp("packs") / "single.zip"
    args = ["evidence", "export", "--ad", str(world.single), "--purpose", REQUEST["purpose"]]
    args += ["--legal-basis", REQUEST["legal_basis"], "--recipient", REQUEST["recipient"]]
    args += ["--case", REQUEST["case_ref"], "--actor", world.officer, "-o", str(out)]
    result = run_cli(world.env, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "sha256:" in result.stdout
    return out


@pytest.fixture(scope="module")
def network_pack(world: World, tmp_path_factory: pytest.TempPathFactory):
    """A pack for the network of three ads, exported through the function the UI calls."""
    out = tmp_path_factory.mktemp("packs") / "network.zip"
    return _export(world, out, network_id=NETWORK)


def _members(pack: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pack) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _warc_records(data: bytes) -> list:
    records = []
    for record in ArchiveIterator(io.BytesIO(data)):
        headers = dict(record.rec_headers.headers)
        records.append((record.rec_type, headers, record.content_stream().read()))
    return records


def test_cli_round_trip_verifies_with_adwatch_and_sha256sum(single_pack: Path, tmp_path) -> None:
    result = run_cli({}, "evidence", "verify", str(single_pack))
    assert result.returncode == 0, result.stderr
    assert "intact" in result.stdout
    with zipfile.ZipFile(single_pack) as archive:
        archive.extractall(tmp_path)
    check = subprocess.run(
        ["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    checked = check.stdout.count(": OK")
    assert checked == len(_members(single_pack)) - 1


def test_member_names_are_generated_from_ids_and_hashes(single_pack: Path) -> None:
    names = list(_members(single_pack))
    assert all(NAME.match(name) for name in names), names
    assert len(names) == len(set(names))


def test_manifest_has_the_datapackage_shape_and_the_request(single_pack: Path, world) -> None:
    members = _members(single_pack)
    manifest = json.loads(members["manifest.json"])
    assert manifest["created"].endswith("Z")
    assert manifest["software"]["name"] == "adwatch" and manifest["software"]["version"]
    assert manifest["purpose"] == REQUEST["purpose"]
    assert manifest["legal_basis"] == REQUEST["legal_basis"]
    assert manifest["recipient"] == REQUEST["recipient"]
    assert manifest["case"] == REQUEST["case_ref"]
    assert manifest["exported_by"]["username"] == world.officer
    listed = {r["path"] for r in manifest["resources"]}
    assert listed == set(members) - {"manifest.json", "manifest-digest.json", "SHA256SUMS"}
    for resource in manifest["resources"]:
        assert resource["hash"].startswith("sha256:") and resource["bytes"] > 0
    digest = json.loads(members["manifest-digest.json"])
    assert digest["hash"].startswith("sha256:")


def test_ad_json_holds_versions_hits_scores_decisions_and_notes(single_pack: Path, world) -> None:
    document = json.loads(_members(single_pack)[f"ads/{world.single}/ad.json"])
    with world.instance.db.reading() as session:
        ad = session.get(Ad, world.single)
        versions = len(ad.versions)
    assert len(document["versions"]) == versions == 2
    assert document["first_seen"] <= document["last_seen"]
    assert "gone_at" in document
    assert document["indicator_hits"][0]["evidence"][0]["linked_ads"] == [world.single]
    assert document["scores"][0]["rules_version"] == RULES
    assert [d["status"] for d in document["decisions"]] == ["controle_voorbereiden"]
    assert document["decisions"][0]["by"] == world.officer
    assert "gebeld" in document["notes"][0]["text"]
    kinds = {c["kind"] for c in document["captures"]}
    assert kinds == {"ad_page", "phone_reveal", "image"}


def test_warc_has_every_capture_and_payloads_match_their_hashes(single_pack, world) -> None:
    members = _members(single_pack)
    document = json.loads(members[f"ads/{world.single}/ad.json"])
    records = _warc_records(members["archive/captures.warc.gz"])
    assert records[0][0] == "warcinfo"
    responses = {h["WARC-Record-ID"]: (h, body) for t, h, body in records if t == "response"}
    requests = {h["WARC-Concurrent-To"]: h for t, h, _ in records if t == "request"}
    assert set(responses) == {c["warc_record_id"] for c in document["captures"]}
    for capture in document["captures"]:
        _, body = responses[capture["warc_record_id"]]
        assert (
            requests[capture["warc_record_id"]]["WARC-Record-ID"]
            == (capture["warc_request_record_id"])
        )
        assert "sha256:" + hashlib.sha256(body).hexdigest() == capture["hash"]
        assert len(body) == capture["bytes"]


def test_pack_warc_records_are_the_crawl_records_byte_for_byte(single_pack, world) -> None:
    packed = _raw_records(_members(single_pack)["archive/captures.warc.gz"])
    crawled: dict[str, bytes] = {}
    for path in (world.instance.settings.warc_dir).rglob("*.warc.gz"):
        crawled.update(_raw_records(path.read_bytes()))
    shared = [rid for rid in packed if rid in crawled]
    assert len(shared) == len(packed) - 1  # all but the pack's own warcinfo
    assert all(packed[rid] == crawled[rid] for rid in shared)


def _raw_records(data: bytes) -> dict[str, bytes]:
    """Each record's uncompressed bytes, by record id."""
    found = {}
    stream = io.BytesIO(data)
    records = ArchiveIterator(stream)
    for record in records:
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        offset = records.get_record_offset()
        records.read_to_end()
        length = records.get_record_length()
        found[record_id] = gzip.decompress(data[offset : offset + length])
    return found


def test_images_are_kept_as_collected_and_as_clean_png_views(single_pack: Path) -> None:
    members = _members(single_pack)
    originals = [n for n in members if n.startswith("images/original/")]
    assert originals
    for name in originals:
        hexpart = name.rsplit("/", 1)[1].split(".")[0]
        assert hashlib.sha256(members[name]).hexdigest() == hexpart
        view = PILImage.open(io.BytesIO(members[f"images/view/{hexpart}.png"]))
        assert view.format == "PNG"
        assert "exif" not in view.info and not view.getexif()


def test_network_pack_contains_exactly_the_member_ads(network_pack, world: World) -> None:
    members = _members(network_pack.path)
    ad_files = {n for n in members if n.startswith("ads/")}
    assert ad_files == {f"ads/{ad_id}/ad.json" for ad_id in world.network_ads}
    assert sorted(network_pack.ad_ids) == sorted(world.network_ads)
    with world.instance.db.reading() as session:
        source_ids = {ad.id: ad.source_ad_id for ad in session.scalars(select(Ad))}
    urls = [
        h.get("WARC-Target-URI", "")
        for t, h, _ in _warc_records(members["archive/captures.warc.gz"])
        if t == "response"
    ]
    mine = {source_ids[ad_id] for ad_id in world.network_ads}
    for url in urls:
        if "/advertentie/" in url or "/api/telefoon/" in url:
            assert url.rsplit("/", 1)[1] in mine, url
    everything = _all_text(members)
    for ad_id, source_ad_id in source_ids.items():
        if ad_id not in world.network_ads:
            assert f"/advertentie/{source_ad_id}".encode() not in everything, ad_id
            assert f"/api/telefoon/{source_ad_id}".encode() not in everything, ad_id


def _all_text(members: dict[str, bytes]) -> bytes:
    chunks = [
        gzip.decompress(data) if name.endswith(".gz") else data for name, data in members.items()
    ]
    with zipfile.ZipFile(io.BytesIO(members["archive/captures.wacz"])) as wacz:
        for name in wacz.namelist():
            data = wacz.read(name)
            chunks.append(gzip.decompress(data) if name.endswith(".gz") else data)
    return b"\n".join(chunks)


def test_network_decision_is_in_every_member_ad(network_pack, world: World) -> None:
    members = _members(network_pack.path)
    for ad_id in world.network_ads:
        decisions = json.loads(members[f"ads/{ad_id}/ad.json"])["decisions"]
        assert [d["status"] for d in decisions] == ["doorzetten"]
        assert decisions[0]["on"] == f"network {NETWORK}"


def test_the_wacz_validates(network_pack, tmp_path: Path) -> None:
    wacz = tmp_path / "captures.wacz"
    wacz.write_bytes(_members(network_pack.path)["archive/captures.wacz"])
    result = subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(wacz)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded" in result.stdout


def test_report_pdf_text_says_signals_and_decisions(network_pack, world: World) -> None:
    reader = PdfReader(io.BytesIO(_members(network_pack.path)["report.pdf"]))
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    assert "geautomatiseerde signalen" in text
    assert REQUEST["case_ref"] in text
    assert "doorgezet naar AVIM / politie" in text
    for ad_id in world.network_ads:
        assert f"Advertentie {ad_id}" in text


def test_report_html_escapes_scraped_and_typed_text(single_pack: Path) -> None:
    html = _members(single_pack)["report.html"].decode("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'lang="nl"' in html and "http" not in html.split("<body>")[0]


def test_each_export_is_recorded_in_pack_custody_and_audit(network_pack, world: World) -> None:
    with world.instance.db.reading() as session:
        pack = session.get(EvidencePack, network_pack.pack_id)
        custody = session.scalar(
            select(CustodyEvent).where(CustodyEvent.manifest_digest == network_pack.manifest_digest)
        )
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence_export"))
        audit_ids = [a.object_ids for a in audit]
        assert verify_chain(session, CustodyEvent).ok and verify_chain(session, AuditEvent).ok
    assert pack.network_id == NETWORK and pack.actor == world.officer
    assert pack.manifest_digest == network_pack.manifest_digest
    assert sorted(pack.ad_ids) == sorted(world.network_ads)
    assert custody.action == "export" and custody.actor == world.officer
    assert custody.purpose == REQUEST["purpose"]
    assert sorted(custody.object_ids) == sorted(world.network_ads)
    assert [network_pack.pack_id] in audit_ids


def _count_packs(world: World) -> int:
    with world.instance.db.reading() as session:
        return len(session.scalars(select(EvidencePack)).all())


@pytest.mark.parametrize("which", ["undecided", "no_signal"])
def test_export_is_refused_without_a_decision_other_than_geen_signaal(
    world: World, tmp_path: Path, which: str
) -> None:
    before, out = _count_packs(world), tmp_path / "refused.zip"
    args = ["evidence", "export", "--ad", str(getattr(world, which)), "--purpose", "p"]
    args += ["--legal-basis", "l", "--recipient", "r", "--case", "c", "--actor", world.officer]
    result = run_cli(world.env, *args, "-o", str(out))
    assert result.returncode != 0
    assert "geen_signaal" in result.stderr
    assert not out.exists() and _count_packs(world) == before


def test_only_an_officer_may_export(world: World, tmp_path: Path) -> None:
    with pytest.raises(ExportRefused, match="only officers"):
        export_pack(
            world.instance,
            ad_ids=[world.single],
            actor=world.viewer,
            out_path=tmp_path / "x.zip",
            **REQUEST,
        )


def test_an_existing_pack_is_never_overwritten(single_pack: Path, world: World) -> None:
    before = single_pack.read_bytes()
    with pytest.raises(ExportRefused, match="never overwritten"):
        _export(world, single_pack, ad_ids=[world.single])
    assert single_pack.read_bytes() == before


def test_a_download_is_recorded_in_custody_and_audit(network_pack, world: World) -> None:
    seq = record_download(world.instance, network_pack.pack_id, world.officer, origin="test")
    with world.instance.db.reading() as session:
        entry = session.scalar(select(CustodyEvent).where(CustodyEvent.seq == seq))
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence_download"))
        assert [a.object_ids for a in audit] == [[network_pack.pack_id]]
        assert verify_chain(session, CustodyEvent).ok
    assert entry.action == "download" and entry.manifest_digest == network_pack.manifest_digest
