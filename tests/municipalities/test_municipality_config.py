"""Which municipalities are configured, and which of them an ad belongs to."""

from __future__ import annotations

from pathlib import Path

import pytest

from adwatch.config.municipalities import load_municipalities, only_municipality
from adwatch.config.scope import ScopeMatcher
from adwatch.config.sources import Region
from adwatch.errors import ConfigError
from tests.helpers import CONFIG_DIR
from tests.municipalities.regional import regional_config


@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return regional_config(tmp_path_factory.mktemp("regional"))


@pytest.fixture(scope="module")
def scope(regional: Path) -> ScopeMatcher:
    return ScopeMatcher.from_config_dir(regional)


def test_one_municipality_takes_its_code_from_locations_yaml() -> None:
    (houten,) = load_municipalities(CONFIG_DIR)
    assert (houten.code, houten.name) == ("houten", "Houten")
    assert only_municipality(CONFIG_DIR) == "houten"


def test_a_folder_holds_one_file_per_municipality(regional: Path) -> None:
    found = load_municipalities(regional)
    assert [(m.code, m.name) for m in found] == [("houten", "Houten"), ("nieuwegein", "Nieuwegein")]
    assert only_municipality(regional) is None


def test_both_a_locations_file_and_a_folder_is_an_error(tmp_path: Path) -> None:
    config = regional_config(tmp_path)
    (config / "locations.yaml").write_text("municipality: X\nplaces: [X]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"locations.yaml: both this file and .*Fix"):
        load_municipalities(config)


def test_a_file_name_that_is_no_code_is_an_error(tmp_path: Path) -> None:
    config = regional_config(tmp_path)
    (config / "municipalities" / "nieuwegein.yaml").rename(
        config / "municipalities" / "Nieuwe Gein.yaml"
    )
    with pytest.raises(ConfigError, match=r"is not a municipality code\. Fix: rename"):
        load_municipalities(config)


def test_a_wrong_key_in_a_municipality_file_names_file_and_key(tmp_path: Path) -> None:
    config = regional_config(tmp_path)
    path = config / "municipalities" / "nieuwegein.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "plaatsen: [X]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"nieuwegein.yaml: key 'plaatsen'"):
        load_municipalities(config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ontvangst in Schalkwijk, tien minuten van Nieuwegein.", {"houten", "nieuwegein"}),
        ("Discreet adres in Jutphaas, postcode 3431 AB.", {"nieuwegein"}),
        ("Mooi houten bed, ik ontvang in Vreeswijk.", {"nieuwegein"}),
        ("Houten-Zuid, vlakbij het station.", {"houten"}),
        ("Alleen in Utrecht en Amsterdam.", set()),
    ],
)
def test_an_ad_belongs_to_each_municipality_whose_places_it_names(
    scope: ScopeMatcher, text: str, expected: set[str]
) -> None:
    assert set(scope.scopes(text)) == expected


def test_a_region_page_puts_its_ads_in_its_municipality(scope: ScopeMatcher) -> None:
    found = scope.scopes("Alleen in Utrecht.", listed_in={"nieuwegein"})
    assert set(found) == {"nieuwegein"}
    assert [p.canonical for p in found["nieuwegein"]] == ["Utrecht"]


def test_region_municipalities_are_checked(scope: ScopeMatcher) -> None:
    named = Region(name="Nieuwegein", path="/n", municipality="nieuwegein")
    assert scope.region_municipality("demo", named) == "nieuwegein"
    assert scope.region_municipality("demo", Region(name="Utrecht", path="/u")) is None
    with pytest.raises(ConfigError, match=r"municipality 'zeist' is not configured\. Fix"):
        scope.region_municipality("demo", Region(name="Zeist", path="/z", municipality="zeist"))
    with pytest.raises(ConfigError, match=r"'in_scope: true' is ambiguous.*Fix"):
        scope.region_municipality("demo", Region(name="Houten", path="/h", in_scope=True))


def test_in_scope_names_the_only_municipality() -> None:
    single = ScopeMatcher.from_config_dir(CONFIG_DIR)
    assert single.region_municipality("demo", Region(name="H", path="/h", in_scope=True)) == (
        "houten"
    )
