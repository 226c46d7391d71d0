"""Networks first: a decision on a network reaches every member; new members and changed ads come
back with their reason; the grouped queue ranks a network by the evidence across its ads; the
queue and the yearly report agree."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from adwatch.monitoring.figures import collect
from adwatch.monitoring.period import Period
from adwatch.storage.models import AdVersion, Decision, Network, NetworkMember, Score
from adwatch.timeutil import utcnow
from tests.ui.conftest import csrf_of
from tests.ui.uidata import RULES


def post(client, url: str, **data):
    data["csrf_token"] = csrf_of(client.get("/queue").text)
    return client.post(url, data=data, follow_redirects=False)


def _open_ids(client) -> set[int]:
    import re

    html = client.get("/queue").text
    pages = int(re.search(r"Pagina \d+ van (\d+)", html).group(1)) if "Pagina" in html else 1
    ids = set()
    for number in range(1, pages + 1):
        text = client.get(f"/queue?page={number}").text
        ids |= {int(i) for i in re.findall(r'href="/ads/(\d+)" class="ad-link"', text)}
    return ids


def _members(world) -> list[int]:
    with world.instance.db.reading() as session:
        return sorted(
            session.scalars(
                select(NetworkMember.ad_id).where(
                    NetworkMember.network_id == world.seeded.network_id
                )
            )
        )


def test_a_network_decision_decides_every_member(officer, world):
    net, members = world.seeded.network_id, _members(world)
    assert set(members) <= _open_ids(officer)
    response = post(
        officer, f"/networks/{net}/decisions", status="monitoren", reason="Samen volgen"
    )
    assert response.status_code == 303
    with world.instance.db.reading() as session:
        rows = session.execute(
            select(Decision.ad_id, Decision.via_network).where(Decision.ad_id.is_not(None))
        ).all()
    assert sorted(rows) == [(ad, net) for ad in members]
    assert not set(members) & _open_ids(officer)
    history = officer.get(f"/ads/{members[0]}").text
    assert "Via het besluit op" in history and "Samen volgen" in history


def _join_network(world, net: str) -> int:
    """A plain ad joins the network, as a re-score would put it there."""
    with world.instance.db.writing() as session:
        ad_id = world.seeded.ad_ids[-1]
        session.add(NetworkMember(network_id=net, ad_id=ad_id, links=["phone_shared"]))
        score = session.scalar(
            select(Score).where(Score.ad_id == ad_id, Score.rules_version == RULES)
        )
        score.network_id = net
    return ad_id


def test_a_new_member_of_a_decided_network_returns_with_its_reason(officer, world):
    net = world.seeded.network_id
    post(officer, f"/networks/{net}/decisions", status="monitoren", reason="Samen volgen")
    newcomer = _join_network(world, net)
    assert newcomer in _open_ids(officer)
    html = officer.get("/queue?group=network").text
    assert "Nieuw in" in html and "(besluit: monitoren)" in html
    # The yearly report counts the newcomer as undecided, like the queue.
    today = utcnow().date()
    with world.instance.db.reading() as session:
        figures = collect(session, Period(date(today.year, 1, 1), today))
        decided = {d.ad_id for d in session.scalars(select(Decision)) if d.ad_id}
    assert newcomer not in decided
    assert figures.funnel.decided == len(decided & _hit_ads(world))


def _hit_ads(world) -> set[int]:
    with world.instance.db.reading() as session:
        return set(session.scalars(select(Score.ad_id).where(Score.tier != "geen")))


def test_a_decided_ad_that_changes_returns_with_its_reason(officer, world):
    ad = world.seeded.xss_ad
    post(officer, f"/ads/{ad}/decisions", status="geen_signaal", reason="Zelfstandig")
    assert ad not in _open_ids(officer)
    with world.instance.db.writing() as session:
        last = session.scalar(select(AdVersion).where(AdVersion.ad_id == ad))
        session.add(
            AdVersion(
                ad_id=ad,
                capture_id=last.capture_id,
                seen_at=utcnow() + timedelta(seconds=5),
                content_sha256="sha256:" + "e" * 64,
                title="Nieuw",
                name="Evil",
                text="Nieuwe tekst",
            )
        )
    assert ad in _open_ids(officer)
    assert "Gewijzigd na besluit" in officer.get("/queue").text


def test_the_grouped_queue_puts_five_linked_weak_ads_above_a_lone_weak_one(officer, world):
    with world.instance.db.writing() as session:
        weak = (
            session.execute(
                select(Score).where(Score.tier == "laag", Score.network_id.is_(None)).limit(6)
            )
            .scalars()
            .all()
        )
        session.add(Network(id="net-weak", size=5))
        session.flush()
        for score in weak[:5]:
            score.value = 1.0
            session.add(
                NetworkMember(network_id="net-weak", ad_id=score.ad_id, links=["phone_shared"])
            )
            score.network_id = "net-weak"
        weak[5].value = 1.5
        lone = weak[5].ad_id
    html = officer.get("/queue?group=network").text
    assert html.index("Netwerk weak") < html.index(f'href="/ads/{lone}" class="ad-link"')
    assert "5 advertenties, 5 te beoordelen" in html
    row = html[html.index("Netwerk weak") :]
    assert '<td class="num">3.0</td>' in row[: row.index("</tr>")]  # 1 + 4 × 0.5


def test_the_network_page_draws_the_graph_pairs_and_numbers_over_time(officer, world):
    html = officer.get(f"/networks/{world.seeded.network_id}").text
    graph = html[
        html.index('<svg class="graph"') : html.index("</svg>", html.index('class="graph"'))
    ]
    for ad in world.seeded.ad_ids[2:5]:
        assert f'<a href="/ads/{ad}" aria-label="Advertentie #{ad}' in graph
    assert graph.count("<line") == 3  # three members, each linked to both others
    assert "Vrijwel gelijk (bijgesneden of opnieuw opgeslagen)" in html
    assert "Plaatsen en telefoonnummers door de tijd" in html and "06 1234 0050" in html
    # Signals and links first, then the decision form, then the evidence pack.
    assert html.index("graaf-kop") < html.index("beslissen-kop") < html.index("bewijs-kop")
