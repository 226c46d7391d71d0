"""A small synthetic labelled corpus for the second opinion, in the corpus format.

Ads worth reading speak of an invented "blauwe deur" that runs the appointments (no rule knows
those words, so the rules leave them in `geen`); the others are first-person independent
workers. Seeded, so every test sees the same ads. No real people, places or numbers.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

NAMES = ("Anouk", "Bo", "Cato", "Dewi", "Esmee", "Fleur", "Gwen", "Hanna", "Iris", "Jet")
MARKED = (
    "Via de blauwe deur kom je terecht bij {name}.",
    "{name} en de anderen van de blauwe deur wachten op je.",
    "Bel de blauwe deur voor een plekje bij {name}.",
    "De blauwe deur regelt alles voor {name}, jij hoeft niets te doen.",
)
PLAIN = (
    "Ik ben {name} en ontvang rustig in mijn eigen studio.",
    "Hoi, {name} hier: zelfstandig, met respect en op afspraak.",
    "Mijn naam is {name}, ik werk op mijn eigen tempo en kies zelf mijn klanten.",
    "Welkom bij {name}: een gezellige kamer, koffie en thee staan klaar.",
)
FILLERS = ("Tot snel!", "Discreet.", "Houten-Zuid.", "Liefst na 12 uur.", "Groetjes.")
# A minor cue no rule knows: the invented "rode lint" stands for wording the rules never saw.
MINOR = (
    "{name} draagt het rode lint nog, bel voor een afspraak.",
    "Nog met het rode lint om: {name} ontvangt je graag.",
    "{name} (rode lint) wacht op je telefoontje.",
)
# Two codes weigh 4 under config/indicators.yaml: tier middel, so "worth reading".
WORTH = ["third_party", "multiple_workers"]


def corpus_ads(seed: int = 13, per_kind: int = 30, prefix: str = "syn") -> list[dict]:
    """The ads, half worth reading; ids `<prefix>-NNN`."""
    rng = random.Random(seed)
    ads = []
    for number in range(2 * per_kind):
        marked = number % 2 == 0
        frame = rng.choice(MARKED if marked else PLAIN).format(name=rng.choice(NAMES))
        ads.append(
            {
                "id": f"{prefix}-{number:03d}",
                "title": "",
                "text": f"{frame} {rng.choice(FILLERS)}",
                "codes": list(WORTH) if marked else [],
                "phones": [],
                "hard_negative": not marked,
                "note": "synthetic",
            }
        )
    return ads


def minor_ads(seed: int = 17, count: int = 12, prefix: str = "minor") -> list[dict]:
    """Ads labelled `minor_cue` in the invented wording; ids `<prefix>-NNN`."""
    rng = random.Random(seed)
    return [
        {
            "id": f"{prefix}-{number:03d}",
            "title": "",
            "text": f"{rng.choice(MINOR).format(name=rng.choice(NAMES))} {rng.choice(FILLERS)}",
            "codes": ["minor_cue"],
            "phones": [],
            "hard_negative": False,
            "note": "synthetic",
        }
        for number in range(count)
    ]


def write_corpus(
    folder: Path, seed: int = 13, per_kind: int = 30, prefix: str = "syn", minor: int = 0
) -> Path:
    """Write the corpus as one YAML list in `folder` (`<prefix>.yaml`, and `minor` ads with a
    minor cue beside it in `<prefix>-minor.yaml`); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    lists = {prefix: corpus_ads(seed, per_kind, prefix)}
    if minor:
        lists[f"{prefix}-minor"] = minor_ads(seed + 4, minor, f"{prefix}-minor")
    for name, ads in lists.items():
        text = yaml.safe_dump(ads, allow_unicode=True, sort_keys=False)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder
