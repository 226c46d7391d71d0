"""Words about who someone is, masked before a learned model reads an ad (principle 4).

The rules never use nationality, origin, language, ethnicity, religion, skin colour or looks; a
test guards their patterns. A classifier trained on labelled ads could still learn such words
as a shortcut. So the second opinion never sees them: `mask_identity` replaces each of these
words (Dutch and English, with the usual inflections) by one neutral mark before training and
before every prediction. Kept in the core so the scoring code itself names none of them.
"""

from __future__ import annotations

import re

MARK = " ~ "

# Stems; each also matches with the suffixes below ("pools" → "poolse", "roemeens" → "roemeense").
_STEMS = (
    # nationality and origin
    "nationaliteit", "nationality", "afkomst", "herkomst", "origin", "etnisch", "ethnic",
    "buitenlands", "foreign", "roemeens", "romanian", "bulgaars", "bulgarian", "hongaars",
    "hungarian", "pools", "polish", "oekraiens", "oekraïens", "ukrainian", "russisch", "russian",
    "oost-europees", "aziatisch", "asian", "thai", "chinees", "chinese", "japans", "japanese",
    "afrikaans", "african", "latina", "latino", "latijns", "braziliaans", "brazilian", "spaans",
    "spanish", "arabisch", "arab", "arabic", "turks", "turkish", "marokkaans", "moroccan",
    "nigeriaans", "nigerian", "dominicaans", "colombiaans", "venezolaans", "nederlands", "dutch",
    "hollands", "belgisch", "belgian", "duits", "german", "frans", "french", "italiaans",
    "italian", "engels", "english", "europees", "europese", "oost-europese", "european",
    "exotisch", "exotic",
    # language
    "taal", "talen", "language", "languages", "spreek", "spreekt", "spreken", "speak", "speaks",
    "engelstalig", "nederlandstalig", "anderstalig",
    # skin colour, looks, religion
    "huidskleur", "getint", "donkergetint", "lichtgetint", "ebony", "moslim", "muslim",
    "christen", "christian", "joods", "jewish", "hoofddoek", "religie", "religion", "geloof",
)  # fmt: skip
_SUFFIXES = ("", "e", "en", "er", "ers", "s", "se", "talig", "tje")
_FORMS = frozenset(stem + suffix for stem in _STEMS for suffix in _SUFFIXES)
# Words with inner hyphens ("oost-europese") are one word; one set look-up per word is several
# times faster than one regular expression holding every form.
_WORD = re.compile(r"\w+(?:-\w+)*")


def mask_identity(text: str) -> str:
    """The text with every word about nationality, origin, language, ethnicity, religion or
    skin colour replaced by a neutral mark."""
    return _WORD.sub(_masked, text)


def _masked(match: re.Match[str]) -> str:
    word = match.group(0).casefold()
    found = word in _FORMS or any(part in _FORMS for part in word.split("-"))
    return MARK if found else match.group(0)
