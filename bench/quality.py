"""Precision and recall of every per-ad indicator, phones and tiers, per corpus split.

Run `python bench/quality.py [--split project|dev|heldout] [--rules FILE] [--mistakes]`
(`--only a5-` narrows the report to ads whose id starts so).
Splits: `project` (tests/scoring/corpus, written beside the rules), `dev` (independent authors'
development part, tests/scoring/independent/dev) and `heldout` (the same authors' held-out part,
tests/scoring/independent/heldout, printed only when that folder exists). Whoever changes the rules
runs only `project` and `dev`; the held-out figures are for whoever measures them afterwards.
"""

# ruff: noqa: E402
from __future__ import annotations

import sys
from pathlib import Path

# bench/scoring.py shares its name with the package: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse

from adwatch.config.scope import LocationMatcher
from scoring.corpus import analyse_corpus
from scoring.explain import explain_lines
from scoring.pipeline import AdScorer
from scoring.rules import default_rules_path, load_rules
from scoring.score import score_ad
from tests.scoring.quality import QualityReport, evaluate, load_corpus

ROOT = Path(__file__).resolve().parent.parent
SPLITS = {
    "project": ROOT / "tests" / "scoring" / "corpus",
    "dev": ROOT / "tests" / "scoring" / "independent" / "dev",
    "heldout": ROOT / "tests" / "scoring" / "independent" / "heldout",
}


def print_report(name: str, report: QualityReport, mistakes: bool) -> None:
    """One split's table: per indicator, overall, phones, and the two tier checks."""
    print(f"\n== {name}: {report.ads} ads")
    print(f"{'indicator':<18} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    for code, c in [
        *report.per_code.items(),
        ("OVERALL", report.overall),
        ("phones", report.phones),
    ]:
        print(f"{code:<18} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>10.3f} {c.recall:>8.3f}")
    print(f"negatives in hoog: {len(report.negatives_in_hoog)} of {report.negatives}"
          f"  {', '.join(report.negatives_in_hoog)}")  # fmt: skip
    print(f"minor cues not in hoog: {len(report.minor_not_hoog)} of {report.minors}"
          f"  {', '.join(report.minor_not_hoog)}")  # fmt: skip
    if mistakes:
        print("\n".join(report.mistakes))


def main() -> None:
    """Print the quality tables of the chosen splits."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=Path, default=default_rules_path())
    parser.add_argument("--split", choices=sorted(SPLITS), action="append", help="repeatable")
    parser.add_argument("--corpus", type=Path, help="another folder of labelled YAML files")
    parser.add_argument("--mistakes", action="store_true", help="list ads that disagree")
    parser.add_argument("--explain", metavar="ID", action="append", help="explain these ads")
    parser.add_argument(
        "--only", metavar="PREFIX", action="append", help="report only ads whose id starts so"
    )
    args = parser.parse_args()
    rules = load_rules(args.rules)
    scorer = AdScorer(rules, LocationMatcher.from_config_dir(ROOT / "config"))
    chosen = {name: SPLITS[name] for name in args.split or SPLITS}
    if args.corpus:
        chosen = {str(args.corpus): args.corpus}
    print(f"rules {rules.version}")
    for name, folder in chosen.items():
        if not folder.is_dir() or not any(folder.glob("*.yaml")):
            print(f"\n== {name}: no corpus at {folder}")
            continue
        ads = load_corpus(folder)
        analyses = analyse_corpus(ads, scorer)
        if args.explain:
            explain(ads, analyses, rules, set(args.explain))
            continue
        if args.only:
            # The whole split is analysed (same price context); only the report is narrowed.
            kept = [
                (a, x)
                for a, x in zip(ads, analyses, strict=True)
                if a.id.startswith(tuple(args.only))
            ]
            ads, analyses = [a for a, _ in kept], [x for _, x in kept]
            name = f"{name} ({', '.join(args.only)})"
        print_report(name, evaluate(ads, analyses, rules), args.mistakes)


def explain(ads, analyses, rules, wanted: set[str]) -> None:
    """Print the analysis of the wanted ads beside their labels."""
    for ad, analysis in zip(ads, analyses, strict=True):
        if ad.id in wanted:
            print(f"\n# {ad.id} labels {ad.codes} phones {ad.phones}\n{ad.title}\n{ad.text}")
            print("\n".join(explain_lines(analysis, score_ad(analysis.hits, rules))))


if __name__ == "__main__":
    main()
