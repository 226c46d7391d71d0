"""The generated content holds every pattern and trap, with labels that match what is in the ads."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest

from application.demo import phrases
from application.demo.content import DAY_DATES, REGIONS, DemoAd, build_content
from application.demo.records import REUSE_VARIANTS

CONTENT = build_content(2026)
DAY1, DAY2 = list(CONTENT.days[1]), list(CONTENT.days[2])
INDICATORS = {
    "minor_cue", "young_age", "third_party", "multiple_workers", "new_arrival",
    "always_available", "unsafe_services", "low_price", "hotel_location", "multi_city",
    "phone_shared", "phone_rotation", "photo_reuse", "text_template",
}  # fmt: skip
TRAPS = {
    "trap:independent", "trap:houten_adjective", "trap:neighbour_town", "trap:in_scope_by_text",
    "trap:in_scope_by_region", "trap:not_a_phone", "trap:postcode",
}  # fmt: skip
# Catalogue phrases that must appear only in ads labelled with their indicator.
PHRASES = {
    "minor_cue": ["net 18", "pas 18", "schoolmeisje", "just turned 18", "17 jaar", "fresh"],
    "third_party": [
        "zij is",
        "ons meisje",
        "bel voor haar",
        "via de manager",
        "she is",
        "book her",
    ],
    "multiple_workers": ["meerdere dames", "new girls"],
    "new_arrival": ["nieuw in", "net aangekomen", "alleen deze week"],
    "always_available": ["24/7", "dag en nacht", "altijd"],
    "hotel_location": ["hotel"],
    "unsafe_services": ["condoom"],
    "trap:independent": ["zelfstandig", "voor mezelf"],
    "trap:houten_adjective": ["houten bed", "houten vloer"],
}


def with_label(label: str, ads: list[DemoAd] = DAY1) -> list[DemoAd]:
    return [ad for ad in ads if label in ad.labels]


def test_day_one_size_and_regions():
    listed = Counter(ad.region for ad in DAY1 if not ad.vip)
    assert len(DAY1) == 150
    assert 55 <= listed["houten"] <= 65
    assert set(listed) == set(REGIONS)
    assert sum(ad.vip for ad in DAY1) == 15
    assert any(ad.vip and ad.region == "houten" for ad in DAY1)


@pytest.mark.parametrize(
    ("label", "count"),
    [
        ("phone_shared", 5), ("phone_rotation", 3), ("photo_reuse", 8), ("text_template", 6),
        ("minor_cue", 5), ("third_party", 5), ("multiple_workers", 2), ("new_arrival", 3),
        ("always_available", 2), ("hotel_location", 2), ("multi_city", 1),
        ("unsafe_services", 1), ("low_price", 3), ("trap:independent", 4),
        ("trap:houten_adjective", 2), ("trap:in_scope_by_text", 1), ("trap:not_a_phone", 2),
        ("trap:postcode", 2),
    ],
)  # fmt: skip
def test_pattern_counts(label, count):
    assert len(with_label(label)) == count


def test_labels_use_known_codes_only():
    assert {label for ad in DAY1 + DAY2 for label in ad.labels} == INDICATORS | TRAPS


@pytest.mark.parametrize("label", sorted(PHRASES))
def test_catalogue_phrases_only_where_labelled(label):
    for ad in DAY1 + DAY2:
        found = [p for p in PHRASES[label] if p in f"{ad.title} {ad.text}".lower()]
        assert bool(found) == (label in ad.labels), (ad.id, found)


def test_ages_and_prices_match_their_labels():
    for ad in DAY1:
        assert (ad.age is not None and ad.age <= 20) == ("young_age" in ad.labels), ad.id
        assert ad.age is None or 18 <= ad.age <= 45
        hourly = int(dict(ad.prices)["1 uur"].removeprefix("€ "))
        assert (hourly <= 60) == ("low_price" in ad.labels)
        assert 40 <= hourly <= 250


def test_stated_age_17_is_in_the_text_of_a_vip_ad_without_age():
    (ad,) = [ad for ad in with_label("minor_cue") if ad.age is None]
    assert "17 jaar" in ad.text and ad.vip and ad.region == "houten"


def test_phones_are_placeholders():
    for ad in DAY1 + DAY2:
        assert re.fullmatch(r"0612340\d{3}|061234[1-9]\d{3}", ad.phone_digits), ad.phone
        assert re.fullmatch(r"(06-1234 ?|06 1234 |\+31 6 1234 )\d{4}", ad.phone), ad.phone


def test_only_the_shared_group_shares_a_number():
    counts = Counter(ad.phone_digits for ad in DAY1)
    (shared,) = [digits for digits, n in counts.items() if n > 1]
    group = [ad for ad in DAY1 if ad.phone_digits == shared]
    assert {ad.id for ad in group} == {ad.id for ad in with_label("phone_shared")}
    assert len({ad.name for ad in group}) == 5
    assert len({img for ad in group for img in ad.images}) == sum(len(ad.images) for ad in group)


def test_rotated_phones_change_and_nothing_else():
    day2 = {ad.id: ad for ad in DAY2}
    for ad in with_label("phone_rotation"):
        after = day2[ad.id]
        assert after.phone_digits != ad.phone_digits
        assert (after.name, after.images, after.text) == (ad.name, ad.images, ad.text)
    assert set(CONTENT.changes.rotated) == {ad.id for ad in with_label("phone_rotation")}


def test_each_reused_photo_is_a_variant_in_an_ad_with_another_name_and_number():
    by_image = {img: ad for ad in DAY1 for img in ad.images}
    reused = [spec for spec in CONTENT.images.values() if spec.variant != "original"]
    assert sorted(spec.variant for spec in reused) == sorted(REUSE_VARIANTS)
    for spec in reused:
        (original,) = [s for s in CONTENT.images.values() if s.base == spec.base and s is not spec]
        first, second = by_image[original.name], by_image[spec.name]
        assert first.name != second.name and first.phone_digits != second.phone_digits
        assert {"photo_reuse"} <= first.labels & second.labels


def test_text_template_varies_only_name_age_town():
    ads = with_label("text_template")
    skeletons = set()
    for ad in ads:
        skeleton = ad.text.replace(ad.name, "{name}").replace(str(ad.age), "{age}")
        skeletons.add(skeleton.replace(ad.town, "{town}"))
    assert len(skeletons) == 1
    assert len({ad.name for ad in ads}) == len({ad.phone_digits for ad in ads}) == 6


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return set(zip(*(words[i:] for i in range(4)), strict=False))


def test_no_accidental_templates_between_other_ads():
    others = [shingles(ad.text) for ad in DAY1 if "text_template" not in ad.labels]
    for a, b in itertools.combinations(others, 2):
        assert len(a & b) / len(a | b) < 0.5


def test_texts_are_400_to_1200_characters():
    assert all(400 <= len(ad.text) <= 1200 for ad in DAY1 + DAY2)
    assert sum(ad.lang == "en" for ad in DAY1) >= 5


def test_scope_traps():
    for ad in with_label("trap:houten_adjective"):
        assert ad.region in {"utrecht", "nieuwegein"} and not ad.in_scope
    (schalkwijk,) = with_label("trap:in_scope_by_text")
    assert schalkwijk.region == "nieuwegein" and schalkwijk.in_scope
    assert "Schalkwijk" in schalkwijk.text
    for ad in with_label("trap:in_scope_by_region"):
        assert ad.region == "houten" and "Houten" not in ad.text and ad.in_scope
    for ad in with_label("trap:independent"):
        assert ad.region == "houten" and not ad.labels & INDICATORS
    assert all(not ad.in_scope for ad in with_label("trap:neighbour_town"))
    (multi,) = with_label("multi_city")
    assert all(town in multi.text for town in ("Houten", "Utrecht", "Amersfoort"))


def test_not_a_phone_and_postcode_traps():
    assert all("06:00" in ad.text for ad in with_label("trap:not_a_phone"))
    assert any("06:00" in duur for ad in DAY1 for duur, _ in ad.prices)
    assert all(re.search(r"\b399\d [A-Z]{2}\b", ad.text) for ad in with_label("trap:postcode"))


def test_day_two_changes():
    changes, day1 = CONTENT.changes, {ad.id: ad for ad in DAY1}
    day2 = {ad.id: ad for ad in DAY2}
    assert (len(changes.added), len(changes.removed), len(changes.edited)) == (6, 5, 8)
    assert set(day2) == set(day1) - set(changes.removed) | set(changes.added)
    assert all(day2[i].posted == DAY_DATES[2] for i in changes.added)
    assert all(int(i) > max(map(int, day1)) for i in changes.added)
    for ad_id in changes.edited:
        before, after = day1[ad_id], day2[ad_id]
        assert (before.text, before.prices) != (after.text, after.prices)
        assert (before.name, before.phone, before.images) == (after.name, after.phone, after.images)
    untouched = set(day2) - set(changes.added) - set(changes.edited) - set(changes.rotated)
    assert all(day1[i] == day2[i] for i in untouched)


def test_posted_dates_are_not_after_the_day():
    assert all(ad.posted <= DAY_DATES[1] for ad in DAY1)
    assert all(ad.posted <= DAY_DATES[2] for ad in DAY2)


def test_same_seed_same_content_and_other_seed_differs():
    assert build_content(2026) == CONTENT
    other = build_content(7)
    assert other.days[1] != CONTENT.days[1]
    assert len(other.days[1]) == 150


def test_too_few_ads_is_refused():
    with pytest.raises(ValueError, match="n_ads"):
        build_content(2026, n_ads=20)


def test_names_are_from_the_invented_list():
    assert {ad.name for ad in DAY1 + DAY2} <= set(phrases.NAMES)
