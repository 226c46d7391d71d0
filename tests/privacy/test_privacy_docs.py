"""The DPIA and the verwerkingsregister describe every stored table and every retention key."""

from __future__ import annotations

from pathlib import Path

import pytest

from adwatch.config.schemas import RetentionConfig
from adwatch.storage.models import Base

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("doc", ["dpia.md", "verwerkingsregister.md"])
def test_every_table_and_retention_key_is_described(doc: str) -> None:
    text = (DOCS / doc).read_text(encoding="utf-8")
    names = [*Base.metadata.tables, *(f"retention.{key}" for key in RetentionConfig.model_fields)]
    assert [name for name in names if f"`{name}`" not in text] == []
