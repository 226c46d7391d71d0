"""What the report shows, in words for its reader (police, court): Dutch labels instead of codes,
times in Europe/Amsterdam with UTC beside them, quoted and highlighted evidence, photos and
screenshots with their hashes.

Runs inside `report.report_html`, from the ad.json documents and the pack's members, so the
report says nothing the data does not.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from adwatch.vocabulary import CAPTURE_KINDS, DECISIONS, PARTNERS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
CONTEXT = 80


def nl_time(value: str | None) -> str:
    """'2 maart 2026, 11:00:05 (10:00:05 UTC)' from an ISO time; '' for none."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    local = moment.astimezone(AMSTERDAM)
    utc = moment.astimezone(ZoneInfo("UTC"))
    day = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
    return f"{day}, {local:%H:%M:%S} ({utc:%H:%M:%S} UTC)"


def decision_words(decision: dict[str, Any]) -> str:
    """A decision as a sentence: who decided what, on which ad or network, and to whom."""
    status = DECISIONS.get(decision["status"], decision["status"])
    text = f"{decision['by']} besloot: {status.lower()}"
    if decision.get("partner"):
        text += f", doorgezet naar {PARTNERS.get(decision['partner'], decision['partner'])}"
    subject = decision["on"].replace("ad ", "advertentie ").replace("network ", "netwerk ")
    return f"{text} (voor {subject})."


def highlighted(text: str, start: int, end: int) -> Markup:
    """The evidence in its context: the matched words marked, the rest quoted around them."""
    if not (0 <= start < end <= len(text)):
        return Markup("")
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    lead = "…" if start > CONTEXT else ""
    tail = "…" if end + CONTEXT < len(text) else ""
    marked = Markup("<mark>{}</mark>").format(text[start:end])
    return Markup("„{}{}{}{}{}”").format(lead, before, marked, after, tail)


def signals(ad: dict[str, Any], labels: dict[str, str]) -> list[dict[str, Any]]:
    """Each indicator hit in words, with its evidence quoted from the version it was found in."""
    texts = {v["version_id"]: v["text"] or "" for v in ad["versions"]}
    shown = []
    for hit in ad["indicator_hits"]:
        evidence = hit["evidence"] if isinstance(hit["evidence"], list) else [hit["evidence"]]
        shown.append(
            {
                "label": labels.get(hit["code"], hit["code"]),
                "code": hit["code"],
                "weight": hit["weight"],
                "quotes": [_quote(e, texts.get(hit["version_id"], "")) for e in evidence],
                "linked": sorted({a for e in evidence for a in _linked(e)} - {ad["ad_id"]}),
                "rules_version": hit["rules_version"],
            }
        )
    return shown


def _quote(evidence: Any, text: str) -> Markup:
    if not isinstance(evidence, dict):
        return escape(str(evidence))
    start, end = evidence.get("start"), evidence.get("end")
    if isinstance(start, int) and isinstance(end, int) and text[start:end]:
        return highlighted(text, start, end)
    span = evidence.get("span")
    return Markup("„<mark>{}</mark>”").format(span) if span else escape(_plain(evidence))


def _plain(evidence: dict[str, Any]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in evidence.items() if k != "linked_ads")


def _linked(evidence: Any) -> list[int]:
    if not isinstance(evidence, dict):
        return []
    return [a for a in evidence.get("linked_ads") or [] if isinstance(a, int)]


def data_uri(data: bytes) -> str:
    """A PNG as a data: URI, so the report loads nothing from anywhere."""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def photos(ad: dict[str, Any], members: dict[str, bytes]) -> list[dict[str, Any]]:
    """The ad's photos (each once): the upright view embedded, the original's hash beside it."""
    seen: dict[str, dict[str, Any]] = {}
    for version in ad["versions"]:
        for image in version["images"]:
            view = members.get(image["view"])
            if view is not None and image["hash"] not in seen:
                seen[image["hash"]] = {**image, "uri": data_uri(view)}
    return list(seen.values())


def screenshots(ad: dict[str, Any], members: dict[str, bytes]) -> list[dict[str, Any]]:
    """The screenshots of the ad's rendered pages, embedded, with their hashes and times."""
    found = []
    for capture in ad["captures"]:
        data = members.get(capture.get("screenshot") or "")
        if data is not None:
            found.append({**capture, "uri": data_uri(data)})
    return found


def kind_words(kind: str) -> str:
    """What a capture is, in Dutch."""
    return CAPTURE_KINDS.get(kind, kind)


def contents(members: list[Any], ads: list[dict[str, Any]]) -> dict[str, int]:
    """How many of each thing the pack holds, for the first page."""
    names = [m.path for m in members]
    return {
        "advertenties": len(ads),
        "opnames": sum(len(ad["captures"]) for ad in ads),
        "foto's": sum(1 for n in names if n.startswith("images/original/")),
        "schermafbeeldingen": sum(1 for n in names if n.startswith("screenshots/")),
    }
