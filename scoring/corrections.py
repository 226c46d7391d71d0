"""Edited ads: what an update takes back no longer counts; the ad is read as it stands NOW.

Ads are edited over weeks ("UPDATE:", "EDIT:", "CORRECTIE:"), and the old lines often stay. A
signal counts only where the ad still says it:
- a struck-out part ("~~24/7~~") and a part marked old ("(oud) wij zijn met 3 dames",
  "~~Zeist~~ (oud adres)", "(was: duo met Fleur)", "Eerst: Houten + Utrecht.", "was 3 dames, nu
  alleen ik") is retracted: no match inside it counts (`retractions`, `inside`);
- a signal taken back in words ("24/7 is voorbij", "geen duo meer", "hotelbezoeken gestopt",
  "no longer available 24/7") takes back every other mention of that signal in the ad, except a
  later one said again ("nu weer 24/7"; `is_retraction`, `taken_back`);
- a worker said to have left ("Fleur is gestopt", "Mia werkt hier niet meer") is no longer
  spoken about as someone the ad offers (`has_left`).
A line that adds a signal adds it as any line does. Offsets are those of the ad's combined text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scoring.hits import SpanEvidence, Stopped
from scoring.tokens import Tokens


@dataclass(frozen=True)
class Retraction:
    """A part of the text an edit takes back, and the mark that says so (character offsets)."""

    start: int
    end: int
    cue_start: int
    cue_end: int


_STRUCK = re.compile(r"~~([^~\n]{1,200})~~")
# "(oud)", "(old)", "[oud adres]", "(vervallen)", "(niet meer)": a short note in brackets.
_OLD_NOTE = re.compile(
    r"[(\[]\s*(?:oud|oude|old|vervallen|verlopen|verouderd|outdated|expired|gestopt|"
    r"niet meer|no longer|not anymore)\b[^:)\]\n]{0,25}[)\]]",
    re.I,
)
# "(was: duo met Fleur)", "(eerst: Zeist)": the bracket holds the old text itself.
_WAS_NOTE = re.compile(
    r"[(\[]\s*(?:(?:was|eerst|vroeger|voorheen|previously|formerly)\s*:?|(?:oud|old)\s*:)"
    r"\s*([^)\]\n]{1,80})[)\]]",
    re.I,
)
# "Eerst: Houten + Utrecht.", "Oud: alles mag", "Previously: 24/7": a label opening a segment.
_OLD_LABEL = re.compile(
    r"(?:^|(?<=[\n.!?:]))\W{0,3}(?:oud|old|eerst|vroeger|voorheen|previously|formerly|"
    r"oude tekst|old text)\s*:",
    re.I,
)
# "was 3 dames, nu alleen ik", "was: 2 girls, now just me".
_WAS_NOW = re.compile(r"\b(?:was|were)\b\s*:?\s*([^.!?\n,;]{1,60}),?\s*(?:nu|now)\b", re.I)
# Where a segment ends: a line break, a sentence mark, or the next update label.
_SEGMENT_END = re.compile(
    r"\n|[.!?](?=\s|$)|\b(?:EDIT|UPDATE|UPD|CORRECTIE|CORRECTION|NIEUW|NEW)\b\s*:?|"
    r"\b(?:edit|update|correctie|correction)\s*:",
)
_SEGMENT_START = re.compile(
    r"\n|[.!?,;]\s|\b(?:edit|update|upd|correctie|correction|nu|now)\s*:?\s", re.I
)
_REST_OF_SENTENCE = re.compile(r"[^\S\n]*([^\s.!?,;:][^\n.!?]*)")


def retractions(text: str) -> tuple[Retraction, ...]:
    """The parts of `text` an edit marks as struck out or old."""
    if not _MAYBE.search(text):
        return ()
    found: list[Retraction] = []
    for m in _STRUCK.finditer(text):
        found.append(Retraction(m.start(), m.end(), m.start(), m.start() + 2))
    for m in _WAS_NOTE.finditer(text):
        found.append(Retraction(m.start(1), m.end(1), m.start(), m.start(1)))
    for m in _OLD_NOTE.finditer(text):
        found.append(_old_note(text, m.start(), m.end()))
    for m in _OLD_LABEL.finditer(text):
        found.append(Retraction(m.end(), _segment_end(text, m.end()), m.start(), m.end()))
    for m in _WAS_NOW.finditer(text):
        found.append(Retraction(m.start(1), m.end(1), m.start(), m.start(1)))
    return tuple(r for r in found if r.end > r.start)


_MAYBE = re.compile(r"~~|\b(?:oud|oude|old|was|were|eerst|vroeger|voorheen|previously|formerly|"
                    r"vervallen|verlopen|verouderd|outdated|expired|gestopt|niet meer|no longer|"
                    r"not anymore)\b", re.I)  # fmt: skip


def _old_note(text: str, start: int, end: int) -> Retraction:
    """ "(oud) alles mag": the rest of the line is old; "~~Zeist~~ (oud adres).": what stands
    before the note in its sentence is."""
    rest = _REST_OF_SENTENCE.match(text, end)
    if rest is not None and rest.group(1).strip(" -–—:~"):
        return Retraction(end, _segment_end(text, end), start, end)
    return Retraction(_segment_start(text, start), start, start, end)


def _segment_end(text: str, start: int) -> int:
    stop = _SEGMENT_END.search(text, start)
    return stop.start() if stop else len(text)


def _segment_start(text: str, end: int) -> int:
    starts = [m.end() for m in _SEGMENT_START.finditer(text, 0, end)]
    return starts[-1] if starts else 0


def inside(found: Sequence[Retraction], start: int, end: int) -> Retraction | None:
    """The retraction that holds the start of text[start:end] (a match may run on past the
    mark: "~~dag & nacht~~."), if any."""
    for r in found:
        if r.start <= start < r.end and end > start:
            return r
    return None


# A denial that takes something back, not one that never claimed it: "24/7 is voorbij", "geen
# duo meer", "niet meer in Zeist", "no longer", "not anymore" ("niet meer dan 2 uur" compares).
_TAKEN_BACK_WORDS = frozenset(
    {"gestopt", "voorbij", "vervallen", "vervalt", "verleden", "stopped", "discontinued"}
)
_NO_MORE = re.compile(
    r"(?:niet|geen|nooit|no|not|❌|🚫)\b[^.!?\n]{0,40}?\b(?:meer|langer|longer|anymore|more)\b"
    r"(?!\s+(?:dan|than|als)\b)",
    re.I,
)


def is_retraction(text: str, cue_start: int, cue_end: int) -> bool:
    """Whether the denial word at text[cue_start:cue_end] takes an earlier claim back."""
    if text[cue_start:cue_end].lower() in _TAKEN_BACK_WORDS:
        return True
    return _NO_MORE.match(text, cue_start, cue_start + 60) is not None


# Said again after a retraction: "nu weer 24/7", "now again", "vanaf nu toch weer".
_AGAIN = frozenset({"weer", "again", "opnieuw"})


def said_again(doc: Tokens, start: int) -> bool:
    """Whether the sentence of token `start` says the signal again ("nu weer 24/7")."""
    first, stop = doc.clause_around(start)
    return not _AGAIN.isdisjoint(doc.norm[first + 1 : stop])


# A worker who left: "Fleur is gestopt", "Mia werkt hier niet meer", "Sandy is vertrokken".
_LEFT = frozenset({"gestopt", "vertrokken", "weg", "stopped", "left", "quit", "gone"})
_LEFT_REACH = 4
_NOT = frozenset({"niet", "not"})
_MORE = frozenset({"meer", "anymore"})


def has_left(doc: Tokens, end: int) -> tuple[int, int] | None:
    """The word saying the subject of a third-person match has left, in its clause."""
    stop = min(doc.n, end + _LEFT_REACH)
    for i in range(end, stop):
        if doc.text[i] in {".", "!", "?", ",", ";"} or doc.is_line_break(i):
            return None
        if doc.norm[i] in _LEFT:
            return doc.offsets(i)
        if doc.norm[i] in _NOT and i + 1 < doc.n and doc.norm[i + 1] in _MORE:
            return doc.offsets(i)
    return None


# Third-party evidence is of many kinds ("geen manager meer" says nothing of "bel haar vriend"):
# only the signals that are one claim are taken back whole.
_WHOLE_CLAIMS = frozenset(
    {"always_available", "new_arrival", "multiple_workers", "unsafe_services", "hotel_location"}
)


def taken_back(
    text: str,
    doc: Tokens,
    found: dict[str, dict[tuple[int, int], SpanEvidence]],
    stopped: list[Stopped],
    combined: Callable[[SpanEvidence], int],
) -> None:
    """Drop from `found` every mention of a signal that a denial takes back ("24/7 is voorbij",
    "geen duo meer"), except a later one said again; each dropped one is recorded in `stopped`."""
    backs: dict[str, tuple[int, Stopped]] = {}
    denied: dict[tuple[str, str], Stopped] = {}
    for s in stopped:
        if s.code not in found or s.code not in _WHOLE_CLAIMS or s.reason != "negation":
            continue
        if s.detail != "question":  # a bare question denies nothing elsewhere ("Zin in een duo?")
            denied.setdefault((s.code, _said(s.span)), s)
        if s.cue is None or s.code in backs:
            continue
        cue = combined(s.cue)
        if is_retraction(text, cue, cue + len(s.cue.text)):
            backs[s.code] = (combined(s.span), s)
    _same_words_denied(doc, found, stopped, denied, combined)
    for code, (at, back) in backs.items():
        for key, span in list(found.get(code, {}).items()):
            start = combined(span)
            if start > at and said_again(doc, _token_at(doc, start)):
                continue
            del found[code][key]
            stopped.append(Stopped(code, span, "retracted", back.cue, "taken back"))
        if code in found and not found[code]:
            del found[code]


def _token_at(doc: Tokens, offset: int) -> int:
    return max(0, bisect.bisect_right(doc.idx, offset) - 1)


def _said(span: SpanEvidence) -> str:
    return " ".join(span.text.lower().split())


def _same_words_denied(
    doc: Tokens,
    found: dict[str, dict[tuple[int, int], SpanEvidence]],
    stopped: list[Stopped],
    denied: dict[tuple[str, str], Stopped],
    combined: Callable[[SpanEvidence], int],
) -> None:
    """A claim denied once is denied where the same words stand again: a title "Always open"
    over "People ask if I'm always open. Nope!" (not where it is said again later)."""
    for (code, said), denial in denied.items():
        for key, span in list(found.get(code, {}).items()):
            start = combined(span)
            if start > combined(denial.span) and said_again(doc, _token_at(doc, start)):
                continue
            if _said(span) == said:
                del found[code][key]
                stopped.append(Stopped(code, span, "negation", denial.cue, "the same words denied"))
        if code in found and not found[code]:
            del found[code]
