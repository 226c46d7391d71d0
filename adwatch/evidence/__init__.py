"""Evidence packs: what was online, when, and proof that nothing changed since.

Order of an export (`export.export_pack`): selection → addata (ad.json) → wacz (WARC, WACZ) →
media (images, screenshots) → report (HTML, PDF) → manifest (manifest, digest, SHA256SUMS) →
recording (zip, pack row, custody and audit entries). `verify.verify_pack` checks a pack from
its zip in memory.
"""

from adwatch.evidence.export import export_pack
from adwatch.evidence.recording import PackResult, record_download
from adwatch.evidence.selection import ExportRefused

__all__ = ["ExportRefused", "PackResult", "export_pack", "record_download"]
