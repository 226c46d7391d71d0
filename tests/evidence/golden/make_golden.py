"""Make the golden packs of this adwatch version: `python -m tests.evidence.golden.make_golden
[NAME]` (NAME defaults to the version; run it on an older version's source for its packs).

Crawls the demo platform into a throw-away folder, exports one pack for the ad with the fewest
photos, and writes it beside its tampered variants into `tests/evidence/golden/<version>/`, with
`golden.json` saying what `adwatch evidence verify` must answer for each. Packs of every version
stay in the repository: later versions must still verify the valid ones and reject the others.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from inspect import signature
from pathlib import Path

from sqlalchemy import func, select

from adwatch import __version__
from adwatch.config.settings import load_settings
from adwatch.evidence import export_pack
from adwatch.instance import Instance
from adwatch.storage.models import Ad, AdImage, AdVersion, Decision, IndicatorHit, User
from application.demo.server import DemoPlatform
from tests.helpers import instance_env, migrated_database, run_cli

HERE = Path(__file__).parent
Entries = list[tuple[zipfile.ZipInfo, bytes]]


def main(name: str = __version__) -> None:
    """Write this version's golden packs (into golden/<name>)."""
    target = HERE / name
    target.mkdir(parents=True, exist_ok=False)
    with tempfile.TemporaryDirectory(prefix="adwatch-golden-") as folder:
        valid = _export(Path(folder))
        shutil.copyfile(valid, target / "valid.zip")
    digest = _digest_sent_apart(target / "valid.zip")
    expected = {"valid.zip": {"ok": True, "digest": digest}}
    for name, (change, says) in VARIANTS.items():
        _rewrite(target / "valid.zip", target / name, change)
        expected[name] = {"ok": False, "digest": digest, "says": says}
    (target / "golden.json").write_text(json.dumps(expected, indent=2) + "\n")


def _digest_sent_apart(pack: Path) -> str:
    """What the exporting version printed for the recipient: SHA256SUMS's hash (profile 2) or,
    in profile 1, the manifest's."""
    manifest = _read(pack, "manifest.json")
    legacy = json.loads(manifest).get("profile_version") == "1"
    return "sha256:" + hashlib.sha256(manifest if legacy else _read(pack, "SHA256SUMS")).hexdigest()


def _export(folder: Path) -> Path:
    data = folder / "data"
    env = instance_env(data)
    migrated_database(data).dispose()
    platform = DemoPlatform(seed=2026, day=1)
    with platform.serve_in_thread(host="127.0.0.1", port=0) as base_url:
        result = run_cli(env, "crawl", "demo", "--base-url", base_url, "--no-progress")
        assert result.returncode == 0, result.stderr[-2000:]
    instance = Instance(load_settings(env))
    ad_id = _prepare(instance)
    out = folder / "GOLDEN-1_bewijspakket.zip"
    # Older sources know no zaaknummer; the generator also runs on their source.
    extra = {"zaaknummer": "GOLDEN-1"} if "zaaknummer" in signature(export_pack).parameters else {}
    export_pack(instance, ad_ids=[ad_id], purpose="controle", legal_basis="APV art. 3:4",
                recipient="Politie AVIM", case_ref="HTN-GOLDEN", actor="officer1",
                out_path=out, **extra)  # fmt: skip
    return out


def _prepare(instance: Instance) -> int:
    """The ad with the fewest photos, with an officer's decision and one signal."""
    with instance.db.writing() as session:
        photos = func.count(AdImage.image_id)
        query = (
            select(Ad.id).join(AdVersion, AdVersion.ad_id == Ad.id)
            .outerjoin(AdImage, AdImage.ad_version_id == AdVersion.id)
            .group_by(Ad.id).order_by(photos, Ad.id).limit(1)
        )  # fmt: skip
        ad = session.get(Ad, session.scalar(query))
        officer = User(username="officer1", display_name="Test officer1", role="officer")
        session.add(officer)
        session.flush()
        at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        session.add(Decision(ad_id=ad.id, status="controle_voorbereiden", reason="golden",
                             actor_id=officer.id, created_at=at))  # fmt: skip
        version = ad.versions[-1]
        evidence = [{"span": version.text[:20], "start": 0, "end": 20, "linked_ads": [ad.id]}]
        hit = IndicatorHit(ad_id=ad.id, ad_version_id=version.id, code="third_party",
                           weight=2.0, evidence=evidence, rules_version="golden")  # fmt: skip
        session.add(hit)
        return ad.id


def _read(pack: Path, name: str) -> bytes:
    with zipfile.ZipFile(pack) as archive:
        return archive.read(name)


def _entries(pack: Path) -> Entries:
    with zipfile.ZipFile(pack) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def _rewrite(pack: Path, out: Path, change) -> None:
    with zipfile.ZipFile(out, "w") as archive:
        for info, data in change(_entries(pack)):
            archive.writestr(info, data)


def _edit_report_and_its_line(entries: Entries) -> Entries:
    html = b"<p>een ander rapport</p>"
    digest = hashlib.sha256(html).hexdigest()
    out = []
    for info, data in entries:
        if info.filename == "report.html":
            data = html
        elif info.filename == "SHA256SUMS":
            lines = data.decode().splitlines(keepends=True)
            data = "".join(
                f"{digest}  report.html\n" if line.endswith("  report.html\n") else line
                for line in lines
            ).encode()
        out.append((info, data))
    return out


def _duplicate_sums_line(entries: Entries) -> Entries:
    out = []
    for info, data in entries:
        if info.filename == "SHA256SUMS":
            name = data.decode().splitlines()[0].split("  ", 1)[1]
            data += f"{'0' * 64}  {name}\n".encode()
        out.append((info, data))
    return out


def _flip_warc_byte(entries: Entries) -> Entries:
    out = []
    for info, data in entries:
        if info.filename == "archive/captures.warc.gz":
            data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
        out.append((info, data))
    return out


def _drop_member(entries: Entries) -> Entries:
    return [(i, d) for i, d in entries if not i.filename.startswith("ads/")]


VARIANTS = {
    "tampered-report-and-sums-line.zip": (_edit_report_and_its_line, "report.html"),
    "tampered-duplicate-sums-line.zip": (_duplicate_sums_line, "conflicting second line"),
    "tampered-warc-byte.zip": (_flip_warc_byte, "archive/captures.warc.gz"),
    "tampered-missing-member.zip": (_drop_member, "is listed in the manifest but missing"),
}


if __name__ == "__main__":
    main(*sys.argv[1:2])
