"""Checking a pack: SHA256SUMS against the pack digest, every member against SHA256SUMS and the
manifest, the manifest against its digest file.

Reads the zip where it is and hashes each member as it streams out of it, in chunks, so memory
stays bounded whatever a member's size; nothing is extracted to disk. SHA256SUMS and the manifest
are read line by line or up to a cap. Order: member names (path tricks, links, duplicates) →
SHA256SUMS (format, duplicates, its own hash) → manifest and its digest file → members missing,
added or renamed → each member's bytes → the optional timestamp.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from adwatch.evidence.manifest import DIGEST, LEGACY_TIMESTAMP, MANIFEST, SUMS, TIMESTAMP

CHUNK = 1 << 20
MAX_SUMS_BYTES = 8 << 20  # ~30 000 members; a bigger SHA256SUMS is refused, not read
MAX_MANIFEST_BYTES = 32 << 20
SUMS_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, KeyError)


class TooLarge(ValueError):
    """A member that is read whole is bigger than its cap."""


def printable(text: object) -> str:
    """Text safe for a terminal: control characters (escape sequences, bidi overrides) shown as
    `\\xNN`/`\\uNNNN` instead of acted on."""
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


@dataclass
class VerifyReport:
    """What was checked and what is wrong, each problem naming its member."""

    members: int = 0
    pack_digest: str | None = None
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
    report.problems = [printable(p) for p in report.problems]
    return report


def _check(archive: zipfile.ZipFile, report: VerifyReport, expected: str | None) -> None:
    infos = archive.infolist()
    report.members = len(infos)
    report.problems.extend(_names(infos))
    present = {info.filename: info for info in infos}
    sums = _sums(archive, present, report)
    manifest = _manifest(archive, report)
    report.problems.extend(_expected(report, expected))
    if manifest is None or sums is None:
        return
    listed = {r.get("path"): r for r in manifest["resources"] if isinstance(r, dict)}
    report.problems.extend(_membership(listed, sums, set(present)))
    for name in sorted(set(present) - {SUMS, TIMESTAMP}):
        problem = _member_problem(archive, present[name], listed.get(name), sums.get(name))
        if problem:
            report.problems.append(problem)


def _names(infos: list[zipfile.ZipInfo]) -> list[str]:
    problems = [p for info in infos if (p := name_problem(info))]
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            problems.append(f"member {info.filename!r} appears more than once")
        seen.add(info.filename)
    return problems


def _expected(report: VerifyReport, expected: str | None) -> list[str]:
    """The digest sent apart against the pack: SHA256SUMS's hash (for packs of profile 1:
    the manifest's hash)."""
    if not expected:
        return []
    legacy = report.meta.get("profile_version") == "1"
    actual, what = (report.manifest_digest, MANIFEST) if legacy else (report.pack_digest, SUMS)
    if expected.strip().lower() == actual:
        return []
    return [
        f"{what} is not the one that was exported: its hash is {actual}, "
        f"the digest you were given is {expected.strip()}"
    ]


def _sums(
    archive: zipfile.ZipFile, present: dict[str, zipfile.ZipInfo], report: VerifyReport
) -> dict[str, str] | None:
    """SHA256SUMS parsed strictly (one line per member, no duplicates), and its own hash."""
    if SUMS not in present:
        report.problems.append(f"{SUMS} is missing; cannot check")
        return None
    try:
        parsed, digest, problems = _parse_sums(archive, present[SUMS])
    except TooLarge:
        report.problems.append(f"{SUMS} is larger than {MAX_SUMS_BYTES} bytes; refused")
        return None
    except ZIP_ERRORS as exc:
        report.problems.append(f"{SUMS} is damaged in the zip: {exc}")
        return None
    report.pack_digest = digest
    report.problems.extend(problems)
    return parsed


