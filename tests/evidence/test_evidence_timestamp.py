"""The optional RFC 3161 timestamp of the pack digest, from a local authority on 127.0.0.1."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from evidence_world import World
from local_tsa import Authority, serve_authority
from sqlalchemy import select

from adwatch.evidence import export_pack
from adwatch.evidence.timestamp import TimestampError
from adwatch.evidence.verify import verify_pack
from adwatch.storage.models import EvidencePack
from tests.evidence.tools import openssl_ts_verify
from tests.helpers import run_cli

REQUEST = {"purpose": "controle", "legal_basis": "APV", "recipient": "AVIM", "case_ref": "T-1"}


def _pem(authority: Authority) -> bytes:
    return authority.cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def stamped(world: World, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("stamped") / "pack.zip"
    with serve_authority() as (url, authority):
        result = export_pack(world.instance, ad_ids=[world.single], actor=world.officer,
                             out_path=out, tsa_url=url, **REQUEST)  # fmt: skip
    return result, authority


def test_the_pack_carries_a_token_that_verifies_against_the_authority(stamped, tmp_path) -> None:
    result, authority = stamped
    assert result.timestamped and "SHA256SUMS.tsr" in result.members
    report = verify_pack(result.path, tsa_certificate=_pem(authority))
    assert report.ok, report.problems
    assert report.timestamp
    cert = tmp_path / "tsa.pem"
    cert.write_bytes(_pem(authority))
    cli = run_cli({}, "evidence", "verify", str(result.path), "--tsa-cert", str(cert))
    assert cli.returncode == 0, cli.stderr
    assert "timestamped at" in cli.stdout


def test_openssl_ts_verify_accepts_the_token(stamped, tmp_path) -> None:
    """An independent tool: `openssl ts -verify` over SHA256SUMS, as LEESMIJ.txt says."""
    result, authority = stamped
    with zipfile.ZipFile(result.path) as archive:
        archive.extractall(tmp_path / "pack")
    cert = tmp_path / "tsa.pem"
    cert.write_bytes(_pem(authority))
    folder = tmp_path / "pack"
    check = openssl_ts_verify(folder / "SHA256SUMS", folder / "SHA256SUMS.tsr", cert)
    assert check.returncode == 0 and "Verification: OK" in check.stdout, check.stderr
    (folder / "SHA256SUMS").write_bytes(b"0" * 64 + b"  report.pdf\n")
    tampered = openssl_ts_verify(folder / "SHA256SUMS", folder / "SHA256SUMS.tsr", cert)
    assert tampered.returncode != 0


def test_the_token_is_kept_with_the_pack_record(stamped, world: World) -> None:
    result, _ = stamped
    with world.instance.db.reading() as session:
        pack = session.scalar(select(EvidencePack).where(EvidencePack.id == result.pack_id))
    assert pack.timestamp_token


def test_another_authority_does_not_verify(stamped) -> None:
    result, _ = stamped
    report = verify_pack(result.path, tsa_certificate=_pem(Authority()))
    assert any("not signed by the given timestamp authority" in p for p in report.problems)


def test_a_token_of_another_pack_is_caught(stamped, world: World, tmp_path: Path) -> None:
    result, _ = stamped
    other = tmp_path / "other.zip"
    with serve_authority() as (url, _authority):
        export_pack(world.instance, ad_ids=[world.single], actor=world.officer,
                    out_path=other, tsa_url=url, **REQUEST)  # fmt: skip
    swapped = tmp_path / "swapped.zip"
    with (
        zipfile.ZipFile(result.path) as src,
        zipfile.ZipFile(other) as donor,
        zipfile.ZipFile(swapped, "w") as out,
    ):
        for info in src.infolist():
            name = info.filename
            out.writestr(info, (donor if name.endswith(".tsr") else src).read(name))
    problems = "\n".join(verify_pack(swapped).problems)
    assert "not of this digest" in problems


def test_an_unreachable_authority_leaves_no_pack_and_no_record(world: World, tmp_path) -> None:
    out = tmp_path / "never.zip"
    with world.instance.db.reading() as session:
        before = len(session.scalars(select(EvidencePack)).all())
    with pytest.raises(TimestampError):
        export_pack(world.instance, ad_ids=[world.single], actor=world.officer, out_path=out,
                    tsa_url="http://127.0.0.1:9/tsa", **REQUEST)  # fmt: skip
    assert not out.exists() and not list(tmp_path.iterdir())
    with world.instance.db.reading() as session:
        assert len(session.scalars(select(EvidencePack)).all()) == before
