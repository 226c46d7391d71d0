"""Loading YAML configuration into pydantic models, with errors that name file, key and fix."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from adwatch.errors import ConfigError

ModelT = TypeVar("ModelT", bound=BaseModel)


class StrictModel(BaseModel):
    """Base for configuration models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _key_path(location: tuple) -> str:
    return ".".join(str(part) for part in location) or "(top level)"


def _fix_for(error: dict, model: type[BaseModel]) -> str:
    if error["type"] == "extra_forbidden":
        parent = error["loc"][:-1]
        known = _known_keys(model, parent)
        return f"remove it or use one of: {', '.join(known)}" if known else "remove it"
    if error["type"] == "missing":
        return "add this key"
    return "correct the value"


def _known_keys(model: type[BaseModel], parent: tuple) -> list[str]:
    current: type[BaseModel] | None = model
    for part in parent:
        if current is None or isinstance(part, int):
            continue
        field = current.model_fields.get(str(part))
        current = _nested_model(field.annotation) if field else None
    return sorted(current.model_fields) if current else []


def _nested_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _nested_model(arg)
        if found:
            return found
    return None


def format_validation_error(path: Path, error: ValidationError, model: type[BaseModel]) -> str:
    """One line per problem: file, key, what is wrong, how to fix it."""
    lines = []
    for item in error.errors():
        key = _key_path(item["loc"])
        lines.append(f"{path}: key '{key}': {item['msg']}. Fix: {_fix_for(item, model)}.")
    return "\n".join(lines)


def read_yaml(path: Path) -> object:
    """Parse a YAML file safely, or raise ConfigError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        fix = "create it or set ADWATCH_CONFIG_DIR"
        raise ConfigError(f"{path}: file not found. Fix: {fix}.") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}. Fix: correct the syntax.") from exc


def load_model(path: Path, model: type[ModelT], data: object | None = None) -> ModelT:
    """Validate YAML (read from `path` unless `data` is given) into `model`."""
    raw = read_yaml(path) if data is None else data
    if raw is None:
        raw = {}
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(path, exc, model)) from exc
