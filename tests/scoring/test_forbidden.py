"""Principle 4: no indicator, pattern, label or scoring code may refer to who someone is."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from scoring.rules import default_rules_path

SCORING_DIR = Path(__file__).resolve().parents[2] / "scoring"

# nl and en words for nationality, ethnicity, origin, language, skin colour, appearance, religion.
FORBIDDEN = [
    "nationaliteit", "nationality", "etniciteit", "etnisch", "ethnic", "ethnicity", "afkomst",
    "herkomst", "origin", "roots", "ras", "race", "taal", "talen", "language", "spreekt", "speaks",
    "spreken", "engelstalig", "nederlandstalig", "huidskleur", "skin", "getint", "donker", "dark",
    "blank", "white", "zwart", "black", "bruin", "brown", "exotisch", "exotic", "uiterlijk",
    "appearance", "blond", "blonde", "brunette", "rood haar", "lang", "slank", "slim", "curvy",
    "mollig", "petite", "borsten", "religie", "religion", "geloof", "moslim", "muslim", "christen",
    "christian", "joods", "jewish", "hoofddoek", "gezicht", "face",
    "roemeens", "romanian", "bulgaars", "bulgarian", "hongaars", "hungarian", "pools", "polish",
    "oekraiens", "ukrainian", "russisch", "russian", "oost-europees", "eastern european",
    "aziatisch", "asian", "thai", "chinees", "chinese", "afrikaans", "african", "latina",
    "latijns", "braziliaans", "brazilian", "spaans", "spanish", "arabisch", "arab", "turks",
    "turkish", "marokkaans", "moroccan", "nigeriaans", "nigerian", "dominicaans", "colombiaans",
    "venezolaans", "nederlandse", "hollandse", "dutch", "buitenlands", "buitenlandse", "foreign",
]  # fmt: skip


def _config_strings() -> list[tuple[str, str]]:
    raw = yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))
    found: list[tuple[str, str]] = []

    def walk(node: object, key: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                found.append((key, str(k)))
                walk(v, f"{key}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{key}.{i}")
        else:
            found.append((key, str(node)))

    walk(raw["indicators"], "indicators")
    return found


# spaCy's API name for an empty pipeline, not a word about anyone.
_ALLOWED = re.compile(r"spacy\.blank\(")
# Reviewed: "nieuw gezicht", "new face", "vers gezicht" say someone is NEW (new_arrival), not how
# anyone looks; only these newness idioms, with the newness word right before the noun, pass.
# "gezicht"/"face" anywhere else is still caught.
_NEWNESS_IDIOMS = re.compile(
    r"(?<!\w)(?:nieuw|nieuwe|vers|verse|new|fresh)\s+(?:gezicht|gezichten|gezichtje|gezichtjes|"
    r"face|faces)(?!\w)",
    re.I,
)


def _hits(text: str) -> list[str]:
    text = _ALLOWED.sub("spacy.EMPTY(", text)
    text = _NEWNESS_IDIOMS.sub("NEWNESS_IDIOM", text)
    return [t for t in FORBIDDEN if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text, re.I)]


def test_the_scanner_catches_a_planted_term() -> None:
    assert _hits("ook Roemeense? nee: Roemeens meisje") == ["roemeens"]
    assert _hits("exotic lady") == ["exotic"]
    assert _hits("houten vloer, origineel") == []


def test_only_the_newness_idioms_may_name_a_face() -> None:
    assert _hits("nieuw gezicht in Houten, new faces, verse gezichten") == []
    assert _hits("mooi gezicht") == ["gezicht"]
    assert _hits("pretty face, new face") == ["face"]
    assert _hits("gezicht van een engel") == ["gezicht"]
    assert _hits("nieuwgezicht") == []  # one word, no idiom and no term either
    assert _hits("een nieuw, lief gezicht") == ["gezicht"]


def test_config_has_no_forbidden_terms() -> None:
    offending = [(key, value, _hits(value)) for key, value in _config_strings() if _hits(value)]
    assert offending == []


def test_scoring_code_has_no_forbidden_terms() -> None:
    offending = []
    for path in sorted(SCORING_DIR.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _hits(line):
                offending.append(f"{path.name}:{number}: {_hits(line)}: {line.strip()}")
    assert offending == []
