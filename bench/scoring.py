"""Speed of the scoring layer, each figure beside a baseline measured in the same run.

Run `python bench/scoring.py [--quick]`. Sections: text scoring end to end, phone extraction vs
`phonenumbers.PhoneNumberMatcher`, perceptual hashing vs `imagehash.phash(Image.open(f))`, the
photo index vs a numpy `bitwise_count` scan (1,000,000 hashes, radius 8), MinHash + LSH.
Figures are printed, never asserted: timings depend on the machine.
"""

# ruff: noqa: E402
from __future__ import annotations

import sys
from pathlib import Path

# This file shares its name with the package it measures: keep its folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import io
import random
import statistics
import time
from collections.abc import Callable

import imagehash
import numpy as np
import phonenumbers
from datasketch import MinHash
from PIL import Image

from adwatch.config.scope import LocationMatcher
from adwatch.imaging import decode_image, hamming, image_hashes
from scoring.indicators import AdContext, AdText
from scoring.linking import LinkAd, link_ads
from scoring.phones import _parse_e164, find_phones, phone_key
from scoring.photoindex import PhotoIndex
from scoring.pipeline import AdScorer
from scoring.rules import default_rules_path, load_rules
from scoring.score import score_ad
from scoring.texttemplates import jaccard, shingles, similar_pairs
from tests.scoring.photo_scan import brute_force
from tests.scoring.quality import load_corpus
from tests.scoring.synthetic import abstract_image, jpeg_bytes

ROOT = Path(__file__).resolve().parent.parent
FILLER = (
    "Ik neem de tijd voor je en zorg voor een ontspannen sfeer. Schone handdoeken en douche "
    "aanwezig, parkeren in de straat. Afspraken graag een uur van tevoren. "
)


