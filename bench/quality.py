"""Precision and recall of every per-ad indicator, and phone extraction, on the labelled corpus.

Run `python bench/quality.py [--rules config/indicators.yaml] [--mistakes]` after tuning the rules.
"""

# ruff: noqa: E402
from __future__ import annotations

import sys
from pathlib import Path

# bench/scoring.py shares its name with the package: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse

from adwatch.locations import LocationMatcher
from scoring.evaluate import analyse_corpus, evaluate, load_corpus
from scoring.pipeline import AdScorer
from scoring.rules import default_rules_path, load_rules

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Print the quality table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=Path, default=default_rules_path())
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "scoring" / "corpus")
    parser.add_argument("--mistakes", action="store_true", help="list ads that disagree")
    args = parser.parse_args()
    rules = load_rules(args.rules)
    scorer = AdScorer(rules, LocationMatcher.from_config_dir(ROOT / "config"))
    ads = load_corpus(args.corpus)
    report = evaluate(ads, analyse_corpus(ads, scorer))
    print(f"corpus: {report.ads} ads, rules {rules.version}")
    print(f"{'indicator':<18} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    for code, c in [*report.per_code.items(), ("OVERALL", report.overall)]:
        print(f"{code:<18} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>10.3f} {c.recall:>8.3f}")
    p = report.phones
    print(f"{'phones':<18} {p.tp:>4} {p.fp:>4} {p.fn:>4} {p.precision:>10.3f} {p.recall:>8.3f}"
          f"  F1 {p.f1:.3f}")  # fmt: skip
    if args.mistakes:
        print("\n".join(report.mistakes))


if __name__ == "__main__":
    main()
