"""Dutch word lists shipped by the `deduce` package: municipalities, residences, first names.

`deduce` (a de-identification tool for Dutch text, on PyPI) ships the CBS/BAG lists of every
Dutch municipality and residence (woonplaats) and a list of first names as plain text files.
They are read from the installed package, never downloaded; the package's code is not imported.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from adwatch.errors import ConfigError

_LOOKUP = Path("data", "lookup", "src")
MUNICIPALITIES = _LOOKUP / "locations/lst_placename/lst_municipality/items.txt"
RESIDENCES = _LOOKUP / "locations/lst_placename/lst_residence/items.txt"
FIRST_NAMES = _LOOKUP / "names/lst_first_name/items.txt"
COMMON_WORDS = _LOOKUP / "whitelist/lst_common_word/items.txt"


@lru_cache(maxsize=1)
def _package_root() -> Path:
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the Dutch gazetteer needs the 'deduce' package. Fix: pip install -c constraints.txt ."
        )
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=8)
def items(relative: Path) -> tuple[str, ...]:
    """The lines of one of deduce's lookup lists, stripped, without blanks."""
    text = (_package_root() / relative).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def proper_case(name: str) -> str:
    """deduce writes "Tull En Het Waal" and "'S-Hertogenbosch": the usual spelling."""
    words = []
    for index, word in enumerate(name.split(" ")):
        lowered = word.lower()
        if index and lowered in {
            "en",
            "het",
            "de",
            "den",
            "der",
            "aan",
            "op",
            "bij",
            "in",
            "van",
            "ter",
        }:
            words.append(lowered)
        elif lowered.startswith(("'s-", "'t")):
            words.append(lowered[:3] + word[3:])
        else:
            words.append(word)
    return " ".join(words)


@lru_cache(maxsize=1)
def dutch_places() -> dict[str, str]:
    """Every Dutch municipality and residence: name as written -> "municipality"/"residence"."""
    places = {proper_case(name): "residence" for name in items(RESIDENCES)}
    places.update({proper_case(name): "municipality" for name in items(MUNICIPALITIES)})
    return places


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Dutch first names (title case)."""
    return frozenset(items(FIRST_NAMES))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Common Dutch words (lower case), for telling a place or a name from an ordinary word."""
    return frozenset(w.lower() for w in items(COMMON_WORDS))


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Common Dutch words and spaCy's nl and en stop words (lower case)."""
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.nl.stop_words import STOP_WORDS as NL

    return frozenset(common_words() | NL | EN)
