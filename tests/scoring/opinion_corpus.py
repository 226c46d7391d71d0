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
    "Via de blauwe deur maak je een afspraak met {name}.",
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


def write_corpus(folder: Path, seed: int = 13, per_kind: int = 30, prefix: str = "syn") -> Path:
    """Write the corpus as one YAML list in `folder`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(corpus_ads(seed, per_kind, prefix), allow_unicode=True, sort_keys=False)
    (folder / "synthetic.yaml").write_text(text, encoding="utf-8")
    return folder
