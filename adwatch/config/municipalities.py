"""The municipalities one installation serves, each with its own location scope.

A single municipality keeps its scope in `config/locations.yaml`. A shared (regional)
installation puts one scope file per municipality in `config/municipalities/<code>.yaml`; the
file's name is the municipality's code, which every ad, decision, note, pack and user grant
carries. Each municipality is its own controller under the AVG, so their data never mixes: an ad
that names two of them is stored once for each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from adwatch.config.loading import load_model
from adwatch.config.schemas import LocationsConfig
from adwatch.errors import ConfigError

MUNICIPALITIES_DIR = "municipalities"
CODE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Municipality:
    """One municipality's code (as stored in the database), name and scope."""

    code: str
    locations: LocationsConfig

    @property
    def name(self) -> str:
        return self.locations.municipality


def code_for(name: str) -> str:
    """The code a single-municipality installation uses: its name in lower case, dashed."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]


def load_municipalities(config_dir: Path) -> tuple[Municipality, ...]:
    """Every configured municipality, in code order; at least one."""
    folder = config_dir / MUNICIPALITIES_DIR
    single = config_dir / "locations.yaml"
    if folder.is_dir():
        if single.exists():
            raise ConfigError(
                f"{single}: both this file and {folder}/ exist. Fix: keep one scope per "
                f"municipality in {folder}/<code>.yaml and remove {single.name}."
            )
        return _from_folder(folder)
    locations = load_model(single, LocationsConfig)
    return (Municipality(code_for(locations.municipality), locations),)


def _from_folder(folder: Path) -> tuple[Municipality, ...]:
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ConfigError(
            f"{folder}: no municipality files. Fix: add <code>.yaml (same keys as locations.yaml)."
        )
    found = []
    for path in files:
        if not CODE.match(path.stem):
            raise ConfigError(
                f"{path}: '{path.stem}' is not a municipality code. Fix: rename the file to "
                "lower-case letters, digits and dashes, starting with a letter (e.g. houten.yaml)."
            )
        found.append(Municipality(path.stem, load_model(path, LocationsConfig)))
    return tuple(found)


def municipality_codes(config_dir: Path) -> tuple[str, ...]:
    return tuple(m.code for m in load_municipalities(config_dir))


def known_municipality(code: str, configured: Sequence[str]) -> str:
    """`code`, when it is one of the configured municipalities; a ConfigError otherwise."""
    if code not in configured:
        raise ConfigError(
            f"unknown municipality {code!r}. Fix: use one of {', '.join(configured)} "
            "(the files in config/municipalities/, or the code of config/locations.yaml)."
        )
    return code


def chosen_municipality(config_dir: Path, code: str | None, command: str) -> Municipality:
    """The municipality a command acts for: the one named, or the only one configured."""
    configured = {m.code: m for m in load_municipalities(config_dir)}
    if code is None:
        if len(configured) == 1:
            return next(iter(configured.values()))
        raise ConfigError(
            f"{command}: several municipalities are configured; which one? "
            f"Fix: add --municipality with one of {', '.join(configured)}."
        )
    return configured[known_municipality(code, tuple(configured))]


def only_municipality(config_dir: Path) -> str | None:
    """The code when exactly one municipality is configured, else None."""
    codes = municipality_codes(config_dir)
    return codes[0] if len(codes) == 1 else None
