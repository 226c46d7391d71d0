"""The format check the corpus authors ran on their files: `python check.py AUTHOR PART`."""

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

CODES = {
    "minor_cue", "young_age", "third_party", "multiple_workers", "new_arrival",
    "always_available", "unsafe_services", "low_price", "hotel_location", "multi_city",
}  # fmt: skip
FIELDS = {"id", "title", "text", "codes", "phones", "hard_negative", "note"}
HERE = Path(__file__).parent


def ad_problems(ad: dict) -> list[str]:
    """What is wrong with one ad's fields and labels."""
    name = ad.get("id")
    problems = [f"{name}: unknown fields {set(ad) - FIELDS}"] if set(ad) - FIELDS else []
    problems += [f"{name}: missing {f}" for f in ("id", "text", "codes", "phones") if f not in ad]
    problems += [f"{name}: unknown code {c}" for c in ad.get("codes") or [] if c not in CODES]
    phones = ad.get("phones") or []
    problems += [f"{name}: {p!r} not E.164" for p in phones if not re.fullmatch(r"\+\d{8,15}", p)]
    if ad.get("hard_negative") and ad.get("codes"):
        problems.append(f"{name}: hard_negative ads have codes: []")
    return problems


def check(path: Path, want_total: int, min_neg: int) -> list[dict]:
    """Print one file's counts and problems; return its ads."""
    ads = yaml.safe_load(path.read_text(encoding="utf-8"))
    negatives = sum(bool(ad.get("hard_negative")) for ad in ads)
    codes = Counter(code for ad in ads for code in ad.get("codes") or [])
    print(f"{path.name}: {len(ads)} ads (want >= {want_total}), ", end="")
    print(f"hard negatives {negatives} (want >= {min_neg})")
    print("  per code:", dict(sorted(codes.items())))
    if CODES - set(codes):
        print("  codes never used:", sorted(CODES - set(codes)))
    ids = Counter(ad.get("id") for ad in ads)
    problems = [p for ad in ads for p in ad_problems(ad)]
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    for problem in problems:
        print("  PROBLEM:", problem)
    return ads


if __name__ == "__main__":
    author, part = sys.argv[1], sys.argv[2]  # part: dev or heldout
    ads = check(HERE / part / f"{author}.yaml", 120, 45)
    mark = {"dev": "d", "heldout": "h"}[part]
    for ad in ads:
        if not re.fullmatch(rf"{author}-{mark}-\d{{3}}", str(ad.get("id"))):
            print("  PROBLEM: id not of the form", f"{author}-{mark}-NNN:", ad.get("id"))
