"""A large linked group costs each ad a bounded amount of evidence, not the whole group."""

from __future__ import annotations

from scoring.hits import MAX_LINKED
from scoring.linking import LinkAd, link_ads
from scoring.networks import networks
from scoring.phones import phone_key

SECRET = b"test-secret"
GROUP = 60
TEMPLATE = (
    "Hoi schat, ik ben {name} en ik ontvang je graag in een schone en rustige kamer in Houten. "
    "Ik neem echt de tijd voor je, geen haast en alles in overleg. Douche aanwezig, parkeren "
    "gratis voor de deur. Bel mij voor een afspraak tussen twaalf en tien. Tot snel, {name}."
)


def _group() -> list[LinkAd]:
    shared = frozenset({phone_key("+31612340001", SECRET)})
    return [
        LinkAd(n, f"Naam{n}", (shared,), TEMPLATE.format(name=f"Naam{n}"))
        for n in range(1, GROUP + 1)
    ]


def _hit(result, ad_id: int, code: str):
    return next(h for h in result.hits[ad_id] if h.code == code)


def test_shared_phone_evidence_keeps_a_bounded_sample_and_the_total(rules) -> None:
    result = link_ads(_group(), rules)
    for ad_id in (1, GROUP):
        (link,) = _hit(result, ad_id, "phone_shared").evidence
        assert len(link.ad_ids) == MAX_LINKED and link.total == GROUP - 1
        assert ad_id not in link.ad_ids


def test_template_evidence_shows_this_ad_first_and_the_group_size(rules) -> None:
    result = link_ads(_group(), rules)
    (item,) = _hit(result, 40, "text_template").evidence
    assert item.ad_ids[0] == 40 and len(item.ad_ids) == MAX_LINKED
    assert set(item.varying) == set(item.ad_ids) and item.group_size == GROUP
    assert any("Naam40" in part for part in item.varying[40])


def test_the_network_still_holds_every_member(rules) -> None:
    result = link_ads(_group(), rules)
    (network,) = networks(result.edges)
    assert len(network.ad_ids) == GROUP
