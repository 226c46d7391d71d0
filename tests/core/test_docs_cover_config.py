"""Every configuration key is documented (datasette's rule: an undocumented setting fails)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from adwatch.config.loading import StrictModel
from adwatch.config.schemas import AppConfig, LocationsConfig
from adwatch.config.sources import SourceConfig

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        nested = _nested(field.annotation)
        if nested is not None:
            keys.extend(_keys(nested, f"{prefix}{name}."))
        else:
            keys.append(f"{prefix}{name}")
    return keys


def _nested(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, StrictModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _nested(arg)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize(
    ("model", "doc"),
    [
        (AppConfig, "configuration.md"),
        (LocationsConfig, "configuration.md"),
        (SourceConfig, "sources.md"),
    ],
)
def test_every_key_is_documented(model: type[BaseModel], doc: str) -> None:
    text = (DOCS / doc).read_text(encoding="utf-8")
    missing = [key for key in _keys(model) if f"`{key}`" not in text]
    assert missing == []