def timed(run: Callable[[], object]) -> tuple[float, object]:
    """Seconds taken by `run`, and its result."""
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def cpu_timed(run: Callable[[], object]) -> tuple[float, float, object]:
    """CPU seconds of this process and wall seconds taken by `run`, and its result. CPU time is
    the figure per core: on a shared machine the wall clock also counts others' work."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = run()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def ads_of_1kb(count: int) -> list[str]:
    """About 1 KB texts built from the labelled corpus plus neutral filler."""
    corpus = [f"{ad.title}. {ad.text}" for ad in load_corpus(ROOT / "tests/scoring/corpus")]
    rng = random.Random(1)
    texts = []
    for _ in range(count):
        text = " ".join(rng.sample(corpus, 2))
        while len(text) < 1000:
            text += " " + FILLER
        texts.append(text[:1100])
    return texts


def realistic_ads(count: int) -> list[str]:
    """~1 KB ads as a night's crawl has them: distinct texts, a few template groups of 2 to 5.

    Each ad is one corpus ad plus words drawn from the corpus's running text, as often as they
    occur there (so two ads on the same corpus ad stay far below the template threshold); about
    one ad in 25 starts a group whose members repeat its text with a few words changed.
    """
    corpus = [f"{ad.title}. {ad.text}" for ad in load_corpus(ROOT / "tests/scoring/corpus")]
    vocabulary = [w for text in corpus for w in text.split() if w.isalpha()]
    rng = random.Random(2)
    texts: list[str] = []
    while len(texts) < count:
        words = rng.choice(corpus).split()
        while sum(len(w) + 1 for w in words) < 1000:
            words.append(rng.choice(vocabulary))
        texts.append(" ".join(words)[:1100])
        if rng.random() < 0.04:
            for _ in range(rng.randint(1, 4)):
                member = list(words)
                for _ in range(rng.randint(1, 6)):
                    member[rng.randrange(len(member))] = rng.choice(vocabulary)
                texts.append(" ".join(member)[:1100])
    return texts[:count]


def bench_text(texts: list[str], label: str) -> None:
    """Extraction, indicators, linking and score on ~1 KB ads, one core."""
    rules = load_rules(default_rules_path())
    scorer = AdScorer(rules, LocationMatcher.from_config_dir(ROOT / "config"))

    def analyse() -> list:
        return [
            scorer.analyse(AdText(i, t), AdContext(median_price=150)) for i, t in enumerate(texts)
        ]

    def link(analyses: list) -> int:
        links = [
            LinkAd(
                i,
                f"naam{i % 500}",
                (frozenset(phone_key(p, b"k") for p in a.extraction.e164_phones),),
                t,
            )
            for i, (t, a) in enumerate(zip(texts, analyses, strict=True))
        ]
        linked = link_ads(links, rules)
        groups = [h for hits in linked.hits.values() for h in hits if h.code == "text_template"]
        for i, a in enumerate(analyses):
            score_ad([*a.hits, *linked.hits.get(i, ())], rules)
        return len(groups)

    base, _, _ = cpu_timed(lambda: [scorer.indicators.nlp.make_doc(t) for t in texts])
    analyse_s, analyse_wall, analyses = cpu_timed(analyse)
    link_s, link_wall, in_groups = cpu_timed(lambda: link(analyses))
    seconds, n = analyse_s + link_s, len(texts)
    print(f"text scoring, end to end, {label}: {n / seconds:,.0f} ads/s per core, goal >= 1,000"
          f" ({seconds / n * 1e3:.2f} CPU ms/ad, goal <= 1.00: analysing"
          f" {analyse_s / n * 1e3:.2f}, linking {link_s / n * 1e3:.2f}; wall clock"
          f" {n / (analyse_wall + link_wall):,.0f} ads/s; {in_groups} ads in template groups)"
          f"   baseline spaCy tokenizer alone: {n / base:,.0f} ads/s per core")  # fmt: skip


def bench_phones(texts: list[str], rounds: int = 5) -> None:
    """find_phones against PhoneNumberMatcher on the same texts, interleaved `rounds` times.

    Each round times the baseline and then ours (validation cache cleared: the text section has
    validated these numbers); the median of the rounds' ratios is the figure, since on a shared
    machine either side can be slowed by other work.
    """

    def theirs() -> list[set[str]]:
        return [{phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
                 for m in phonenumbers.PhoneNumberMatcher(t, "NL")} for t in texts]  # fmt: skip

    def ours() -> list[set[str]]:
        _parse_e164.cache_clear()
        return [{m.e164 for m in find_phones(t)} for t in texts]

    ratios, rates, bases = [], [], []
    for _ in range(rounds):
        theirs_s, their_sets = timed(theirs)
        ours_s, our_sets = timed(ours)
        ratios.append(theirs_s / ours_s)
        rates.append(len(texts) / ours_s)
        bases.append(len(texts) / theirs_s)
    total = sum(len(t) for t in their_sets)
    shared = sum(len(a & b) for a, b in zip(their_sets, our_sets, strict=True))
    extra = sum(len(b - a) for a, b in zip(their_sets, our_sets, strict=True))
    print(f"phones: {statistics.median(rates):,.0f} texts/s vs PhoneNumberMatcher"
          f" {statistics.median(bases):,.0f} = median {statistics.median(ratios):.1f}x over"
          f" {rounds} interleaved rounds (range {min(ratios):.1f}-{max(ratios):.1f}x,"
          f" goal >= 2.5x); found {shared}/{total} of its numbers ({shared / max(total, 1):.1%}),"
          f" plus {extra} obfuscated it missed")  # fmt: skip


def bench_hashing(count: int, rounds: int = 5) -> None:
    """image_hashes(decode_image(b)) against imagehash.phash(Image.open(f)) on 800x600 JPEGs.

    Interleaved `rounds` times and the median ratio reported, as for phones: one pass of ours
    takes a fraction of a second, short enough for other work on a shared machine to halve it.
    """
    blobs = [jpeg_bytes(abstract_image(seed)) for seed in range(count)]
    ratios, rates, bases = [], [], []
    for _ in range(rounds):
        base_s, base = timed(lambda: [imagehash.phash(Image.open(io.BytesIO(b))) for b in blobs])
        ours_s, ours = timed(lambda: [image_hashes(decode_image(b)) for b in blobs])
        ratios.append(base_s / ours_s)
        rates.append(count / ours_s)
        bases.append(count / base_s)
    drift = [hamming(f"phash:{b}", o.phash) for b, o in zip(base, ours, strict=True)]
    print(f"hashing: {statistics.median(rates):,.0f} img/s (pHash, dHash, 4 crop pHashes) vs"
          f" imagehash.phash {statistics.median(bases):,.0f} img/s = median"
          f" {statistics.median(ratios):.1f}x over {rounds} interleaved rounds (range"
          f" {min(ratios):.1f}-{max(ratios):.1f}x, goal >= 3.5x); drift median"
          f" {statistics.median(drift):.0f}, max {max(drift)} bits")  # fmt: skip


def clustered(rng: np.random.Generator, n: int, photos: int) -> np.ndarray:
    """Variants of `photos` base hashes, each with up to 6 flipped bits."""
    hashes = rng.integers(0, 2**64, size=photos, dtype=np.uint64)[rng.integers(0, photos, size=n)]
    for _ in range(6):
        flip = rng.random(n) < 0.6
        hashes[flip] ^= np.uint64(1) << rng.integers(0, 64, size=n).astype(np.uint64)[flip]
    return hashes


def bench_index(n: int, queries: int) -> None:
    """PhotoIndex against a brute-force bitwise_count scan, random and clustered data."""
    rng = np.random.default_rng(7)
    datasets = {
        "random": rng.integers(0, 2**64, size=n, dtype=np.uint64),
        "clustered 1000 photos": clustered(rng, n, 1000),
        "clustered 50 photos": clustered(rng, n, 50),
    }
    for name, data in datasets.items():
        picks = data[rng.integers(0, n, size=queries)] ^ np.uint64(0b1001)
        build_s, index = timed(lambda d=data: PhotoIndex(d, radius=8))
        brute_s, truth = timed(lambda d=data, q=picks: [brute_force(d, int(x), 8) for x in q])
        one_s, single = timed(lambda q=picks, i=index: [i.query(int(x)) for x in q])
        many_s, batch = timed(lambda q=picks, i=index: i.query_many(q))
        same = all(np.array_equal(a, b) for a, b in zip(truth, batch, strict=True)) and all(
            np.array_equal(a, b) for a, b in zip(truth, single, strict=True))  # fmt: skip
        hits = statistics.mean(len(t) for t in truth)
        print(f"index {name}, {n:,} hashes, r=8: strategy {index.strategy}, build {build_s:.1f}s,"
              f" {index.nbytes / 1e6:.0f} MB; brute {brute_s / queries * 1e3:.3f} ms/query;"
              f" index {one_s / queries * 1e3:.3f} ms/query ({brute_s / one_s:.1f}x),"
              f" batched {many_s / queries * 1e3:.4f} ms/query ({brute_s / many_s:.1f}x);"
              f" identical {same}; {hits:.0f} matches/query")  # fmt: skip


def template_ads(count: int) -> list[str]:
    """Families of near-duplicate ~1 KB ads: one template, changed names, numbers and a phrase."""
    rng = random.Random(5)
    words = [f"w{i}" for i in range(5000)]
    texts = []
    while len(texts) < count:
        base = rng.choices(words, k=170)
        for member in range(rng.randint(1, 6)):
            text = list(base)
            for _ in range(rng.randint(0, 12)):
                text[rng.randrange(len(text))] = rng.choice(words)
            texts.append(f"ik ben naam{member} bel 0612340{member:03d} " + " ".join(text))
    return texts[:count]


def bench_minhash(count: int) -> None:
    """MinHash.bulk + LSH throughput and recall of pairs with Jaccard >= 0.7."""
    texts = template_ads(count)
    sets = [shingles(t, 3) for t in texts]
    update_s, _ = timed(lambda: [_minhash_update(s) for s in sets[: count // 4]])
    seconds, pairs = timed(lambda: similar_pairs(texts, threshold=0.6))
    found = {(i, j) for i, j, _ in pairs}
    truth = _true_pairs(texts, sets, 0.7)
    recall = len(truth & found) / max(len(truth), 1)
    print(f"minhash+lsh: {count / seconds:,.0f} ads/s, MinHash.bulk (goal >= 3,000) vs per-token"
          f" update() alone {count / 4 / update_s:,.0f} ads/s; {len(truth & found)}/{len(truth)}"
          f" pairs with Jaccard >= 0.7 found ({recall:.1%}, goal >= 95%)")  # fmt: skip


def _minhash_update(shingle_set: set[bytes]) -> MinHash:
    minhash = MinHash(num_perm=64)
    for item in shingle_set:
        minhash.update(item)
    return minhash


def _true_pairs(texts: list[str], sets: list[set[bytes]], threshold: float) -> set[tuple[int, int]]:
    # Families are contiguous, so only neighbours within a family window can be similar.
    pairs = set()
    for i in range(len(texts)):
        for j in range(i + 1, min(i + 7, len(texts))):
            if jaccard(sets[i], sets[j]) >= threshold:
                pairs.add((i, j))
    return pairs


def bench_scope(ads: list[str], rounds: int = 3) -> None:
    """The crawler's scope check (`find_places` on a page's text) vs tokenizing every page whole
    (what it did with the national gazetteer before the pre-filter), with and without names."""
    matcher = LocationMatcher.from_config_dir(ROOT / "config")
    no_place = [FILLER * 6] * len(ads)
    matcher.find_places(FILLER + " Houten")  # builds the pre-filter

    def ours(texts: list[str]) -> Callable[[], object]:
        return lambda: [matcher.find_places(t) for t in texts]

    def whole(texts: list[str]) -> Callable[[], object]:
        return lambda: [
            [*matcher._phrase_mentions(matcher.nlp.make_doc(t)), *matcher._postcodes(t)]
            for t in texts
        ]

    for label, pages in (("ads naming places", ads), ("pages naming none", no_place)):
        ours_s = min(timed(ours(pages))[0] for _ in range(rounds)) / len(pages)
        base_s = min(timed(whole(pages))[0] for _ in range(rounds)) / len(pages)
        print(f"scope check, {label}: {ours_s * 1e3:.3f} ms/page   baseline whole-page"
              f" tokenizing and matching: {base_s * 1e3:.3f} ms/page")  # fmt: skip


def main() -> None:
    """Run every section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--text-only", action="store_true", help="only the text sections")
    args = parser.parse_args()
    texts = ads_of_1kb(500 if args.quick else 3000)
    bench_scope(realistic_ads(300 if args.quick else 1000))
    bench_text(texts, "corpus pairs (hard case: 160 ads paired, one template group of ~2,700)")
    bench_text(realistic_ads(500 if args.quick else 3000), "realistic mix (groups of 2-5)")
    if args.text_only:
        return
    bench_phones(texts)
    bench_hashing(50 if args.quick else 200)
    bench_index(100_000 if args.quick else 1_000_000, 100 if args.quick else 500)
    bench_minhash(2000 if args.quick else 10_000)


if __name__ == "__main__":
    main()
