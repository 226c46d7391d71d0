"""The one pre-filter for the number-word forms of stated ages: can a text hold an age from 12
to 79 written in words ("negentien", "twintig", "eenentwintig", "twenty-one")?

The word forms of `scoring.ages` scan the whole text case-blind, so they run only where this
says yes. First a cheap test for the letters every such word holds; most texts that pass it
("tien" in "tiener") hold no such number as a word of its own. A number word matched there
stands between word boundaries, so one of the text's words is a teen or a tens word
(12 included), ends with a tens word ("vierendertig", "een en dertig") or starts with a tens word
written first ("twentyone", "twenty-one"), or it is a form only ages use: a teen split in two
("negen tien"), a misspelt teen ("achtien") or a number glued to "jarig" ("zeventienjarige").
Outside ASCII, case-blind matching may read letters that lower-case to others, so such texts
pass once they hold those letters.
"""

from __future__ import annotations

import re

from scoring.numberwords import MISSPELT_TEENS

_TENS_NL = ("twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig")
_TENS_EN = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy")
_WHOLE = frozenset(
    {"twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien",
     "negentien", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
     "eighteen", "nineteen", "tien", *MISSPELT_TEENS, *_TENS_NL, *_TENS_EN}
)  # fmt: skip
# Letters every age word holds (the misspelt teens end in "tin"): without any, no word test.
_PARTS = ("tien", "teen", "tin", "twaalf", "twelve", "jarig", *_TENS_NL, *_TENS_EN)
_WORD = re.compile(r"\w+")


def may_state_age_in_words(low: str) -> bool:
    """False only when the lower-cased text holds no number word from 12 to 79."""
    if not any(part in low for part in _PARTS):
        return False
    if not low.isascii():
        return True
    for word in _WORD.findall(low):
        if word in _WHOLE or "jarig" in word:
            return True
        if word.endswith(_TENS_NL) or word.startswith(_TENS_EN):
            return True
    return False
