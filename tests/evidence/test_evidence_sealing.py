"""Keyed chains and seals: a chain recomputed without the key, a cut tail and an edited entry are
all reported by `adwatch custody verify`; seals verify with `openssl ts -verify`."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from evidence_world import NETWORK, populate
from local_tsa import serve_authority
from sqlalchemy import delete, func, select

from adwatch.config.settings import load_settings
from adwatch.evidence import export_pack
from adwatch.instance import Instance
from adwatch.storage.chain import entry_hash
from adwatch.storage.db import Database
from adwatch.storage.models import AuditEvent, CustodyEvent, EvidencePack, Seal
from adwatch.storage.purgegate import purge_gate
from tests.evidence.tools import openssl_ts_verify
from tests.helpers import instance_env, run_cli

KEY = "1 " + "k" * 64 + "\n"


@pytest.fixture(scope="module")
def sealed(crawled_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """A keyed instance with two exports, sealed by a local timestamp authority."""
    root = tmp_path_factory.mktemp("sealed")
    shutil.copytree(crawled_data, root / "data")
    _forget_seals(root / "data")  # as if the crawls had run with the authority configured
    key_file = root / "keys" / "chain.key"  # outside the data folder and its backups
    key_file.parent.mkdir()
    key_file.write_text(KEY)
    with serve_authority() as (url, authority):
        env = {
            **instance_env(root / "data"),
            "ADWATCH_CHAIN_KEY_FILE": str(key_file),
            "ADWATCH_TSA_URL": url,
        }
        instance = Instance(load_settings(env))
        world = populate(env, instance)
        for n, subject in enumerate([{"ad_ids": [world.single]}, {"network_id": NETWORK}]):
            export_pack(instance, purpose=f"controle {n}", legal_basis="APV", recipient="AVIM",
                        case_ref=f"HTN-{n}", actor=world.officer,
                        out_path=root / f"pack-{n}.zip", **subject)  # fmt: skip
        instance.db.dispose()
        result = run_cli(env, "seal")
        assert result.returncode == 0, result.stderr
    pem = root / "tsa.pem"
    pem.write_bytes(authority.cert.public_bytes(serialization.Encoding.PEM))
    return root, env, pem


def _forget_seals(data: Path) -> None:
    shutil.rmtree(data / "seals", ignore_errors=True)
    with closing(sqlite3.connect(data / "adwatch.sqlite3")) as connection:
        connection.execute("DELETE FROM seal")
        connection.commit()


@pytest.fixture
def tampered(sealed, tmp_path: Path):
    """A private copy whose database has lost its append-only triggers, as an attacker's would."""
    root, env, _ = sealed
    shutil.copytree(root / "data", tmp_path / "data")
    database = tmp_path / "data" / "adwatch.sqlite3"
    with closing(sqlite3.connect(database)) as connection:
        names = connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        for (name,) in names.fetchall():
            connection.execute(f'DROP TRIGGER "{name}"')
        connection.commit()
    copy_env = {**env, **instance_env(tmp_path / "data")}
    db = Database(f"sqlite:///{database}")  # no key: the attacker does not have it
    yield copy_env, db
    db.dispose()


def _verify(env: dict[str, str]):
    return run_cli(env, "custody", "verify")


def test_a_keyed_sealed_log_verifies(sealed) -> None:
    _, env, _ = sealed
    result = _verify(env)
    assert result.returncode == 0, result.stderr
    assert "not keyed" not in result.stderr


def test_entries_are_keyed(sealed) -> None:
    _, env, _ = sealed
    db = Database(env["ADWATCH_DATABASE_URL"])
    with db.reading() as session:
        hashes = session.scalars(select(CustodyEvent.entry_hash)).all()
    db.dispose()
    assert hashes and all(h.startswith("hmac1:") for h in hashes)


def test_a_chain_recomputed_without_the_key_is_reported(tampered) -> None:
    env, db = tampered
    with db.writing() as session, purge_gate(session):
        previous = "sha256:" + "0" * 64
        for entry in session.scalars(select(CustodyEvent).order_by(CustodyEvent.seq)):
            if entry.seq == 1:
                entry.purpose = "iets anders"
            entry.prev_hash = previous
            entry.entry_hash = entry_hash(entry)  # a perfect plain chain
            previous = entry.entry_hash
    result = _verify(env)
    assert result.returncode == 1
    assert "not keyed, after keyed entries" in result.stderr or "not the sealed" in result.stderr
    assert "sealed by seal" in result.stderr


def test_a_chain_recomputed_with_a_guessed_key_is_reported(tampered) -> None:
    env, db = tampered
    from adwatch.storage.chain import ChainKeys

    guess = ChainKeys({"1": b"g" * 64}, "1")
    with db.writing() as session, purge_gate(session):
        previous = "sha256:" + "0" * 64
        for entry in session.scalars(select(CustodyEvent).order_by(CustodyEvent.seq)):
            entry.prev_hash = previous
            entry.entry_hash = entry_hash(entry, guess)
            previous = entry.entry_hash
    result = _verify(env)
    assert result.returncode == 1
    assert "entry 1: its content was changed" in result.stderr


def test_a_cut_tail_with_its_pack_and_audit_entries_is_reported(tampered) -> None:
    env, db = tampered
    with db.writing() as session, purge_gate(session):
        last = session.scalar(select(CustodyEvent).order_by(CustodyEvent.seq.desc()).limit(1))
        pack_id = last.details["pack_id"]
        session.execute(delete(CustodyEvent).where(CustodyEvent.seq == last.seq))
        session.execute(delete(EvidencePack).where(EvidencePack.id == pack_id))
        last_export = session.scalar(
            select(func.max(AuditEvent.seq)).where(AuditEvent.action == "evidence_export")
        )
        session.execute(delete(AuditEvent).where(AuditEvent.seq >= last_export))
    result = _verify(env)
    assert result.returncode == 1
    assert "gone (the log was cut)" in result.stderr


def test_an_edited_entry_is_reported(tampered) -> None:
    env, db = tampered
    with db.writing() as session, purge_gate(session):
        entry = session.scalar(select(CustodyEvent).where(CustodyEvent.seq == 1))
        entry.purpose = "iets anders"
    result = _verify(env)
    assert result.returncode == 1
    assert "custody log: entry 1: its content was changed" in result.stderr


def test_an_audit_export_entry_without_its_pack_is_reported(tampered) -> None:
    env, db = tampered
    with db.writing() as session, purge_gate(session):
        session.execute(delete(EvidencePack).where(EvidencePack.id == 1))
    result = _verify(env)
    assert "audit entry" in result.stderr and "which is gone" in result.stderr


def test_seals_verify_with_openssl_and_name_the_warc_digest(sealed) -> None:
    root, env, pem = sealed
    folder = root / "data" / "seals"
    stamped = sorted(folder.glob("*.tsr"))
    assert stamped
    for token in stamped:
        statement = token.with_suffix(".json")
        check = openssl_ts_verify(statement, token, pem)
        assert check.returncode == 0, check.stdout + check.stderr
    warcs = [json.loads(p.read_text()) for p in folder.glob("*-warc.json")]
    assert warcs and all((folder / f"{p.stem}.tsr").exists() for p in folder.glob("*-warc.json"))
    for statement in warcs:
        path = root / "data" / "warc" / statement["file"]
        assert statement["sha256"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    db = Database(env["ADWATCH_DATABASE_URL"])
    with db.reading() as session:
        assert session.scalars(select(Seal).where(Seal.kind == "chains", Seal.token != "")).all()
    db.dispose()
