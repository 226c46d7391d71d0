"""Golden packs: packs exported by earlier adwatch versions (tests/evidence/golden/<version>/),
valid and tampered. Every later version must verify the valid ones and reject the others, and
say why. New versions add theirs with `python -m tests.evidence.golden.make_golden`."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from adwatch.evidence.verify import verify_pack
from tests.helpers import run_cli

GOLDEN = Path(__file__).parent / "golden"
CASES = [
    (folder.name, name, expected)
    for folder in sorted(p for p in GOLDEN.iterdir() if p.is_dir() and p.name[0].isdigit())
    for name, expected in json.loads((folder / "golden.json").read_text()).items()
]


def test_there_are_golden_packs() -> None:
    assert any(expected["ok"] for _, _, expected in CASES)
    assert any(not expected["ok"] for _, _, expected in CASES)


@pytest.mark.parametrize(("version", "name", "expected"), CASES)
def test_a_golden_pack_verifies_as_recorded(version: str, name: str, expected: dict) -> None:
    report = verify_pack(GOLDEN / version / name, expected_digest=expected["digest"])
    assert report.ok == expected["ok"], report.problems
    if not expected["ok"]:
        assert expected["says"] in "\n".join(report.problems)


@pytest.mark.parametrize("version", sorted({v for v, _, e in CASES if e["ok"]}))
def test_a_valid_golden_pack_passes_the_standard_tools_procedure(version: str) -> None:
    pack = GOLDEN / version / "valid.zip"
    digest = json.loads((GOLDEN / version / "golden.json").read_text())["valid.zip"]["digest"]
    with zipfile.ZipFile(pack) as archive:
        sums = archive.read("SHA256SUMS")
        for line in sums.decode().splitlines():
            hexdigest, name = line.split("  ", 1)
            assert hashlib.sha256(archive.read(name)).hexdigest() == hexdigest, name
        manifest = archive.read("manifest.json")
    # Profile 1 sent the manifest's hash apart; profile 2 sends SHA256SUMS's.
    legacy = json.loads(manifest).get("profile_version") == "1"
    assert "sha256:" + hashlib.sha256(manifest if legacy else sums).hexdigest() == digest
    result = run_cli({}, "evidence", "verify", str(pack), "--digest", digest)
    assert result.returncode == 0, result.stderr