def _parse_sums(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> tuple[dict[str, str], str, list[str]]:
    if info.file_size > MAX_SUMS_BYTES:
        raise TooLarge(SUMS)
    hasher, read, parsed, problems = hashlib.sha256(), 0, {}, []
    with archive.open(info) as handle:
        for number, raw in enumerate(iter(lambda: handle.readline(CHUNK), b""), start=1):
            read += len(raw)
            if read > MAX_SUMS_BYTES:
                raise TooLarge(SUMS)
            hasher.update(raw)
            problem = _sums_line(raw, number, parsed)
            if problem:
                problems.append(problem)
    return parsed, "sha256:" + hasher.hexdigest(), problems


def _sums_line(raw: bytes, number: int, parsed: dict[str, str]) -> str | None:
    match = SUMS_LINE.match(raw.decode("utf-8", errors="replace").rstrip("\n"))
    if match is None:
        return f"{SUMS} line {number} is not a '<sha256>  <name>' line"
    digest, name = match.groups()
    if name in parsed:
        kind = "conflicting" if parsed[name] != digest else "duplicate"
        return f"{SUMS} line {number}: a {kind} second line for {name!r}"
    parsed[name] = digest
    return None


def _manifest(archive: zipfile.ZipFile, report: VerifyReport) -> dict[str, Any] | None:
    try:
        data = _read_capped(archive, MANIFEST, MAX_MANIFEST_BYTES)
        digest_file = _read_capped(archive, DIGEST, 1 << 16)
    except (TooLarge, *ZIP_ERRORS) as exc:
        report.problems.append(f"{MANIFEST} or {DIGEST} is missing, damaged or too large: {exc}")
        return None
    report.manifest_digest = "sha256:" + hashlib.sha256(data).hexdigest()
    recorded = _json(digest_file).get("hash")
    if recorded != report.manifest_digest:
        report.problems.append(
            f"{MANIFEST} was changed: its hash is {report.manifest_digest}, "
            f"{DIGEST} records {recorded}"
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


def _read_capped(archive: zipfile.ZipFile, name: str, cap: int) -> bytes:
    with archive.open(name) as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise TooLarge(f"{name} is larger than {cap} bytes")
    return data


def _json(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _membership(listed: dict[str, Any], sums: dict[str, str], present: set[str]) -> list[str]:
    files = present - {SUMS, TIMESTAMP}
    envelope = {MANIFEST, DIGEST, LEGACY_TIMESTAMP}
    problems = [
        f"member {n!r} is listed in the manifest but missing" for n in sorted(set(listed) - present)
    ]
    problems += [
        f"member {n!r} is not listed in the manifest (added or renamed)"
        for n in sorted(files - set(listed) - envelope)
    ]
    problems += [
        f"member {n!r} is listed in {SUMS} but missing" for n in sorted(set(sums) - present)
    ]
    problems += [f"member {n!r} is not listed in {SUMS}" for n in sorted(files - set(sums))]
    return problems


def _member_problem(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    entry: dict[str, Any] | None,
    summed: str | None,
) -> str | None:
    name = info.filename
    try:
        digest, size = _stream_hash(archive, info, _size_cap(entry, info))
    except ZIP_ERRORS as exc:
        return f"member {name!r} is damaged in the zip: {exc}"
    if entry is not None and (digest != entry.get("hash") or size != entry.get("bytes")):
        recorded = entry.get("hash")
        return f"member {name!r} was changed: hash {digest} ({size} bytes), manifest {recorded}"
    if summed is not None and digest != f"sha256:{summed}":
        return f"member {name!r} does not match its line in {SUMS}"
    return None


def _size_cap(entry: dict[str, Any] | None, info: zipfile.ZipInfo) -> int:
    # One byte past the recorded size is enough to know the member differs.
    recorded = entry.get("bytes") if entry else None
    return (recorded if isinstance(recorded, int) else info.file_size) + 1


def _stream_hash(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> tuple[str, int]:
    hasher, size = hashlib.sha256(), 0
    with archive.open(info) as handle:
        while size < cap and (chunk := handle.read(min(CHUNK, cap - size))):
            hasher.update(chunk)
            size += len(chunk)
    return "sha256:" + hasher.hexdigest(), size


def _timestamp(
    archive: zipfile.ZipFile, report: VerifyReport, certificate: bytes | None
) -> list[str]:
    from adwatch.evidence import timestamp

    names = set(archive.namelist())
    legacy = LEGACY_TIMESTAMP in names and TIMESTAMP not in names
    name, stamped, digest = (
        (LEGACY_TIMESTAMP, MANIFEST, report.manifest_digest)
        if legacy
        else (TIMESTAMP, SUMS, report.pack_digest)
    )
    if name not in names:
        return [f"{TIMESTAMP} is missing; cannot check the timestamp"] if certificate else []
    try:
        token = _read_capped(archive, name, 1 << 20)
        data = _read_capped(archive, stamped, MAX_MANIFEST_BYTES)
    except (TooLarge, *ZIP_ERRORS) as exc:
        return [f"{name}: cannot be read: {exc}"]
    problem = timestamp.token_problem(token, digest or "")
    if problem is None and certificate:
        problem = timestamp.signature_problem(token, data, certificate)
    if problem is None:
        report.timestamp = timestamp.stamped_at(token)
    return [f"{name}: {problem}"] if problem else []
