"""adwatch.vocabulary: every code list is spelled once, and every room uses that one spelling."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from adwatch import vocabulary
from adwatch.config.indicators import indicator_labels
from adwatch.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("adwatch", "crawler", "scoring", "review_ui", "application")
HOME = ROOT / "adwatch" / "vocabulary.py"
# A migration records the schema as it was on its day: it must not follow later vocabulary changes.
MIGRATIONS = ROOT / "adwatch" / "storage" / "migrations"
TEMPLATE_LIST = re.compile(r"""[(\[]\s*["'][^"']*["'](?:\s*,\s*["'][^"']*["'])+\s*[)\]]""")
CODE_LISTS = {
    "tiers": set(vocabulary.TIERS),
    "decisions": set(vocabulary.DECISIONS),
    "partners": set(vocabulary.PARTNERS),
    "roles": set(vocabulary.ROLES),
    "run statuses": set(vocabulary.RUN_STATUSES),
    "alarm kinds": set(vocabulary.ALARM_KINDS),
    "capture kinds": set(vocabulary.CAPTURE_KINDS),
    "case steps": set(vocabulary.CASE_STEPS),
}
# Not scanned: indicator and link codes and case events, which rooms rightly key their own tables
# by (the rules of one indicator, the finder of one kind of link, the fields one case event needs).


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != HOME and MIGRATIONS not in path.parents:
                yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _strings(nodes: list[ast.expr | None]) -> set[str]:
    return {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _literal_items(node: ast.AST) -> set[str]:
    """The strings a tuple, list, set, dict (its keys) or Literal[...] spells out."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return _strings(node.elts)
    if isinstance(node, ast.Dict):
        return _strings(node.keys)
    if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "Literal":
        inner = node.slice
        return _strings(inner.elts if isinstance(inner, ast.Tuple) else [inner])
    return set()


def _spelled_again() -> list[str]:
    found = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            items = _literal_items(node)
            for name, codes in CODE_LISTS.items():
                if len(items & codes) >= 2:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.append(f"{where} spells {name} {sorted(items & codes)}")
    return found


def test_no_room_spells_a_code_list_again() -> None:
    assert _spelled_again() == [], "import the list from adwatch.vocabulary instead"


def test_no_template_spells_a_code_list_again() -> None:
    found = []
    for path in sorted((ROOT / "review_ui" / "templates").rglob("*.html")):
        for listed in TEMPLATE_LIST.finditer(path.read_text(encoding="utf-8")):
            items = set(re.findall(r"[\"']([^\"']*)[\"']", listed.group()))
            found += [
                f"{path.name}: {name}"
                for name, codes in CODE_LISTS.items()
                if len(items & codes) >= 2
            ]
    assert found == [], "pass the list from adwatch.vocabulary as a template global instead"


def test_the_scan_finds_a_list_spelled_again() -> None:
    copy = ast.parse('QUIET = ("laag", "geen")\nTier = Literal["hoog", "middel"]')
    found = [_literal_items(node) for node in ast.walk(copy)]
    assert {"laag", "geen"} in found and {"hoog", "middel"} in found


def _alarm_kinds_raised() -> set[str]:
    """Kinds passed to `report.alarm(kind, message)`, and the `kind` of each named monitor."""
    kinds = set()
    for _, tree in _sources():
        for node in ast.walk(tree):
            is_alarm = isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "alarm"
            if is_alarm and len(node.args) == 2:
                kinds |= _strings(list(ast.walk(node.args[0])))
            is_kind = isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets]
            if is_kind == ["kind"] and isinstance(node.value, ast.Constant):
                kinds.add(node.value.value)
    return kinds


def test_every_alarm_the_crawler_raises_has_a_dutch_label() -> None:
    raised = _alarm_kinds_raised()
    assert "listing_empty" in raised
    assert raised - set(vocabulary.ALARM_KINDS) == set()


def test_database_checks_are_written_from_the_vocabulary() -> None:
    from adwatch.storage.models import CaseFile, Decision, User

    checks = {
        str(c.sqltext)
        for table in (User, Decision, CaseFile)
        for c in table.__table__.constraints
        if hasattr(c, "sqltext")
    }
    assert f"role IN {tuple(vocabulary.ROLES)!r}" in checks
    assert f"status IN {tuple(vocabulary.DECISIONS)!r}" in checks
    assert f"step IN {tuple(vocabulary.CASE_STEPS)!r}" in checks


def _indicators(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load((ROOT / "config" / "indicators.yaml").read_text(encoding="utf-8"))
    change(raw)
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    (tmp_path / "indicators.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_indicator_labels_follow_the_file_in_its_order(tmp_path: Path) -> None:
    def relabel(raw: dict) -> None:
        raw["indicators"]["low_price"]["label"] = "Opvallend lage prijs"
        raw["indicators"] = dict(reversed(raw["indicators"].items()))

    labels = indicator_labels(_indicators(tmp_path, relabel))
    assert labels["low_price"] == "Opvallend lage prijs"
    assert list(labels) == list(reversed(vocabulary.INDICATOR_CODES))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["indicators"]["low_price"].pop("label"), r"low_price\.label'.*Fix"),
        (lambda raw: raw["indicators"].pop("multi_city"), r"missing: \['multi_city'\]"),
        (lambda raw: raw["indicators"]["low_price"].update(lable="x"), r"low_price\.lable'"),
    ],
)
def test_indicator_labels_come_from_the_checked_file(tmp_path: Path, change, message) -> None:
    with pytest.raises(ConfigError, match=r"indicators\.yaml: key .*" + message):
        indicator_labels(_indicators(tmp_path, change))
