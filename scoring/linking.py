"""Cross-ad linking, the third scoring step: shared or rotating phones, reused photos, templates.

`link_ads(ads, rules)` takes one `LinkAd` per ad (its name, the keyed phone hashes of its versions
within the window, latest text, and photo hashes) and returns per-ad hits with evidence plus the
edges that `scoring.networks` turns into networks. Each method runs guarded: one failing method is
logged and recorded, the others still run. Photos are matched through `PhotoIndex` (never all
pairs), texts through MinHash LSH.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from scoring.hits import (
    MAX_LINKED,
    AdId,
    Evidence,
    Failure,
    Hit,
    LinkEvidence,
    PhotoEvidence,
    TemplateEvidence,
    ValueEvidence,
    guarded,
)
from scoring.networks import Edge, components
from scoring.photoindex import PhotoIndex, hex_to_array
from scoring.rules import Rules
from scoring.texttemplates import shared_template, similar_pair_arrays


@dataclass(frozen=True)
class PhotoRef:
    """One stored image of an ad: its id and its pHashes (whole image first, then crops)."""

    image_id: int
    phashes: tuple[str, ...]


@dataclass(frozen=True)
class LinkAd:
    """What linking needs of one ad; phone keys are `phone_key` hashes, oldest version first."""

    ad_id: AdId
    name: str | None
    phone_keys_by_version: tuple[frozenset[str], ...]
    text: str
    photos: tuple[PhotoRef, ...] = ()

    @property
    def phone_keys(self) -> frozenset[str]:
        """Every phone key of every version."""
        return frozenset().union(*self.phone_keys_by_version)

    @property
    def person(self) -> str | None:
        """The name, normalised for comparison; None when unknown."""
        return " ".join(self.name.casefold().split()) if self.name else None


@dataclass(frozen=True)
class LinkResult:
    """Hits per ad id, the edges between linked ads, and recorded failures."""

    hits: dict[AdId, tuple[Hit, ...]]
    edges: tuple[Edge, ...]
    failures: tuple[Failure, ...] = field(default_factory=tuple)


def different_people(a: LinkAd, b: LinkAd) -> bool:
    """True when two ads show another name, or other phone numbers."""
    if a.person and b.person and a.person != b.person:
        return True
    return bool(a.phone_keys and b.phone_keys and a.phone_keys != b.phone_keys)


def link_ads(ads: Sequence[LinkAd], rules: Rules) -> LinkResult:
    """Run every linking method over the ads of one scoring run."""
    failures: list[Failure] = []
    found: dict[AdId, list[Hit]] = defaultdict(list)
    edges: list[Edge] = []
    photo_pairs = guarded("photo_reuse", None, failures, lambda: photo_matches(ads, rules)) or []
    methods = {
        "phone_shared": lambda: phone_shared(ads, rules),
        "phone_rotation": lambda: phone_rotation(ads, photo_pairs, rules),
        "photo_reuse": lambda: photo_reuse(ads, photo_pairs, rules),
        "text_template": lambda: text_template(ads, rules),
    }
    for code, method in methods.items():
        result = guarded(code, None, failures, method)
        if result is None:
            continue
        hits, method_edges = result
        edges.extend(method_edges)
        for ad_id, hit in hits:
            found[ad_id].append(hit)
    return LinkResult({k: tuple(v) for k, v in found.items()}, tuple(edges), tuple(failures))


HitList = list[tuple[AdId, Hit]]


def first_others(group: Sequence[AdId], ad_id: AdId) -> tuple[AdId, ...]:
    """The linked ids an ad's evidence keeps: the smallest (so the choice is stable) of the
    sorted, distinct group without `ad_id`.

    Only the group's head can be kept, so a group of thousands costs each member a few steps,
    not a pass over the whole group.
    """
    return tuple(i for i in group[: MAX_LINKED + 1] if i != ad_id)[:MAX_LINKED]


def phone_shared(ads: Sequence[LinkAd], rules: Rules) -> tuple[HitList, list[Edge]]:
    """One phone key on ads with different names."""
    by_key: dict[str, list[LinkAd]] = defaultdict(list)
    for ad in ads:
        for key in ad.phone_keys:
            by_key[key].append(ad)
    evidence: dict[AdId, list[Evidence]] = defaultdict(list)
    edges: list[Edge] = []
    for key, group in sorted(by_key.items()):
        if len({ad.person for ad in group if ad.person}) < 2:
            continue
        ids = tuple(sorted(ad.ad_id for ad in group))
        edges += [Edge(ids[0], other, "phone_shared") for other in ids[1:]]
        for ad in group:
            evidence[ad.ad_id].append(
                LinkEvidence(first_others(ids, ad.ad_id), via="phone", key=key, total=len(ids) - 1)
            )
    return _hits("phone_shared", evidence, rules), edges


@dataclass(frozen=True)
class PhotoPair:
    """Two images of two ads within the Hamming threshold."""

    ad_a: AdId
    image_a: int
    ad_b: AdId
    image_b: int
    distance: int


def photo_matches(ads: Sequence[LinkAd], rules: Rules) -> list[PhotoPair]:
    """Pairs of images in different ads whose closest pHashes lie within the threshold."""
    owners: list[tuple[int, int]] = []
    hashes: list[str] = []
    for number, ad in enumerate(ads):
        for photo in ad.photos:
            for phash in photo.phashes:
                owners.append((number, photo.image_id))
                hashes.append(phash)
    if not hashes:
        return []
    values = hex_to_array(hashes)
    index = PhotoIndex(values, radius=rules.parameters.photo_max_distance)
    best: dict[tuple[int, int, int, int], int] = {}
    for position, matches in _matches_in_batches(index, values):
        ad_a, image_a = owners[position]
        distances = np.bitwise_count(values[matches] ^ values[position])
        for match, distance in zip(matches.tolist(), distances.tolist(), strict=True):
            ad_b, image_b = owners[match]
            if ad_a < ad_b:
                pair = (ad_a, image_a, ad_b, image_b)
                best[pair] = min(best.get(pair, 64), int(distance))
    return [
        PhotoPair(ads[a].ad_id, ia, ads[b].ad_id, ib, d)
        for (a, ia, b, ib), d in sorted(best.items())
    ]


# Queries per index call: the index's work arrays grow with the queries of one call (hundreds of
# bytes each), so all of 100,000 ads' photos at once would take gigabytes for a moment.
PHOTO_QUERY_BATCH = 1024


def _matches_in_batches(index: PhotoIndex, values: np.ndarray):
    """(position, matching positions) for every value, querying the index a batch at a time."""
    for start in range(0, len(values), PHOTO_QUERY_BATCH):
        batch = index.query_many(values[start : start + PHOTO_QUERY_BATCH])
        yield from enumerate(batch, start)


def photo_reuse(
    ads: Sequence[LinkAd], pairs: Sequence[PhotoPair], rules: Rules
) -> tuple[HitList, list[Edge]]:
    """A photo within the threshold of a photo in an ad with another name or number."""
    by_id = {ad.ad_id: ad for ad in ads}
    evidence: dict[AdId, list[Evidence]] = defaultdict(list)
    edges: list[Edge] = []
    for pair in pairs:
        if not different_people(by_id[pair.ad_a], by_id[pair.ad_b]):
            continue
        edges.append(Edge(pair.ad_a, pair.ad_b, "photo_reuse"))
        evidence[pair.ad_a].append(
            PhotoEvidence(pair.image_a, pair.ad_b, pair.image_b, pair.distance)
        )
        evidence[pair.ad_b].append(
            PhotoEvidence(pair.image_b, pair.ad_a, pair.image_a, pair.distance)
        )
    return _hits("photo_reuse", evidence, rules), edges


def phone_rotation(
    ads: Sequence[LinkAd], pairs: Sequence[PhotoPair], rules: Rules
) -> tuple[HitList, list[Edge]]:
    """Two or more numbers on one ad across its versions, or on ads that share photos."""
    evidence: dict[AdId, list[Evidence]] = defaultdict(list)
    for ad in ads:
        versions = [v for v in ad.phone_keys_by_version if v]
        if len(ad.phone_keys) >= 2 and len(set(versions)) >= 2:
            evidence[ad.ad_id].append(
                ValueEvidence("phone_keys", sorted(ad.phone_keys), {"versions": len(versions)})
            )
    by_id = {ad.ad_id: ad for ad in ads}
    edges = [Edge(p.ad_a, p.ad_b, "phone_rotation") for p in pairs]
    for group in components(edges):
        keys = {ad_id: by_id[ad_id].phone_keys for ad_id in group}
        if len(frozenset().union(*keys.values())) >= 2 and len(set(keys.values())) >= 2:
            for ad_id in group:
                evidence[ad_id].append(
                    LinkEvidence(first_others(group, ad_id), via="photo", total=len(group) - 1)
                )
    used = [e for e in edges if e.a in evidence and e.b in evidence]
    return _hits("phone_rotation", evidence, rules), used


def text_template(ads: Sequence[LinkAd], rules: Rules) -> tuple[HitList, list[Edge]]:
    """Near-duplicate texts on ads with different names or numbers, with the shared template."""
    params = rules.parameters
    first, second, estimates = similar_pair_arrays(
        [ad.text for ad in ads], params.text_min_jaccard, params.text_shingle_words
    )
    edges = _template_edges(ads, first, second)
    by_id = {ad.ad_id: ad for ad in ads}
    evidence: dict[AdId, list[Evidence]] = defaultdict(list)
    groups = components(edges)
    lows = _lowest_similarity(ads, groups, first, second, estimates)
    for number, group in enumerate(groups):
        template, varying = shared_template([by_id[i].text for i in group])
        parts = dict(zip(group, varying, strict=True))
        for ad_id in group:
            shown = (ad_id, *first_others(group, ad_id)[: MAX_LINKED - 1])
            evidence[ad_id].append(
                TemplateEvidence(
                    shown,
                    template,
                    {i: parts[i] for i in shown},
                    round(float(lows[number]), 3),
                    group_size=len(group),
                )
            )
    return _hits("text_template", evidence, rules), edges


def _template_edges(ads: Sequence[LinkAd], first: np.ndarray, second: np.ndarray) -> list[Edge]:
    """An edge per similar pair of ads with different names or numbers."""
    edges = []
    step = 1 << 16  # the pairs as Python ints a slice at a time
    for start in range(0, len(first), step):
        part = slice(start, start + step)
        for i, j in zip(first[part].tolist(), second[part].tolist(), strict=True):
            if different_people(ads[i], ads[j]):
                edges.append(Edge(ads[i].ad_id, ads[j].ad_id, "text_template"))
    return edges


def _lowest_similarity(
    ads: Sequence[LinkAd],
    groups: Sequence[tuple[AdId, ...]],
    first: np.ndarray,
    second: np.ndarray,
    estimates: np.ndarray,
) -> np.ndarray:
    """Per group, the lowest similarity among the pairs inside it, in one pass over the pairs."""
    position = {ad.ad_id: k for k, ad in enumerate(ads)}
    group_at = np.full(len(ads), -1, dtype=np.int64)
    for number, group in enumerate(groups):
        group_at[[position[ad_id] for ad_id in group]] = number
    inside = (group_at[first] >= 0) & (group_at[first] == group_at[second])
    lows = np.full(len(groups), np.inf)
    np.minimum.at(lows, group_at[first][inside], estimates[inside])
    return lows


def _hits(code: str, evidence: dict[AdId, list[Evidence]], rules: Rules) -> HitList:
    # A photo reused in hundreds of ads gives each a pair per ad: keep a bounded, stable few.
    weight = rules.weight(code)
    return [
        (ad_id, Hit(code, weight, tuple(items[:MAX_LINKED])))
        for ad_id, items in sorted(evidence.items())
    ]
