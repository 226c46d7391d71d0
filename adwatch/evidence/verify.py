"""Checking a pack: every member against the manifest, the manifest against its digest.

Reads the zip where it is and hashes each member as it streams out of it; nothing is extracted
to disk. Order: member names (path tricks, links, duplicates) → manifest and its digest → members
missing, added or renamed → each member's bytes → SHA256SUMS → the optional timestamp.
"""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from adwatch.evidence.manifest import DIGEST, MANIFEST, SUMS, TIMESTAMP, sha256_prefixed

CHUNK = 1 << 20
ENVELOPE = {MANIFEST, DIGEST, SUMS}


@dataclass
class VerifyReport:
    """What was checked and what is wrong, each problem naming its member."""

    members: int = 0
    manifest_digest: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    timestamp: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def name_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip entry is not a plain file with a safe relative name, or None."""
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"member {name!r} is a symbolic link"
    if name.endswith("/") or stat.S_ISDIR(mode):
        return f"member {name!r} is a directory entry"
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        return f"member {name!r} is not a regular file"
    return path_problem(name)


def path_problem(name: str) -> str | None:
    """Why a member name could escape the folder it is unpacked in, or None."""
    if not name or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return f"member {name!r} has an absolute path"
    if "\\" in name or any(ord(ch) < 32 for ch in name):
        return f"member {name!r} has a backslash or control character in its name"
    parts = PurePosixPath(name).parts
    if ".." in parts or "." in name.split("/") or "" in name.split("/"):
        return f"member {name!r} has a relative path trick ('..', '.' or '//')"
    return None


def verify_pack(
    path: Path, expected_digest: str | None = None, tsa_certificate: bytes | None = None
) -> VerifyReport:
    """Check the pack at path; the report lists every problem found."""
    report = VerifyReport()
    try:
        with zipfile.ZipFile(path) as archive:
            _check(archive, report, expected_digest)
            report.problems.extend(_timestamp(archive, report, tsa_certificate))
    except (zipfile.BadZipFile, OSError) as exc:
        report.problems.append(f"{path} is not a readable zip file: {exc}")
    return report


def _check(archive: zipfile.ZipFile, report: VerifyReport, expected: str | None) -> None:
    infos = archive.infolist()
    report.members = len(infos)
    report.problems.extend(_names(infos))
    manifest = _manifest(archive, report, expected)
    if manifest is None:
        return
    listed = {r["path"]: r for r in manifest.get("resources", [])}
    present = {info.filename for info in infos}
    report.problems.extend(_membership(listed, present))
    for name in sorted(set(listed) & present):
        problem = _member_problem(archive, name, listed[name])
        if problem:
            report.problems.append(problem)
    report.problems.extend(_sums(archive, listed, present))


def _names(infos: list[zipfile.ZipInfo]) -> list[str]:
    problems = [p for info in infos if (p := name_problem(info))]
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            problems.append(f"member {info.filename!r} appears more than once")
        seen.add(info.filename)
    return problems


def _read(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError):
        return None


def _manifest(
    archive: zipfile.ZipFile, report: VerifyReport, expected: str | None
) -> dict[str, Any] | None:
    data, digest_file = _read(archive, MANIFEST), _read(archive, DIGEST)
    if data is None or digest_file is None:
        report.problems.append(f"{MANIFEST} or {DIGEST} is missing or damaged; cannot check")
        return None
    report.manifest_digest = sha256_prefixed(data)
    recorded = _json(digest_file).get("hash")
    if recorded != report.manifest_digest:
        report.problems.append(
            f"{MANIFEST} was changed: its hash is {report.manifest_digest}, "
            f"{DIGEST} records {recorded}"
        )
    if expected and expected != report.manifest_digest:
        report.problems.append(
            f"{MANIFEST} is not the one expected: "
            f"hash {report.manifest_digest}, expected {expected}"
        )
    manifest = _json(data)
    resources = manifest.get("resources")
    # A crafted manifest (a resource that is no object, or without a text path and hash) is a
    # finding, not a crash of the verifier (found by tests/evidence/test_fuzz_verify.py).
    if not isinstance(resources, list) or not all(map(_readable_resource, resources)):
        report.problems.append(f"{MANIFEST} is not a readable manifest")
        return None
    report.meta = {k: v for k, v in manifest.items() if k != "resources"}
    return manifest


def _readable_resource(resource: object) -> bool:
    return isinstance(resource, dict) and all(
        isinstance(resource.get(key), str) for key in ("path", "hash")
    )


def _json(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _membership(listed: dict[str, Any], present: set[str]) -> list[str]:
    problems = [
        f"member {n!r} is listed in the manifest but missing" for n in sorted(set(listed) - present)
    ]
    unlisted = present - set(listed) - ENVELOPE - {TIMESTAMP}
    problems += [
        f"member {n!r} is not listed in the manifest (added or renamed)" for n in sorted(unlisted)
    ]
    problems += [f"{n} is missing" for n in sorted((ENVELOPE - {MANIFEST, DIGEST}) - present)]
    return problems


def _member_problem(archive: zipfile.ZipFile, name: str, entry: dict[str, Any]) -> str | None:
    try:
        digest, size = _stream_hash(archive, name)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        return f"member {name!r} is damaged in the zip: {exc}"
    if digest != entry.get("hash") or size != entry.get("bytes"):
        recorded = entry.get("hash")
        return f"member {name!r} was changed: hash {digest} ({size} bytes), manifest {recorded}"
    return None


def _stream_hash(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    hasher, size = hashlib.sha256(), 0
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return "sha256:" + hasher.hexdigest(), size


def _sums(archive: zipfile.ZipFile, listed: dict[str, Any], present: set[str]) -> list[str]:
    data = _read(archive, SUMS)
    if data is None:
        return []
    expected = {
        name: entry.get("hash", "").removeprefix("sha256:") for name, entry in listed.items()
    }
    for name in {MANIFEST, DIGEST, TIMESTAMP} & present:
        expected[name] = hashlib.sha256(_read(archive, name) or b"").hexdigest()
    if _parse_sums(data) != expected:
        return [f"{SUMS} does not match the manifest"]
    return []


def _parse_sums(data: bytes) -> dict[str, str]:
    parsed = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        hexpart, _, name = line.partition("  ")
        parsed[name] = hexpart
    return parsed


def _timestamp(
    archive: zipfile.ZipFile, report: VerifyReport, certificate: bytes | None
) -> list[str]:
    from adwatch.evidence import timestamp

    names = set(archive.namelist())
    if TIMESTAMP not in names:
        return [f"{TIMESTAMP} is missing; cannot check the timestamp"] if certificate else []
    token, manifest = _read(archive, TIMESTAMP) or b"", _read(archive, MANIFEST) or b""
    problem = timestamp.token_problem(token, report.manifest_digest or "")
    if problem is None and certificate:
        problem = timestamp.signature_problem(token, manifest, certificate)
    if problem is None:
        report.timestamp = timestamp.stamped_at(token)
    return [f"{TIMESTAMP}: {problem}"] if problem else []
