"""Data-subject requests: find, export and erase by phone, ad or image; refusals; the audit."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image as PILImage
from privacy_world import SHARED_PHONE, World, days, picture
from sqlalchemy import select

from adwatch.privacy.subjects import SubjectRefused, erase
from adwatch.storage.models import AdVersion, AuditEvent
from tests.helpers import instance_env, run_cli


@pytest.fixture
def cli_env(world: World) -> dict[str, str]:
    return instance_env(world.instance.settings.data_dir)


def _audit(world: World, action: str) -> list[AuditEvent]:
    with world.instance.db.reading() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _resized(tmp_path: Path, seed: int) -> Path:
    """The picture re-encoded as JPEG at another size: a different file, the same photo."""
    image = PILImage.open(io.BytesIO(picture(seed))).resize((120, 120))
    path = tmp_path / "upload.jpg"
    image.convert("RGB").save(path, "JPEG", quality=80)
    return path


def test_find_by_phone_in_any_notation_lists_both_ads(world: World, cli_env) -> None:
    result = run_cli(cli_env, "subject", "find", "--phone", "06-12 34 56 70", "--actor", "officer1")
    assert result.returncode == 0, result.stderr
    shared = sorted([world.ads["unflagged"], world.ads["flagged_undecided"]])
    assert "2 ad(s) linked" in result.stdout
    assert [int(line.split()[2].rstrip(",")) for line in result.stdout.splitlines()[1:]] == shared
    entry = _audit(world, "subject_find")[0]
    assert entry.object_ids == shared and entry.actor == "officer1"
    assert SHARED_PHONE[3:] not in json.dumps(entry.details) and "0612" not in json.dumps(
        entry.details
    )


def test_find_by_a_reencoded_image_and_by_the_exact_file(world: World, cli_env, tmp_path) -> None:
    similar = run_cli(
        cli_env, "subject", "find", "--image", str(_resized(tmp_path, 1)), "--actor", "o"
    )
    assert similar.returncode == 0, similar.stderr
    assert "2 ad(s) linked" in similar.stdout
    exact = tmp_path / "exact.png"
    exact.write_bytes(picture(4))
    found = run_cli(cli_env, "subject", "find", "--image", str(exact), "--actor", "o")
    assert f"ad id {world.ads['no_signal']}," in found.stdout and "1 ad(s)" in found.stdout


def test_export_holds_the_content_and_the_blob_metadata(world: World, cli_env, tmp_path) -> None:
    out = tmp_path / "inzage.json"
    ad_id = world.ads["monitored"]
    result = run_cli(
        cli_env, "subject", "export", "--ad", str(ad_id), "--actor", "o", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    (ad,) = document["ads"]
    assert ad["ad_id"] == ad_id and "Advertentie 4" in ad["versions"][0]["text"]
    assert ad["notes"][0]["text"] == "gebeld, geen antwoord" and ad["phone_keys"]
    kinds = sorted(blob["kind"] for blob in document["blobs"])
    assert kinds == ["ad_page", "image", "phone_reveal", "screenshot"]
    assert all(blob["hash"].startswith("sha256:") for blob in document["blobs"])
    assert _audit(world, "subject_export")[0].object_ids == [ad_id]


def test_erase_removes_everything_linked(world: World) -> None:
    from adwatch.privacy.subjects import Identifier

    ad_id = world.ads["monitored"]
    report = erase(world.instance, Identifier(kind="ad", ad_id=ad_id), "officer1", days(5))
    assert report.ads == {"erasure": [ad_id]} and report.files.blobs >= 4
    with world.instance.db.reading() as session:
        assert session.scalar(select(AdVersion).where(AdVersion.ad_id == ad_id)) is None
    (entry,) = _audit(world, "subject_erase")
    assert (entry.object_ids, entry.result, entry.actor) == ([ad_id], "ok", "officer1")


@pytest.mark.parametrize(
    ("situation", "why"),
    [
        ("held", "legal hold"),
        ("in_pack", "exported evidence pack"),
        ("forwarded", "forwarded case that is not closed"),
    ],
)
def test_erase_refuses_and_says_why(world: World, cli_env, situation: str, why: str) -> None:
    ad_id = world.ads[situation]
    result = run_cli(cli_env, "subject", "erase", "--ad", str(ad_id), "--actor", "officer1")
    assert result.returncode == 4 and why in result.stderr, result.stderr
    with world.instance.db.reading() as session:
        assert session.scalar(select(AdVersion).where(AdVersion.ad_id == ad_id)) is not None
    (entry,) = _audit(world, "subject_erase")
    assert (entry.object_ids, entry.result) == ([ad_id], "refused")


def test_erase_by_phone_is_refused_when_one_linked_ad_is_held(world: World, cli_env) -> None:
    from adwatch.config.settings import DEMO_SECRET_KEY
    from adwatch.privacy.accountability import add_hold
    from adwatch.privacy.subjects import Identifier
    from scoring.phones import phone_key

    with world.instance.db.writing() as session:
        add_hold(session, "officer1", "zaak", world.ads["unflagged"], None)
    ident = Identifier(kind="phone", phone_key=phone_key(SHARED_PHONE, DEMO_SECRET_KEY))
    with pytest.raises(SubjectRefused, match=f"ad {world.ads['unflagged']} is under a legal hold"):
        erase(world.instance, ident, "officer1", days(5))


def test_an_unknown_identifier_finds_nothing_and_is_still_audited(world: World, cli_env) -> None:
    result = run_cli(cli_env, "subject", "erase", "--ad", "999", "--actor", "officer1")
    assert result.returncode == 0 and "nothing found" in result.stdout
    assert _audit(world, "subject_erase")[0].result == "not_found"


def test_exactly_one_identifier_is_required(cli_env, world: World) -> None:
    result = run_cli(
        cli_env, "subject", "find", "--ad", "1", "--phone", "0612345670", "--actor", "o"
    )
    assert result.returncode == 2 and "exactly one" in result.stderr
