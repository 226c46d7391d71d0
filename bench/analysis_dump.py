"""Every ad's full analysis as JSON lines, to prove a speed change keeps every result.

Run `python bench/analysis_dump.py OUT.jsonl` before and after a change and compare the files
(`cmp`, or `--compare OLD.jsonl` to count identical lines). Covers the project corpus, the dev
split, 1,000 ads of the bench's realistic mix and a few odd inputs. Never the held-out split.
"""

# ruff: noqa: E402
from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import dataclasses
import importlib.util
import json
from datetime import date

from adwatch.config.scope import LocationMatcher
from scoring.corpus import analyse_corpus
from scoring.indicators import AdContext, AdText
from scoring.pipeline import AdScorer
from scoring.rules import default_rules_path, load_rules
from tests.scoring.quality import load_corpus

ROOT = Path(__file__).resolve().parent.parent
ODD = ["", "🍒" * 500, "x\ud800y Houten", "Houten/Zeist/Amersfoort 06 1234 5678", "٣٤ ١٩ jaar",
       "a" * 200_000 + " Houten 19 jaar", "Ｈｏｕｔｅｎ ２０ jaar"]  # fmt: skip


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def lines(scorer: AdScorer) -> list[str]:
    """One JSON line per analysed ad, labelled with its corpus and id."""
    out = []
    for name, folder in (("project", "tests/scoring/corpus"),
                         ("dev", "tests/scoring/independent/dev")):  # fmt: skip
        ads = load_corpus(ROOT / folder)
        for ad, analysis in zip(ads, analyse_corpus(ads, scorer), strict=True):
            out.append(json.dumps([name, ad.id, _plain(analysis)], ensure_ascii=False))
    spec = importlib.util.spec_from_file_location("bench_scoring", ROOT / "bench/scoring.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    context = AdContext(median_price=150, captured_on=date(2026, 12, 7))
    texts = [*bench.realistic_ads(1000), *ODD]
    for i, text in enumerate(texts):
        analysis = scorer.analyse(AdText(i, text), context)
        out.append(json.dumps(["bench", i, _plain(analysis)], ensure_ascii=False))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path, help="count lines identical to this older dump")
    args = parser.parse_args()
    places = LocationMatcher.from_config_dir(ROOT / "config")
    scorer = AdScorer(load_rules(default_rules_path()), places)
    new = lines(scorer)
    args.out.write_text("\n".join(new) + "\n", encoding="utf-8")
    if args.compare:
        old = args.compare.read_text(encoding="utf-8").splitlines()
        same = sum(a == b for a, b in zip(old, new, strict=False))
        print(f"{same} of {len(new)} lines identical ({len(old)} before)")
        for a, b in zip(old, new, strict=False):
            if a != b:
                print("first difference:\n-", a[:600], "\n+", b[:600])
                break


if __name__ == "__main__":
    main()
