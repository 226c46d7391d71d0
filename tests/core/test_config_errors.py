"""Configuration errors fail fast, naming the file, the key and the fix; nothing starts.

Each broken configuration is checked through the loader functions and through `adwatch crawl`
(exit code 2, the message on stderr, no crawl run recorded, no crawl log written).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from adwatch.config.schemas import load_app_config
from adwatch.config.settings import load_settings
from adwatch.config.sources import load_source, load_sources
from adwatch.errors import ConfigError
from tests.crawler.sites import Instance, source_config

BASE_URL = "http://127.0.0.1:9"  # never fetched: nothing may start


@dataclass(frozen=True)
class Broken:
    """A configuration mistake: how to make it, and what the message must name."""

    make: Callable[[Instance], None]
    file: str  # relative to the config folder ("" for the environment)
    key: str
    fix: str
    env: tuple[tuple[str, str], ...] = ()
    via_cli: bool = True


def _source(instance: Instance, file_stem: str = "kapot", **changes: Any) -> None:
    config = source_config("kapot", BASE_URL)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = config
        for part in parents:
            node = node[part]
        node[last] = value
    instance.write_yaml(f"sources/{file_stem}.yaml", config)


def _app_limit_typo(instance: Instance) -> None:
    path = instance.config_dir / "adwatch.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("max_response_bytes:", "max_response_byte:"), encoding="utf-8")


def _app_monitors(instance: Instance, **monitors: Any) -> None:
    path = instance.config_dir / "adwatch.yaml"
    app = yaml.safe_load(path.read_text(encoding="utf-8"))
    app["monitors"] = monitors
    instance.write_yaml("adwatch.yaml", app)


CASES = {
    "unknown_source_key": Broken(
        lambda i: _source(i, listing__volgende="a.next"),
        "sources/kapot.yaml",
        "listing.volgende",
        "use one of: ad_links, next_page, wait_for",
    ),
    "selector_does_not_compile": Broken(
        lambda i: _source(i, ad__fields__title="h1[[["),
        "sources/kapot.yaml",
        "ad.fields",
        "does not compile",
    ),
    "xpath_does_not_compile": Broken(
        lambda i: _source(i, listing__next_page="xpath://a[@rel='next'"),
        "sources/kapot.yaml",
        "listing.next_page",
        "does not compile",
        via_cli=False,  # the same path through `adwatch crawl` as the CSS case
    ),
    "robots_ignored_without_legal_basis": Broken(
        lambda i: _source(i, politeness={"robots": "ignore"}),
        "sources/kapot.yaml",
        "politeness",
        "legal_basis",
    ),
    "file_name_differs_from_name": Broken(
        lambda i: _source(i, file_stem="anders"),
        "sources/anders.yaml",
        "name",
        "rename the file to kapot.yaml",
    ),
    "unknown_app_key": Broken(
        _app_limit_typo, "adwatch.yaml", "crawl.max_response_byte", "max_response_bytes"
    ),
    "unknown_monitor_key": Broken(
        lambda i: _app_monitors(i, min_coverage=0.8),
        "adwatch.yaml",
        "monitors.min_coverage",
        "min_field_coverage",
    ),
    "monitor_share_above_one": Broken(
        lambda i: _app_monitors(i, max_error_share=25),
        "adwatch.yaml",
        "monitors.max_error_share",
        "correct the value",
        via_cli=False,  # the same path through `adwatch crawl` as the unknown key
    ),
    "unknown_environment_variable": Broken(
        lambda i: _source(i),
        "",
        "ADWATCH_DATA_FOLDER",
        "rename or unset it",
        env=(("ADWATCH_DATA_FOLDER", "/tmp/elders"),),
    ),
}

CLI_CASES = sorted(name for name, case in CASES.items() if case.via_cli)


def _load_everything(instance: Instance, env: dict[str, str]) -> None:
    settings = load_settings(env)
    load_app_config(settings.config_dir)
    load_sources(settings.sources_dir)


def _assert_names_file_key_and_fix(message: str, instance: Instance, case: Broken) -> None:
    flat = " ".join(message.split())
    if case.file:
        assert str(instance.config_dir / case.file) in flat, flat
    assert re.search(rf"(?<![\w.]){re.escape(case.key)}(?![\w.])", flat), flat
    assert "Fix:" in flat and case.fix in flat, flat


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_loaders_raise_a_config_error_naming_file_key_and_fix(
    tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    instance = Instance(tmp_path)
    case.make(instance)
    with pytest.raises(ConfigError) as raised:
        _load_everything(instance, {**instance.env, **dict(case.env)})
    _assert_names_file_key_and_fix(str(raised.value), instance, case)


def test_a_correct_configuration_loads(tmp_path: Path) -> None:
    instance = Instance(tmp_path)
    _source(instance)
    basis = {"robots": "ignore", "legal_basis": "Besluit toezicht 2026, art. 3 (synthetisch)"}
    instance.write_yaml(
        "sources/ander.yaml", {**source_config("ander", BASE_URL), "politeness": basis}
    )
    _load_everything(instance, instance.env)
    assert load_source(instance.config_dir / "sources" / "ander.yaml").politeness.robots == "ignore"


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory: pytest.TempPathFactory):
    """`adwatch crawl` on every broken configuration (run side by side: they only start up)."""
    instances = {}
    for name in CLI_CASES:
        case = CASES[name]
        instance = Instance(tmp_path_factory.mktemp(name))
        case.make(instance)
        instances[name] = instance

    def crawl(name: str):
        # A wide terminal keeps rich from wrapping long paths across lines of the message.
        return instances[name].crawl(extra_env={**dict(CASES[name].env), "COLUMNS": "500"})

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(zip(CLI_CASES, pool.map(crawl, CLI_CASES), strict=True))
    return instances, results


@pytest.mark.parametrize("name", CLI_CASES)
def test_adwatch_crawl_exits_2_naming_file_key_and_fix(cli_results, name: str) -> None:
    instances, results = cli_results
    instance, result = instances[name], results[name]
    assert result.returncode == 2, result.stderr[-2000:]
    _assert_names_file_key_and_fix(result.stderr, instance, CASES[name])
    assert "Traceback" not in result.stderr
    assert instance.runs() == []
    assert not (instance.data_dir / "logs" / "crawl.log").exists()
