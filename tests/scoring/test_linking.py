"""Cross-ad linking and networks on small synthetic runs."""

from __future__ import annotations

from adwatch.imaging import decode_image, image_hashes
from scoring.linking import LinkAd, PhotoRef, link_ads
from scoring.networks import Edge, networks
from scoring.phones import phone_key
from tests.scoring.synthetic import abstract_image, crop_sides, jpeg_bytes

SECRET = b"test-secret"
K1, K2, K3 = (phone_key(f"+3161234{n:04d}", SECRET) for n in (1, 2, 3))
TEMPLATE = (
    "Hoi schat, ik ben {name} en ik ontvang je graag in een schone en rustige kamer in Houten. "
    "Ik neem echt de tijd voor je, geen haast en alles in overleg. Douche aanwezig, parkeren "
    "gratis voor de deur. Bel mij voor een afspraak op {phone} tussen twaalf en tien."
)


def _photo(image_id: int, seed: int, crop: bool = False) -> PhotoRef:
    image = abstract_image(seed)
    hashes = image_hashes(decode_image(jpeg_bytes(crop_sides(image) if crop else image)))
    return PhotoRef(image_id, hashes.all_phashes())


def _ad(ad_id, name, keys, text="", photos=()) -> LinkAd:
    versions = tuple(frozenset(k) for k in keys)
    return LinkAd(ad_id, name, versions, text or f"losse tekst nummer {ad_id}", tuple(photos))


def _codes(result, ad_id) -> set[str]:
    return {h.code for h in result.hits.get(ad_id, ())}


def test_phone_shared_needs_different_names(rules) -> None:
    ads = [
        _ad(1, "Lisa", [{K1}]),
        _ad(2, "Mila", [{K1}]),
        _ad(3, "Lisa", [{K2}]),
        _ad(4, "Lisa", [{K2}]),
    ]
    result = link_ads(ads, rules)
    assert "phone_shared" in _codes(result, 1) and "phone_shared" in _codes(result, 2)
    assert not _codes(result, 3) and not _codes(result, 4)
    evidence = result.hits[1][0].evidence[0]
    assert evidence.ad_ids == (2,) and evidence.key == K1


def test_phone_rotation_across_versions(rules) -> None:
    result = link_ads([_ad(1, "Lisa", [{K1}, {K2}])], rules)
    assert _codes(result, 1) == {"phone_rotation"}


def test_photo_reuse_and_rotation_through_shared_photos(rules) -> None:
    ads = [
        _ad(1, "Lisa", [{K1}], photos=[_photo(10, 1)]),
        _ad(2, "Mila", [{K2}], photos=[_photo(20, 1, crop=True)]),
        _ad(3, "Sara", [{K3}], photos=[_photo(30, 2)]),
    ]
    result = link_ads(ads, rules)
    assert {"photo_reuse", "phone_rotation"} <= _codes(result, 1)
    assert not _codes(result, 3)
    photo = next(h for h in result.hits[1] if h.code == "photo_reuse").evidence[0]
    assert (photo.image_id, photo.other_ad_id, photo.other_image_id) == (10, 2, 20)
    assert photo.distance <= rules.parameters.photo_max_distance


def test_text_template_shows_template_and_varying_parts(rules) -> None:
    ads = [
        _ad(i, name, [{key}], TEMPLATE.format(name=name, phone=phone))
        for i, name, key, phone in [
            (1, "Lisa", K1, "06 1234 0001"),
            (2, "Mila", K2, "06 1234 0002"),
        ]
    ]
    ads.append(
        _ad(3, "Sara", [{K3}], "Iets heel anders: massage in Schalkwijk, alleen op afspraak.")
    )
    result = link_ads(ads, rules)
    hit = next(h for h in result.hits[1] if h.code == "text_template")
    evidence = hit.evidence[0]
    assert evidence.ad_ids == (1, 2) and "{…}" in evidence.template
    assert "Lisa" in " ".join(evidence.varying[1]) and "Mila" in " ".join(evidence.varying[2])
    assert not _codes(result, 3)


def test_a_failing_method_is_recorded(rules, monkeypatch) -> None:
    import scoring.linking as linking

    monkeypatch.setattr(linking, "similar_pair_arrays", lambda *a, **k: 1 / 0)
    result = link_ads([_ad(1, "Lisa", [{K1}]), _ad(2, "Mila", [{K1}])], rules)
    assert [f.code for f in result.failures] == ["text_template"]
    assert "phone_shared" in _codes(result, 1)


def test_networks_have_stable_ids() -> None:
    edges = [Edge(5, 9, "phone_shared"), Edge(9, 12, "photo_reuse"), Edge(20, 21, "text_template")]
    found = networks(edges)
    assert [(n.network_id, n.ad_ids) for n in found] == [
        ("net-5", (5, 9, 12)),
        ("net-20", (20, 21)),
    ]
    assert networks(reversed(edges)) == found
