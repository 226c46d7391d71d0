"""A readable account of one ad's analysis: what was found, where, and what stopped a match.

Used by `adwatch score --explain AD_ID` and `bench/quality.py --explain ID`. Lists the hits with
their evidence, the matches that do not count with the reason (a negation and its word, a quoted
client, a pet or relative, the worker's own independence), and what extraction read: phones
(marked when phonenumbers does not list the block), ages, prices per hour and places.
"""

from __future__ import annotations

from scoring.hits import SpanEvidence, Stopped, ValueEvidence
from scoring.pipeline import AdAnalysis
from scoring.score import Score

REASONS = {
    "negation": "ontkend",
    "quoted": "citaat van een klant",
    "about_other": "gaat over een ander (dier, voorwerp, familielid)",
    "self": "werkt zelfstandig",
    "first_person": "alleen 'zij' in een advertentie in de ik-vorm",
    "figurative": "beeldspraak of gevoel",
    "unit": "getal met eenheid",
    "hours": "openingstijden",
    "promotion": "aanbieding",
}


def _span(span: SpanEvidence | None) -> str:
    if span is None:
        return ""
    return f'"{span.text}" ({span.field} {span.start}-{span.end})'


def _evidence(item: object) -> str:
    if isinstance(item, SpanEvidence):
        return _span(item)
    if isinstance(item, ValueEvidence):
        detail = f" {item.detail}" if item.detail else ""
        return f"{item.name}={item.value}{detail} {_span(item.span)}".rstrip()
    return repr(item)


def _stopped(item: Stopped) -> str:
    reason = REASONS.get(item.reason, item.reason)
    cue = f" by {_span(item.cue)}" if item.cue is not None else ""
    form = f" [{item.detail}]" if item.detail else ""
    return f"  - {item.code}: {_span(item.span)} {reason}{cue}{form}"


def explain_lines(analysis: AdAnalysis, score: Score | None = None) -> list[str]:
    """The account as lines of text."""
    lines = []
    if score is not None:
        lines.append(f"score {score.value} tier {score.tier} ({score.rules_version})")
    lines.append("hits:")
    for hit in analysis.hits:
        lines.append(f"  + {hit.code} ({hit.weight})")
        lines.extend(f"      {_evidence(item)}" for item in hit.evidence)
    lines.append("stopped:")
    lines.extend(_stopped(item) for item in analysis.stopped)
    extraction = analysis.extraction
    lines.append("extracted:")
    for phone in extraction.phones:
        note = "" if phone.listed else " (06-vorm, blok niet in phonenumbers)"
        lines.append(f'  phone {phone.e164} "{phone.text}"{note}')
    lines.extend(f'  age {a.age} "{a.text}"' for a in extraction.ages)
    lines.extend(
        f'  price {p.euro}/uur ({p.amount} voor {p.minutes} min) "{p.text}"'
        for p in extraction.prices
    )
    lines.extend(
        f'  place {p.canonical} ({p.kind}{", in scope" if p.in_scope else ""}) "{p.text}"'
        for p in extraction.places
    )
    lines.extend(f"  failure {f.code}: {f.error}" for f in analysis.failures)
    return lines
