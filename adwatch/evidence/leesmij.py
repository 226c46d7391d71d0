"""LEESMIJ.txt: how the recipient checks the pack with standard tools, in Dutch.

Runs with the report, before the manifest lists it. It cannot hold the pack digest itself (that
digest covers SHA256SUMS, which lists this file); it says where that digest comes from.
"""

from __future__ import annotations

from typing import Any

TEXT = """\
BEWIJSPAKKET {title}
{underline}

Zaak:            {case}
Aangemaakt:      {created} (UTC)
Gemaakt met:     {software}
Geëxporteerd door: {exporter}
Ontvanger:       {recipient}
Doel:            {purpose}

WAT IS DIT?
Dit pakket laat zien wat de gemeente over een of meer online advertenties heeft verzameld:
wat er online stond en wanneer, wat de medewerker besloot, en het bewijs dat niets in dit
pakket is veranderd sinds het werd gemaakt. Scores en indicatoren zijn geautomatiseerde
signalen; zij zijn geen oordeel over personen. Elke beslissing is door een medewerker genomen.

Het rapport staat in report.pdf (PDF/A) en report.html. De opnames van de webpagina's staan
als WARC-archief in archive/captures.warc.gz en als WACZ in archive/captures.wacz.

CONTROLEREN MET STANDAARDGEREEDSCHAP (Linux; macOS met coreutils; Windows met WSL)
U heeft LOS VAN DIT PAKKET (per e-mail, brief of in het zaakdossier) een pakketcode
ontvangen die begint met "sha256:". Die code is de SHA-256 van het bestand SHA256SUMS.

  1. Pak het pakket uit in een lege map:        unzip pakket.zip -d pakket && cd pakket
  2. Controleer SHA256SUMS zelf:                 sha256sum SHA256SUMS
     De uitkomst moet gelijk zijn aan de pakketcode die u los ontving (zonder "sha256:").
     Is dat niet zo, vertrouw het pakket dan niet.
  3. Controleer elk bestand:                     sha256sum -c SHA256SUMS
     Elke regel moet eindigen op "OK" (of "Geslaagd").

Stap 2 is nodig: wie één bestand wijzigt en zijn regel in SHA256SUMS aanpast, verandert de
hash van SHA256SUMS, en die klopt dan niet meer met de pakketcode die u apart ontving.
SHA256SUMS noemt ook manifest.json, dat van elk bestand de hash en de grootte vastlegt.

Bevat het pakket SHA256SUMS.tsr, dan is de pakketcode door een tijdstempelautoriteit
(RFC 3161) van een tijd voorzien. Controle met OpenSSL en het certificaat van die autoriteit:
  openssl ts -verify -data SHA256SUMS -in SHA256SUMS.tsr -CAfile autoriteit.pem

CONTROLEREN MET ADWATCH (geen database nodig, niets wordt uitgepakt)
  adwatch evidence verify pakket.zip --digest sha256:<de pakketcode>

Meer uitleg: docs/evidence.md in de broncode van adwatch.
"""


def leesmij(meta: dict[str, Any]) -> bytes:
    """The pack's LEESMIJ.txt (UTF-8, CRLF-free, for any text viewer)."""
    title = meta.get("zaaknummer") or meta["case"]
    exporter = meta["exported_by"]
    text = TEXT.format(
        title=title,
        underline="=" * (len("BEWIJSPAKKET ") + len(title)),
        case=meta["case"],
        created=meta["created"],
        software=f"{meta['software']['name']} {meta['software']['version']}",
        exporter=f"{exporter['display_name']} ({exporter['username']})",
        recipient=meta["recipient"],
        purpose=meta["purpose"],
    )
    return text.encode("utf-8")
