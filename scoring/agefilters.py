"""The pre-filters of the stated-age patterns of `scoring.ages`, one per pattern, in its order.

`GATES`: a cheap test of the lower-cased text that must pass for the pattern to run at all.
`HEADS`: the words the pattern's number-word form opens with (`scoring.agestarts`).
"""

from __future__ import annotations

import re

from scoring.agestarts import Heads, heads
from scoring.numberwords import MISSPELT_TEENS, NUMBER_TOKENS

_GROUP_WORDS = (
    "allebei", "beide", "both", "each", "alle twee", "jongste", "oudste", "youngest", "eldest",
    "oldest", "meisje", "meid", "dame", "girl", "student", "vriendin", "zus", "sister", "lady",
    "vrouw",
)  # fmt: skip
# Literal needles, or a regex that starts with a digit: most texts skip most patterns.
_DIGIT_UNIT = re.compile(r"\d\s?-?\s?(?:j|y)")
GATES = (
    lambda low: (
        any(w in low for w in ("jaar", "jr", "year", "yr", "yo", "y/o", "y.o", "jarig", "lente"))
        or any(w in low for w in ("zomers", "springs", "summers", "winters", "herfsten"))
        or bool(_DIGIT_UNIT.search(low))
    ),
    lambda low: any(w in low for w in ("leeftijd", "age", "lft")),
    lambda low: any(
        w in low for w in ("ik ben", "i am", "i'm", "i’m", "im ", "ben ", "'s ", "’s ")
    ),
    lambda low: "(" in low,
    lambda low: "," in low,
    lambda low: any(w in low for w in ("allebei", "allemaal", "beide", "both", " all ")),
    lambda low: any(
        w in low
        for w in (
            "net ",
            "pas ",
            "just",
            "only",
            "barely",
            "kort",
            "recent",
            "vers",
            "fresh",
            "nog maar",
        )
    ),
    lambda low: "geworden" in low,
    lambda low: any(w in low for w in ("werd", "turned", "word", "became")),
    lambda low: any(w in low for w in ("verjaardag", "birthday", "bday")),
    lambda low: any(w in low for w in ("is ", "ben ", "am ")),
    lambda low: any(c in low for c in "\U0001f382\U0001f381\U0001f973"),
    lambda low: any(w in low for w in _GROUP_WORDS),
    lambda low: "jarig" in low,
)
# Per stated-age pattern, the words its number-word form opens with, where trying only those
# words beats one scan of the whole text (measured; None: the whole text is scanned).
HEADS = (
    None,
    heads("leeftijd age lft lftd"),
    heads("ik i im ben he she zij hij"),
    None,
    None,
    heads("zijn are"),
    heads("net pas just only barely sinds recent recently verse vers fresh freshly nog"),
    None,
    heads("werd turned became"),
    None,
    None,
    None,
    heads(
        "allebei beide beiden both each alle de the jongste oudste youngest eldest oldest meisje "
        "meid meiden dame dames girl girls studente vriendin zus zusje sister lady vrouw studentes "
        "studentjes meisjes meidjes dametjes vriendinnen zusjes sisters ladies vrouwen"
    ),
    None,
)
# The number-word form of a pattern that opens with a number opens with a number word.
NUMBER_LED = Heads(NUMBER_TOKENS | MISSPELT_TEENS)
