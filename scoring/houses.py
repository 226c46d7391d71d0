"""Ads run by a house: several workers offered where nobody writes as the worker.

`run_by_a_house` adds third-party evidence after the phrases and voice have run
(`scoring.indicators`), from the several-workers evidence already found.
"""

from __future__ import annotations

from scoring.tokens import Tokens

# Who writes as the worker or as a group of workers: then phrases and voice decide.
_WRITER_SPEAKS = frozenset(
    {"ik", "i", "i'm", "im", "me", "mij", "mijn", "my", "wij", "we", "ons", "onze", "our", "us"}
)  # fmt: skip
# Two workers may write their own ad ("2 meiden, samen of apart"); more are offered by a house.
_PAIR = frozenset(
    {"2", "twee", "two", "beide", "beiden", "both", "allebei", "duo", "samen", "together"}
)


def run_by_a_house(toks: Tokens, found: dict) -> None:
    """Several workers (more than a pair) offered where nobody says "ik" or "wij", or where "wij"
    speak as a house ("bij ons", "ons huis"): a house or a go-between runs the ad ("Club X. Elke
    dag 6-8 dames.", "Vandaag: Lara, Kim en Roos", "Bij ons vandaag: Saar, Dana en Jill")."""
    workers = found.get("multiple_workers")
    if not workers or "third_party" in found:
        return
    if all(not _PAIR.isdisjoint(span.text.lower().split()) for span in workers.values()):
        return
    if not _WRITER_SPEAKS.isdisjoint(toks.norm) and (
        not _SINGULAR.isdisjoint(toks.norm) or not _house_speaks(toks)
    ):
        return
    first = min(workers)
    found["third_party"] = {first: workers[first]}


# "wij"/"ons" as a house, not as the workers themselves: "bij ons", "ons huis", "wij regelen".
_SINGULAR = frozenset({"ik", "i", "i'm", "im", "me", "mij", "mijn", "my", "mezelf", "myself"})
_HOUSE_AFTER_OURS = frozenset(
    {"huis", "pand", "privéhuis", "prive", "privé", "club", "salon", "studio", "villa", "kasteel",
     "gastenhuis", "bureau", "agency", "house", "place", "team", "receptie", "reception",
     "kantoor", "office", "rooster", "planning", "agenda"}
)  # fmt: skip
_HOUSE_VERBS = frozenset(
    {"regelen", "plannen", "houden", "sturen", "runnen", "run", "zorgen", "verwelkomen",
     "bieden", "stellen", "hebben", "arrange", "send", "have", "welcome", "offer", "book",
     "boeken", "bemiddelen"}
)  # fmt: skip


def _house_speaks(toks: Tokens) -> bool:
    """The writers speak as a house: "bij ons", "ons huis", "wij regelen", "our agency"; not
    when they introduce themselves as the workers ("wij zijn ...")."""
    norm = toks.norm
    for i in range(toks.n - 1):
        if norm[i] in {"wij", "we"} and norm[i + 1] in {"zijn", "are", ":", "("}:
            return False  # "Wij zijn Lieke, Mo en Jess": the workers introduce themselves
    for i in range(toks.n - 1):
        word, following = norm[i], norm[i + 1]
        if word in {"bij", "at", "with"} and following in {"ons", "us"}:
            if i + 2 < toks.n and norm[i + 2] in {"thuis", "home"}:
                continue  # "bij ons thuis": their own home
            return True
        if word in {"ons", "onze", "our"} and following in _HOUSE_AFTER_OURS:
            return True
        if word in {"wij", "we"} and following in _HOUSE_VERBS:
            return True
    return False
