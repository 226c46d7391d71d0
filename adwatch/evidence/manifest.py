"""The pack's manifest (py-wacz datapackage.json shape), its digest file and SHA256SUMS.

Runs last in an export: every other member is final before the manifest lists its hash. The
manifest lists every member except itself, its digest file, SHA256SUMS and the optional RFC 3161
timestamp. SHA256SUMS lists every member except itself and the timestamp, the manifest included.
The **pack digest**, sent to the recipient apart from the pack, is the SHA-256 of SHA256SUMS: one
edited member cannot be hidden by rewriting its line, because that changes SHA256SUMS's hash.
The optional timestamp (`SHA256SUMS.tsr`) stamps that same digest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

MANIFEST = "manifest.json"
DIGEST = "manifest-digest.json"
TIMESTAMP = "SHA256SUMS.tsr"
SUMS = "SHA256SUMS"
README = "LEESMIJ.txt"
PROFILE = "adwatch-evidence-pack"
PROFILE_VERSION = "2"  # 2: the pack digest is SHA256SUMS's hash (1: the manifest's)
LEGACY_TIMESTAMP = "manifest-digest.tsr"  # profile 1: the timestamp of the manifest digest


@dataclass(frozen=True)
class Member:
    """One file of the pack: its name in the zip and its bytes."""

    path: str
    data: bytes

    @property
    def hexdigest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sha256_prefixed(data: bytes) -> str:
    """The SHA-256 of the bytes, prefixed with its algorithm."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def resource(member: Member) -> dict[str, Any]:
    """The manifest entry of one member."""
    return {"path": member.path, "hash": "sha256:" + member.hexdigest, "bytes": len(member.data)}


def manifest_bytes(members: list[Member], meta: dict[str, Any]) -> bytes:
    """The manifest: who exported what, for whom and why, and every member's hash."""
    document = {
        "profile": PROFILE,
        "profile_version": PROFILE_VERSION,
        **meta,
        "resources": [resource(m) for m in sorted(members, key=lambda m: m.path)],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def digest_bytes(manifest: bytes, created: str) -> bytes:
    """The digest file: the manifest's own hash, as py-wacz's datapackage-digest.json."""
    document = {"path": MANIFEST, "hash": sha256_prefixed(manifest), "created": created}
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def sums_bytes(members: list[Member]) -> bytes:
    """SHA256SUMS in the format of `sha256sum` (two spaces, sorted by name)."""
    lines = [f"{m.hexdigest}  {m.path}\n" for m in sorted(members, key=lambda m: m.path)]
    return "".join(lines).encode("utf-8")


def seal(members: list[Member], meta: dict[str, Any]) -> list[Member]:
    """Add the manifest and its digest file."""
    manifest = Member(MANIFEST, manifest_bytes(members, meta))
    digest = Member(DIGEST, digest_bytes(manifest.data, meta["created"]))
    return [*members, manifest, digest]


def with_sums(members: list[Member]) -> tuple[list[Member], str]:
    """The members followed by SHA256SUMS over all of them, and the pack digest."""
    sums = Member(SUMS, sums_bytes(members))
    return [*members, sums], sha256_prefixed(sums.data)
