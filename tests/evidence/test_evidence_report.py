"""The report for police and court: words instead of codes, quoted evidence, embedded photos with
their hashes, Amsterdam and UTC times; the PDF is PDF/A-2b, checked with pypdf (not pikepdf,
which made it); the pack's file name starts with the zaaknummer."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from evidence_world import NETWORK, World
from pypdf import PdfReader

from adwatch import __version__
from adwatch.evidence import export_pack
from tests.helpers import run_cli

ZAAK = "PL0900-2026123456"


@pytest.fixture(scope="module")
def pack(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A network pack with a zaaknummer, exported through the CLI into a folder."""
    folder = tmp_path_factory.mktemp("report")
    world.instance.db.dispose()
    result = run_cli(world.env, "evidence", "export", "--network", NETWORK, "--purpose", "controle",
                     "--legal-basis", "APV", "--recipient", "AVIM", "--case", "HTN-9",
                     "--actor", world.officer, "--zaaknummer", ZAAK, "-o", str(folder))  # fmt: skip
    assert result.returncode == 0, result.stderr
    (path,) = folder.iterdir()
    printed = result.stdout.split("pack digest (send it apart from the pack): ")[1].split()[0]
    (folder.parent / "digest.txt").write_text(printed)
    return path


def _member(pack: Path, name: str) -> bytes:
    with zipfile.ZipFile(pack) as archive:
        return archive.read(name)


def test_the_file_name_starts_with_the_zaaknummer(pack: Path) -> None:
    assert pack.name.startswith(f"{ZAAK}_bewijspakket_") and pack.suffix == ".zip"


def test_a_file_name_without_the_zaaknummer_gets_it_in_front(world: World, tmp_path) -> None:
    result = export_pack(world.instance, ad_ids=[world.single], purpose="p", legal_basis="b",
                         recipient="r", case_ref="c", actor=world.officer,
                         out_path=tmp_path / "pakket.zip", zaaknummer=ZAAK)  # fmt: skip
    assert result.path == tmp_path / f"{ZAAK}_pakket.zip" and result.path.is_file()


def test_the_first_page_summarises_the_case_and_how_to_verify(pack: Path) -> None:
    reader = PdfReader(io.BytesIO(_member(pack, "report.pdf")))
    first = " ".join(reader.pages[0].extract_text().split())
    assert ZAAK in first and "controle" in first and "AVIM" in first
    assert "sha256sum SHA256SUMS" in first and "pakketcode" in first
    assert "advertenties" in first and "foto's" in first


def test_signals_are_in_dutch_words_with_quoted_highlighted_evidence(pack: Path) -> None:
    html = _member(pack, "report.html").decode("utf-8")
    assert "Geschreven door derde" in html and ">third_party<" not in html
    assert re.search(r"„[^”]*<mark>[^<]+</mark>", html)
    assert "doorgezet naar AVIM / politie" in html


def test_times_are_in_amsterdam_with_utc_beside(pack: Path) -> None:
    html = _member(pack, "report.html").decode("utf-8")
    assert re.search(r"\d{1,2} [a-z]+ 20\d\d, \d\d:\d\d:\d\d \(\d\d:\d\d:\d\d UTC\)", html)
    assert "+00:00" not in html and not re.search(r"\d\.\d{6}", html)


def test_photos_are_embedded_with_the_hash_of_the_original(pack: Path) -> None:
    html = _member(pack, "report.html").decode("utf-8")
    with zipfile.ZipFile(pack) as archive:
        originals = [n for n in archive.namelist() if n.startswith("images/original/")]
    assert originals and html.count('src="data:image/png;base64,') >= len(originals)
    for name in originals:
        assert name.rsplit("/", 1)[1].split(".")[0] in html


def test_the_pdf_is_pdf_a_2b_with_xmp_title_and_creator(pack: Path) -> None:
    reader = PdfReader(io.BytesIO(_member(pack, "report.pdf")))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert re.search(r"pdfaid:part[^0-9]*2", raw) and re.search(r"pdfaid:conformance[^A-Z]*B", raw)
    assert xmp.dc_title and ZAAK in xmp.dc_title.values()
    assert xmp.xmp_creator_tool == f"adwatch {__version__}"
    info = reader.metadata
    assert info.title == ZAAK and info.creator == f"adwatch {__version__}"
    assert "HeadlessChrome" not in raw and "HeadlessChrome" not in str(dict(info))
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert intents[0]["/S"] == "/GTS_PDFA1" and intents[0]["/DestOutputProfile"].get_object()
    assert not reader.is_encrypted


def test_every_font_in_the_pdf_is_embedded(pack: Path) -> None:
    reader = PdfReader(io.BytesIO(_member(pack, "report.pdf")))
    fonts = []
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.append(font.get_object())
    assert fonts
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font.get("/BaseFont")


def test_the_printed_pack_digest_is_the_hash_of_sha256sums(pack: Path) -> None:
    printed = (pack.parent.parent / "digest.txt").read_text()
    assert printed == "sha256:" + hashlib.sha256(_member(pack, "SHA256SUMS")).hexdigest()


def test_leesmij_explains_the_standard_tools_check_in_dutch(pack: Path) -> None:
    text = _member(pack, "LEESMIJ.txt").decode("utf-8")
    assert ZAAK in text and "LOS VAN DIT PAKKET" in text
    assert "sha256sum SHA256SUMS" in text and "sha256sum -c SHA256SUMS" in text
    assert "LEESMIJ.txt" in _member(pack, "SHA256SUMS").decode()
