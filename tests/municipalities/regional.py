"""A configuration for two municipalities (Houten and Nieuwegein), built from the shipped one."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import CONFIG_DIR

# Synthetic test gazetteer: place names only, as in config/locations.yaml.
NIEUWEGEIN = """\
municipality: Nieuwegein
places: [Nieuwegein]
villages: [Vreeswijk, Jutphaas]
neighbourhoods: [Batau-Noord, Batau-Zuid, Galecop, Fokkesteeg, Zuilenstein, Hoog-Zandveld]
demonyms: [Nieuwegeinse, Nieuwegeiner]
postcode_ranges: [[3430, 3439]]
neighbour_towns: [Houten, Utrecht, IJsselstein, Vianen, Lopik]
other_towns: [Amsterdam, Rotterdam]
"""


def regional_config(root: Path) -> Path:
    """A copy of `config/` for Houten and Nieuwegein, each with its own region page."""
    config = root / "config"
    shutil.copytree(CONFIG_DIR, config)
    folder = config / "municipalities"
    folder.mkdir()
    (config / "locations.yaml").rename(folder / "houten.yaml")
    (folder / "nieuwegein.yaml").write_text(NIEUWEGEIN, encoding="utf-8")
    demo = config / "sources" / "demo.yaml"
    text = demo.read_text(encoding="utf-8")
    old = "{name: Nieuwegein, path: /regio/nieuwegein}"
    assert old in text, "the demo source's Nieuwegein region changed"
    new = "{name: Nieuwegein, path: /regio/nieuwegein, municipality: nieuwegein}"
    demo.write_text(text.replace(old, new), encoding="utf-8")
    return config
