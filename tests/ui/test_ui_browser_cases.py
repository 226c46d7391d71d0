"""In Chromium against `adwatch serve`: decide on a network from the grouped queue, search a phone
number from the header, work a case from opening to feedback; axe-core on the pages made here."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.helpers import missing_prerequisite
from tests.ui.test_ui_browser import AXE, axe_violations, browser, officer, server  # noqa: F401

pytestmark = pytest.mark.browser


def test_decide_on_a_network_from_the_grouped_queue(server, officer):  # noqa: F811
    base, seeded, _ = server
    page = officer.new_page()
    page.goto(f"{base}/queue?group=network")
    page.get_by_role("link", name="Netwerk ab12ab12ab12ab12").click()
    page.wait_for_url(f"{base}/networks/{seeded.network_id}")
    page.get_by_label("Monitoren").check()
    page.get_by_label("Reden (verplicht)").fill("Eén nummer, drie namen")
    page.get_by_role("button", name="Beslissing vastleggen").click()
    page.wait_for_selector("text=De beslissing is vastgelegd")
    page.goto(f"{base}/queue?group=network")
    assert "Netwerk ab12ab12ab12ab12" not in page.content()
    member = seeded.photo_ads[0]
    page.goto(f"{base}/ads/{member}")
    assert "Via het besluit op" in page.content()
    page.close()


@pytest.mark.parametrize("typed", ["06-12340050", "+31 (0)6 1234 0050", "0031 6 1234 0050"])
def test_search_a_phone_from_the_header(server, officer, typed):  # noqa: F811
    base, _, _ = server
    page = officer.new_page()
    page.goto(f"{base}/queue")
    page.get_by_label("Zoek op telefoonnummer, naam, woorden, advertentienummer of URL").fill(typed)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/search")
    assert "Gezocht als telefoonnummer: 3 advertentie(s) in 1 netwerk(en)" in page.content()
    assert page.get_by_role("link", name="Netwerk ab12ab12ab12ab12").count() == 1
    assert "1234" not in page.url
    page.close()


def test_a_case_from_opening_to_feedback_in_the_browser(server, officer):  # noqa: F811
    base, seeded, _ = server
    page = officer.new_page()
    page.goto(f"{base}/ads/{seeded.rotated_ad}")
    page.get_by_label("Titel van de nieuwe zaak").fill("Lola, wisselende nummers")
    page.get_by_label("Zaaknummer").first.fill("HTN-2026-9")
    page.get_by_role("button", name="Zaak openen").click()
    page.wait_for_selector("text=De zaak is geopend")
    page.get_by_label("Wat is er gebeurd").select_option("doorzetting")
    page.get_by_label("Datum").fill("2026-03-04")
    page.get_by_label("AVIM / politie").check()
    page.get_by_role("button", name="Vastleggen").click()
    page.wait_for_selector("text=Vastgelegd in de zaak")
    page.goto(f"{base}/cases")
    assert "HTN-2026-9" in page.locator("#aandacht-kop + table").inner_text()
    page.get_by_role("link", name="HTN-2026-9").first.click()
    page.get_by_label("Wat is er gebeurd").select_option("terugkoppeling")
    page.get_by_label("AVIM / politie").check()
    page.get_by_label("Toelichting").fill("Controle uitgevoerd")
    page.get_by_role("button", name="Vastleggen").click()
    page.wait_for_selector("text=Vastgelegd in de zaak")
    assert "Controle uitgevoerd" in page.content() and "van AVIM / politie" in page.content()
    page.close()


def _axe(page: Page, base: str, url: str) -> list[str]:
    page.goto(base + url)
    return axe_violations(page)


def test_axe_on_the_case_and_search_results(server, browser, officer):  # noqa: F811
    if not AXE.is_file():
        missing_prerequisite("axe-core is missing: run `npm ci` first (make test does)")
    base, seeded, _ = server
    context = browser.new_context(bypass_csp=True, storage_state=officer.storage_state())
    page = context.new_page()
    page.goto(f"{base}/ads/{seeded.xss_ad}")
    page.get_by_role("button", name="Zaak openen").click()
    page.wait_for_selector("text=De zaak is geopend")
    found = {"case": axe_violations(page)}
    page.goto(f"{base}/queue")
    page.get_by_label("Zoek op telefoonnummer, naam, woorden, advertentienummer of URL").fill(
        "heren"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/search")
    found["search results"] = axe_violations(page)
    found["network (graph)"] = _axe(page, base, f"/networks/{seeded.network_id}")
    context.close()
    assert not any(found.values()), found
