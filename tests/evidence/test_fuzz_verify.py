"""Hypothesis fuzzing of `evidence verify` input (issue 16): any zip (or any bytes) with any
member names, manifest and sums is checked without an exception, unpacks nothing, and is never
reported intact when a name could escape its folder or a listed hash does not match."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adwatch.evidence.manifest import DIGEST, MANIFEST, SUMS
from adwatch.evidence.verify import path_problem, verify_pack

# Duplicate member names are one of the tricks verify must flag; zipfile warns when writing them.
pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
NAME_CHARACTERS = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
NAMES = st.sampled_from(
    ["ad.json", "report.html", "images/a.png", "../../etc/passwd", "/abs", "a\\b", "C:x",
     "./x", "a//b", "dir/", "x\x01", "warc/run.warc.gz", MANIFEST, DIGEST, SUMS]
) | st.text(NAME_CHARACTERS, min_size=1, max_size=20)  # fmt: skip
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@st.composite
def packs(draw) -> tuple[bytes, list[str], bool]:
    """A zip; its member names; whether some listed hash is wrong on purpose."""
    members = draw(st.lists(st.tuples(NAMES, st.binary(max_size=64)), max_size=6))
    resources, wrong = [], False
    for name, data in members:
        if draw(st.booleans()):
            bad = draw(st.booleans())
            wrong |= bad
            digest = _sha(data + b"x") if bad else _sha(data)
            resources.append({"path": name, "hash": digest, "bytes": len(data)})
    odd = draw(st.lists(JSONISH, max_size=2))
    manifest = draw(st.sampled_from([{"resources": resources + odd}, {"resources": resources}]))
    manifest_bytes = (
        json.dumps(manifest).encode() if draw(st.booleans()) else draw(st.binary(max_size=30))
    )
    digest = {"hash": _sha(manifest_bytes)} if draw(st.booleans()) else draw(JSONISH)
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(DIGEST, json.dumps(digest))
        archive.writestr(SUMS, sums + draw(st.text(max_size=20)))
    return out.getvalue(), [n for n, _ in members], wrong and not odd


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packs())
def test_any_pack_is_checked_without_error_and_unpacks_nothing(pack) -> None:
    data, names, wrong_hash = pack
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.zip"
        path.write_bytes(data)
        report = verify_pack(path)
        assert [p.name for p in Path(folder).iterdir()] == ["pack.zip"]
    if any(path_problem(n) for n in names) or wrong_hash:
        assert not report.ok, (names, report)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_refused_without_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.zip"
        path.write_bytes(data)
        assert not verify_pack(path).ok
