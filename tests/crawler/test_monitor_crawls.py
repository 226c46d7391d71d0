"""The crawl monitors through `adwatch crawl`: thresholds read from `config/adwatch.yaml`, the
close-of-run monitors comparing a run with the previous one, alarms in the run record."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.crawler.sites import Instance, Site, ad_html, alarm_kinds, listing_html, source_config

HOUTEN_TEXT = "Nieuw in Houten, bel voor een afspraak."
ADS = ("1", "2", "3")


def _set_monitors(instance: Instance, **values: object) -> None:
    path = instance.config_dir / "adwatch.yaml"
    app = yaml.safe_load(path.read_text(encoding="utf-8"))
    app["monitors"] = values
    instance.write_yaml("adwatch.yaml", app)


def _crawl(instance: Instance, name: str):
    result = instance.crawl(name)
    assert result.returncode == 0, result.stderr + instance.log_text()
    return instance.runs()[-1]


def test_a_listing_that_empties_since_the_last_run_raises_listing_shrunk(tmp_path: Path) -> None:
    instance = Instance(tmp_path)
    site = Site()
    site.add("/regio/houten", listing_html([f"/advertentie/{i}" for i in ADS]))
    for ad_id in ADS:
        site.add(f"/advertentie/{ad_id}", ad_html(f"Titel {ad_id}", HOUTEN_TEXT))
    with site.serve() as base_url:
        instance.add_source(source_config("krimp", base_url))
        first = _crawl(instance, "krimp")
        site.add("/regio/houten", listing_html([]))  # the ad-link selector no longer matches
        second = _crawl(instance, "krimp")
    assert first.stats["ads_listed"] == len(ADS)
    assert "listing_shrunk" not in alarm_kinds(first)
    assert second.stats["ads_listed"] == 0
    assert {"listing_shrunk", "listing_empty"} <= set(alarm_kinds(second))
    (message,) = [a["message"] for a in second.alarms if a["kind"] == "listing_shrunk"]
    assert message == "listings showed 0 ads; the previous finished run 3"


def test_thresholds_from_adwatch_yaml_decide_the_alarms(tmp_path: Path) -> None:
    instance = Instance(tmp_path, {"retry_times": 0})
    _set_monitors(
        instance, max_empty_listing_pages=1, min_requests_for_error_share=5, max_error_share=0.3
    )
    site = Site()
    site.add("/regio/houten", listing_html([f"/advertentie/{i}" for i in ADS]))
    site.add("/regio/leeg", listing_html([]))
    site.add("/advertentie/1", ad_html("Titel 1", HOUTEN_TEXT))
    for ad_id in ADS[1:]:
        site.add(f"/advertentie/{ad_id}", "<html>storing</html>", status=500)
    regions = [
        {"name": "Houten", "path": "/regio/houten", "in_scope": True},
        {"name": "Leeg", "path": "/regio/leeg"},
    ]
    with site.serve() as base_url:
        instance.add_source(source_config("fouten", base_url, regions=regions))
        run = _crawl(instance, "fouten")
    assert "listing_empty" not in alarm_kinds(run)  # one empty page is allowed here
    # A 500 after the retries is an error, not a robots.txt refusal (both are IgnoreRequests).
    assert run.stats["errors"] == 2 and "robots_disallowed" not in run.stats
    (message,) = [a["message"] for a in run.alarms if a["kind"] == "error_rate"]
    assert message == "2 of 5 requests failed (40%)", run.stats
