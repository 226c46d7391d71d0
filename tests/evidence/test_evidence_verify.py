"""Verifying a pack: intact passes; every kind of tampering fails and names the culprit."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from evidence_world import World

from adwatch.evidence import export_pack
from adwatch.evidence.verify import verify_pack
from tests.helpers import run_cli

Entries = list[tuple[zipfile.ZipInfo, bytes]]


@pytest.fixture(scope="module")
def pack(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("packs") / "pack.zip"
    export_pack(
        world.instance,
        ad_ids=[world.single],
        purpose="controle",
        legal_basis="APV",
        recipient="AVIM",
        case_ref="HTN-1",
        actor=world.officer,
        out_path=out,
    )
    return out


def _entries(pack: Path) -> Entries:
    with zipfile.ZipFile(pack) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def _rewrite(pack: Path, out: Path, change: Callable[[Entries], Entries]) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        for info, data in change(_entries(pack)):
            archive.writestr(info, data)
    return out


def _flip(data: bytes, at: int | None = None) -> bytes:
    at = len(data) // 2 if at is None else at
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _member(pack: Path, prefix: str) -> str:
    return next(info.filename for info, _ in _entries(pack) if info.filename.startswith(prefix))


def _problems(path: Path, **kwargs) -> str:
    report = verify_pack(path, **kwargs)
    assert not report.ok
    return "\n".join(report.problems)


def test_an_intact_pack_verifies(pack: Path) -> None:
    report = verify_pack(pack)
    assert report.ok, report.problems
    assert report.manifest_digest.startswith("sha256:")


@pytest.mark.parametrize(
    "prefix",
    [
        "ads/",
        "archive/captures.warc.gz",
        "archive/captures.wacz",
        "images/original/",
        "images/view/",
        "report.html",
        "report.pdf",
    ],
)
def test_a_flipped_byte_in_any_member_is_named(pack: Path, tmp_path: Path, prefix: str) -> None:
    name = _member(pack, prefix)

    def change(entries: Entries) -> Entries:
        return [(i, _flip(d) if i.filename == name else d) for i, d in entries]

    problems = _problems(_rewrite(pack, tmp_path / "t.zip", change))
    assert f"member {name!r} was changed" in problems


def test_a_flipped_byte_in_the_raw_zip_is_caught(pack: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(pack) as archive:
        info = archive.getinfo("report.pdf")
    raw = bytearray(pack.read_bytes())
    # Past the local header (30 bytes + name + extra) lies the member's stored data.
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    raw[at] ^= 0x01
    damaged = tmp_path / "raw.zip"
    damaged.write_bytes(bytes(raw))
    assert "'report.pdf'" in _problems(damaged)


def test_an_edited_manifest_is_caught(pack: Path, tmp_path: Path) -> None:
    def change(entries: Entries) -> Entries:
        out = []
        for info, data in entries:
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["purpose"] = "iets anders"
                data = json.dumps(manifest, indent=2).encode()
            out.append((info, data))
        return out

    assert "manifest.json was changed" in _problems(_rewrite(pack, tmp_path / "m.zip", change))


def test_a_consistently_rewritten_manifest_is_caught_by_the_expected_digest(
    pack: Path, tmp_path: Path
) -> None:
    expected = verify_pack(pack).pack_digest
    edited = _rewrite(pack, tmp_path / "m.zip", lambda entries: _reseal(entries))
    report = verify_pack(edited)
    assert report.ok, "a fully re-sealed pack is self-consistent; only the digest shows it"
    assert "is not the one that was exported" in _problems(edited, expected_digest=expected)


def _reseal(entries: Entries, **changes: str) -> Entries:
    from adwatch.evidence.manifest import Member, seal, with_sums

    data = {i.filename: d for i, d in entries}
    manifest = json.loads(data["manifest.json"])
    meta = {
        k: v for k, v in manifest.items() if k not in {"resources", "profile", "profile_version"}
    }
    meta.update(changes or {"recipient": "iemand anders"})
    skip = {"manifest.json", "manifest-digest.json", "SHA256SUMS"}
    members = [Member(n, d) for n, d in data.items() if n not in skip]
    sealed, _ = with_sums(seal(members, meta))
    return [(zipfile.ZipInfo(m.path), m.data) for m in sealed]


def test_an_added_member_is_named(pack: Path, tmp_path: Path) -> None:
    def change(entries: Entries) -> Entries:
        return [*entries, (zipfile.ZipInfo("ads/999/ad.json"), b"{}")]

    problems = _problems(_rewrite(pack, tmp_path / "a.zip", change))
    assert "'ads/999/ad.json' is not listed in the manifest" in problems


def test_a_removed_member_is_named(pack: Path, tmp_path: Path) -> None:
    def change(entries: Entries) -> Entries:
        return [(i, d) for i, d in entries if i.filename != "report.pdf"]

    problems = _problems(_rewrite(pack, tmp_path / "r.zip", change))
    assert "'report.pdf' is listed in the manifest but missing" in problems


def test_a_renamed_member_is_named_on_both_sides(pack: Path, tmp_path: Path) -> None:
    def change(entries: Entries) -> Entries:
        out = []
        for info, data in entries:
            if info.filename == "report.html":
                info = zipfile.ZipInfo("rapport.html")
            out.append((info, data))
        return out

    problems = _problems(_rewrite(pack, tmp_path / "n.zip", change))
    assert "'report.html' is listed in the manifest but missing" in problems
    assert "'rapport.html' is not listed" in problems


def test_an_edited_sha256sums_is_caught(pack: Path, tmp_path: Path) -> None:
    def change(entries: Entries) -> Entries:
        return [(i, _flip(d, 3) if i.filename == "SHA256SUMS" else d) for i, d in entries]

    edited = _rewrite(pack, tmp_path / "s.zip", change)
    assert "SHA256SUMS" in _problems(edited)
    digest = verify_pack(pack).pack_digest
    assert "is not the one that was exported" in _problems(edited, expected_digest=digest)


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        (zipfile.ZipInfo("../outside.txt"), "relative path trick"),
        (zipfile.ZipInfo("ads/../../outside.txt"), "relative path trick"),
        (zipfile.ZipInfo("/etc/cron.d/x"), "absolute path"),
        (zipfile.ZipInfo("C:/windows/x"), "absolute path"),
        (zipfile.ZipInfo("ads\\..\\x"), "backslash"),
        (_symlink("images/link"), "symbolic link"),
    ],
)
def test_path_tricks_are_named_and_nothing_is_extracted(
    pack: Path, tmp_path: Path, entry: zipfile.ZipInfo, says: str, monkeypatch
) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    payload = b"/etc/passwd" if says == "symbolic link" else b"x"
    tricked = _rewrite(pack, tmp_path / "p.zip", lambda entries: [*entries, (entry, payload)])
    problems = _problems(tricked)
    assert says in problems and repr(entry.filename) in problems
    assert os.listdir(workdir) == [] and not (tmp_path / "outside.txt").exists()


def test_the_command_exits_non_zero_naming_the_culprit(pack: Path, tmp_path: Path) -> None:
    def change(entries: Entries) -> Entries:
        return [(i, _flip(d) if i.filename == "report.html" else d) for i, d in entries]

    result = run_cli({}, "evidence", "verify", str(_rewrite(pack, tmp_path / "c.zip", change)))
    assert result.returncode == 1
    assert "report.html" in result.stderr and "NOT OK" in result.stderr


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    assert "not a readable zip" in _problems(junk)


def _with_sums_line(entries: Entries, name: str, data: bytes) -> Entries:
    """Replace a member and rewrite its SHA256SUMS line to match (the issue's attack)."""
    digest = hashlib.sha256(data).hexdigest()
    out = []
    for info, old in entries:
        if info.filename == name:
            old = data
        elif info.filename == "SHA256SUMS":
            lines = old.decode().splitlines(keepends=True)
            old = "".join(
                f"{digest}  {name}\n" if line.endswith(f"  {name}\n") else line for line in lines
            ).encode()
        out.append((info, old))
    return out


def test_an_edited_member_with_its_sums_line_rewritten_fails_both_procedures(
    pack: Path, tmp_path: Path
) -> None:
    """`sha256sum -c` passes on such a pack; the pack digest sent apart does not."""
    digest = verify_pack(pack).pack_digest
    edited = _rewrite(
        pack, tmp_path / "e.zip", lambda e: _with_sums_line(e, "report.html", b"<p>anders</p>")
    )
    assert "member 'report.html' was changed" in _problems(edited)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(edited) as archive:
        archive.extractall(folder)
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True)
    assert check.returncode == 0, "the attack fools sha256sum -c alone"
    sums = subprocess.run(["sha256sum", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert "sha256:" + sums.stdout.split()[0] != digest


@pytest.mark.parametrize("second", ["conflicting", "duplicate"])
def test_a_second_sums_line_for_a_member_is_refused(pack: Path, tmp_path: Path, second) -> None:
    def change(entries: Entries) -> Entries:
        out = []
        for info, data in entries:
            if info.filename == "SHA256SUMS":
                first = data.decode().splitlines()[0]
                digest, name = first.split("  ", 1)
                other = digest if second == "duplicate" else "0" * 64
                data += f"{other}  {name}\n".encode()
            out.append((info, data))
        return out

    problems = _problems(_rewrite(pack, tmp_path / "d.zip", change))
    assert f"a {second} second line" in problems


def test_escape_sequences_in_the_manifest_are_not_printed(pack: Path, tmp_path: Path) -> None:
    def change(entries: Entries) -> Entries:
        return _reseal(entries, purpose="\x1b[2J\x1b[1;1Hintact \u202eOK")

    forged = _rewrite(pack, tmp_path / "x.zip", change)
    result = run_cli({}, "evidence", "verify", str(forged))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b[2J" in result.stdout


def test_an_oversized_sha256sums_is_refused_with_bounded_memory(pack: Path, tmp_path) -> None:
    line = ("0" * 64 + "  report.html\n").encode()
    huge = line * (200 * 1024 * 1024 // len(line))  # 200 MB that deflate to a few hundred KB

    def change(entries: Entries) -> Entries:
        return [(i, huge if i.filename == "SHA256SUMS" else d) for i, d in entries]

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in change(_entries(pack)):
            archive.writestr(info.filename, data)
    huge = b""
    assert bomb.stat().st_size < 5_000_000
    tracemalloc.start()
    try:
        problems = _problems(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "SHA256SUMS is larger than" in problems
    assert peak < 64 * 1024 * 1024, f"verify used {peak} bytes"
