"""`adwatch audit verify|export`, `adwatch hold add|release` and `adwatch users review`."""

from __future__ import annotations

import hashlib
import json

from privacy_world import World, days
from sqlalchemy import select, update

from adwatch.privacy.purge import purge
from adwatch.storage.chain import GENESIS, append
from adwatch.storage.models import AuditEvent, LegalHold, User
from adwatch.storage.purgegate import purge_gate
from tests.helpers import instance_env, run_cli


def _env(world: World) -> dict[str, str]:
    return instance_env(world.instance.settings.data_dir)


def test_audit_verify_names_the_entry_someone_edited(world: World) -> None:
    purge(world.instance, days(31))
    with world.instance.db.writing() as session:
        for n in range(3):
            append(session, AuditEvent, actor="user:1:officer1", action="view_ad", object_ids=[n])
    assert run_cli(_env(world), "audit", "verify").returncode == 0
    # Someone with direct access to the database file gets past the triggers the same way.
    with world.instance.db.writing() as session, purge_gate(session):
        session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="iemand"))
    result = run_cli(_env(world), "audit", "verify")
    assert result.returncode == 1
    assert "entry 3: its content was changed" in result.stderr


def test_audit_export_lines_verify_independently(world: World, tmp_path) -> None:
    purge(world.instance, days(31))
    with world.instance.db.writing() as session:
        append(session, AuditEvent, actor="user:1:officer1", action="view_queue")
    out = tmp_path / "audit.jsonl"
    result = run_cli(_env(world), "audit", "export", "--since", "2000-01-01", "-o", str(out))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    previous = GENESIS
    for line in lines:
        payload = {k: v for k, v in line.items() if k != "entry_hash"}
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        assert line["entry_hash"] == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
        assert line["prev_hash"] == previous
        previous = line["entry_hash"]
    assert [line["action"] for line in lines] == ["purge", "view_queue"]
    later = run_cli(_env(world), "audit", "export", "--since", "2999-01-01", "-o", str(out))
    assert later.returncode == 0 and out.read_text() == ""


def test_hold_add_keeps_the_ad_and_release_lets_it_go(world: World) -> None:
    ad_id = world.ads["unflagged"]
    added = run_cli(
        _env(world), "hold", "add", "--ad", str(ad_id), "--reason", "zaak 7", "--actor", "o"
    )
    assert added.returncode == 0, added.stderr
    assert ad_id not in purge(world.instance, days(31)).ads.get("unflagged", [])
    with world.instance.db.reading() as session:
        hold_id = session.scalar(select(LegalHold.id).where(LegalHold.ad_id == ad_id))
    released = run_cli(_env(world), "hold", "release", str(hold_id), "--actor", "o")
    assert released.returncode == 0, released.stderr
    assert ad_id in purge(world.instance, days(32)).ads["unflagged"]
    again = run_cli(_env(world), "hold", "release", str(hold_id), "--actor", "o")
    assert again.returncode == 4 and "already released" in again.stderr
    with world.instance.db.reading() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[:1] == ["hold_add"] and "hold_release" in actions


def test_users_review_shows_roles_second_factor_logins_and_rights_changes(world: World) -> None:
    with world.instance.db.writing() as session:
        ready = User(username="admin1", display_name="A", role="admin", totp_secret="S" * 32,
                     password_hash="x", last_login_at=days(2))  # fmt: skip
        pending = User(username="viewer1", display_name="V", role="viewer", totp_secret="S" * 32,
                       setup_token_hash="t")  # fmt: skip
        session.add_all([ready, pending])
        session.flush()
        append(session, AuditEvent, actor="user:1:admin1", action="role_change", object_type="user",
               object_ids=[pending.id], details={"from": "officer", "to": "viewer"})  # fmt: skip
        append(session, AuditEvent, actor="user:1:admin1", action="login", object_type="user",
               object_ids=[ready.id])  # fmt: skip
    result = run_cli(_env(world), "users", "review", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["user"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {"admin1", "viewer1", "officer1"}
    assert (rows["admin1"]["totp"], rows["admin1"]["last_login"]) == (True, "2026-01-07T12:00:00Z")
    assert rows["admin1"]["changes"] == []
    assert rows["viewer1"]["totp"] is False and rows["viewer1"]["last_login"] is None
    (change,) = rows["viewer1"]["changes"]
    assert "role_change by user:1:admin1 (from=officer, to=viewer)" in change
    table = run_cli(_env(world), "users", "review")
    assert "access review" in table.stdout and "viewer1" in table.stdout
