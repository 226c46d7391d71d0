"""Review UI timing: 100,000 ads with hits in SQLite; median and p95 of queue, ad, network, the
grouped queue, search, the case overview and a case page.

Run: `.venv/bin/python bench/ui.py [--ads 100000] [--runs 50] [--municipalities K]`. Goal: p95 under
200 ms on one core. With K > 1 the ads are spread over K municipalities and the officer is granted
only the first: every query then carries the municipality restriction of a regional installation.
Rows go in with executemany (no ORM) so filling takes seconds; the pages run in-process through
the real app, audit writes included. Besides the network of 50 ads, ads 51..GROUPED_UPTO form
networks of five (a fifth of the ads in networks), every ad has a phone link (keyed hash), and
CASES cases hold a network and two ads each with a few events. Run it on one core with
`taskset -c 0`.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient

from adwatch.access.accounts import change_grant, create_user
from adwatch.casework.phonesearch import search_key
from adwatch.config.settings import DEMO_SECRET_KEY, load_settings
from adwatch.instance import Instance
from adwatch.storage.migrate import upgrade
from review_ui.app import create_app
from tests.helpers import instance_env

RULES = "bench-rules"
NOW = "2026-05-01 02:30:00.000000"
CODES = [
    ("third_party", 2.0),
    ("new_arrival", 1.5),
    ("always_available", 1.0),
    ("hotel_location", 1.0),
    ("unsafe_services", 2.5),
    ("minor_cue", 6.0),
]
NETWORK = "net-bench-0000000000000000"
GROUP = 5
GROUPED_UPTO = 20_050
CASES = 500
PASSWORD = "bench wachtwoord lang genoeg"


def _text(rng: random.Random, n: int) -> tuple[str, list[tuple[str, float, str]]]:
    chosen = rng.sample(CODES, rng.randrange(1, 4))
    words = [f"Hoi, ik ben Naam{n}."]
    hits = []
    for code, weight in chosen:
        start = len(" ".join(words)) + 1
        phrase = f"zin voor {code}"
        words.append(phrase)
        span = {
            "kind": "span",
            "text": phrase,
            "start": start,
            "end": start + len(phrase),
            "field": "text",
        }
        hits.append((code, weight, json.dumps([span])))
    return " ".join(words) + " Tot snel in Houten.", hits


def municipality_of(n: int, municipalities: int) -> str:
    """Ad n's municipality; the network's 50 ads and every K-th ad belong to the first."""
    return f"gemeente-{0 if n <= 50 else n % municipalities}"


def fill(path: Path, ads: int, municipalities: int = 1, seed: int = 1) -> None:
    """Write sources, ads, versions, hits, scores and one network of 50 ads with executemany."""
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("INSERT INTO source VALUES (1, 'demo', 'Demo-platform', ?)", (NOW,))
    con.execute(
        "INSERT INTO crawl_run (id, source_id, started_at, finished_at, status, stats, "
        "alarms) VALUES (1, 1, ?, ?, 'finished', '{}', '[]')",
        (NOW, NOW),
    )
    con.execute(
        "INSERT INTO capture (id, run_id, kind, url, final_url, redirects, status, headers,"
        " sha256, size, fetched_at, user_agent, rendered) VALUES (1, 1, 'detail', 'u', 'u',"
        " '[]', 200, '{}', 'sha256:0', 1, ?, 'bench', 0)",
        (NOW,),
    )
    ad_rows, version_rows, hit_rows, score_rows = [], [], [], []
    for n in range(1, ads + 1):
        day = f"2026-04-{1 + n % 28:02d} 12:00:00.000000"
        text, hits = _text(rng, n)
        code = municipality_of(n, municipalities)
        ad_rows.append((n, code, 1, f"ad-{n}", f"http://127.0.0.1/ad/{n}", "houten", day, day))
        version_rows.append(
            (
                n,
                n,
                1,
                day,
                f"sha256:{n:064d}",
                f"Titel {n}",
                f"Naam{n}",
                "24",
                text,
                "[100]",
                "Houten",
                "",
                f"06 1234 {n % 10000:04d}",
                "[]",
            )
        )
        value = sum(w for _, w, _ in hits)
        tier = "hoog" if value >= 6 else "middel" if value >= 3 else "laag"
        score_rows.append((n, n, n, value, tier, RULES, network_of(n), NOW))
        hit_rows += [(n, n, code, w, ev, RULES, NOW) for code, w, ev in hits]
    con.executemany(
        "INSERT INTO ad (id, municipality, source_id, source_ad_id, url, region, first_seen, "
        "last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ad_rows,
    )
    con.executemany(
        "INSERT INTO ad_version VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", version_rows
    )
    con.executemany(
        "INSERT INTO indicator_hit (ad_id, ad_version_id, code, weight, evidence, "
        "rules_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        hit_rows,
    )
    con.executemany("INSERT INTO score VALUES (?, ?, ?, ?, ?, ?, ?, ?)", score_rows)
    _network(con)
    _small_networks(con, ads)
    _phones(con, ads)
    _cases(con, ads)
    con.commit()
    con.execute("ANALYZE")
    con.close()


def _network(con: sqlite3.Connection) -> None:
    con.execute("INSERT INTO network VALUES (?, 50, ?, ?)", (NETWORK, NOW, NOW))
    members = [(NETWORK, n, '["phone_shared"]') for n in range(1, 51)]
    con.executemany("INSERT INTO network_member VALUES (?, ?, ?)", members)
    link = [
        (
            n,
            n,
            "phone_shared",
            2.5,
            json.dumps(
                [
                    {
                        "kind": "link",
                        "via": "phone",
                        "key": "k",
                        "ad_ids": [m for m in range(1, 51) if m != n],
                    }
                ]
            ),
            RULES,
            NOW,
        )
        for n in range(1, 51)
    ]
    con.executemany(
        "INSERT INTO indicator_hit (ad_id, ad_version_id, code, weight, evidence, "
        "rules_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        link,
    )


def network_of(n: int) -> str | None:
    """The network of ad n: the big one, one of five, or none."""
    if n <= 50:
        return NETWORK
    if n <= GROUPED_UPTO:
        return f"net-{50 + (n - 51) // GROUP * GROUP + 1}"
    return None


def _small_networks(con: sqlite3.Connection, ads: int) -> None:
    ids = range(51, min(ads, GROUPED_UPTO) + 1)
    networks = sorted({network_of(n) for n in ids})
    con.executemany(
        "INSERT INTO network VALUES (?, ?, ?, ?)", [(net, GROUP, NOW, NOW) for net in networks]
    )
    con.executemany(
        "INSERT INTO network_member VALUES (?, ?, ?)",
        [(network_of(n), n, '["phone_shared"]') for n in ids],
    )


def _phones(con: sqlite3.Connection, ads: int) -> None:
    """One keyed phone hash per ad: the number of its version's `06 1234 nnnn`."""
    keys = {}
    for n in range(1, ads + 1):
        number = f"06 1234 {n % 10000:04d}"
        if number not in keys:
            keys[number] = search_key(number, DEMO_SECRET_KEY)
    con.executemany(
        "INSERT INTO phone_link (ad_id, ad_version_id, phone_key) VALUES (?, ?, ?)",
        [(n, n, keys[f"06 1234 {n % 10000:04d}"]) for n in range(1, ads + 1)],
    )


def _cases(con: sqlite3.Connection, ads: int) -> None:
    con.execute(
        "INSERT INTO user_account (id, username, display_name, role, totp_last_step, active, "
        "created_at) VALUES (999, 'collega', 'Collega', 'officer', 0, 1, ?)",
        (NOW,),
    )
    for case in range(1, CASES + 1):
        con.execute(
            "INSERT INTO case_file VALUES (?, ?, 'gemeente-0', ?, ?, ?, 999, ?, ?)",
            (
                case,
                f"MH-2026-{case:04d}",
                f"Zaak {case}",
                ("open", "in_overleg", "doorgezet", "afgesloten")[case % 4],
                f"2026-0{1 + case % 9}-15",
                NOW,
                NOW,
            ),
        )
        net = network_of(51 + case * GROUP)
        con.executemany(
            "INSERT INTO case_item (case_id, ad_id, network_id, added_at) VALUES (?, ?, ?, ?)",
            [(case, None, net, NOW), (case, case * 7, None, NOW), (case, case * 11, None, NOW)],
        )
        con.executemany(
            "INSERT INTO case_event (case_id, kind, partner, on_date, text, actor_id, "
            "created_at) VALUES (?, ?, ?, ?, ?, 999, ?)",
            [
                (case, "overleg", "avim_politie,riec", "2026-03-01", "Overleg", NOW),
                (case, "doorzetting", "avim_politie", "2026-03-02", "", NOW),
                (case, "notitie", None, None, "Notitie", NOW),
            ],
        )


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and p95 in milliseconds."""
    call()  # warm caches once
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def _get(client: TestClient, url: str) -> Callable[[], object]:
    def call() -> object:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


SEARCHES = {
    "search: phone (+31 6 …)": "+31 6 1234 0777",
    "search: name": "Naam4242",
    "search: two words": "zin third_party",
    "search: ad id": "#4242",
}


def token_of(client: TestClient) -> str:
    """The session's CSRF token from the search form on the queue page."""
    return client.get("/queue").text.split('name="csrf_token" value="')[1].split('"')[0]


def _post(client: TestClient, url: str, data: dict) -> Callable[[], object]:
    def call() -> object:
        response = client.post(url, data=data)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def main() -> None:
    """Fill, log in, and time each page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--municipalities", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        instance = Instance(load_settings(instance_env(Path(tmp) / "data")))
        upgrade(instance.db)
        started = time.perf_counter()
        fill(Path(tmp) / "data" / "adwatch.sqlite3", args.ads, args.municipalities)
        print(f"filled {args.ads:,} ads in {args.municipalities} municipalities in "
              f"{time.perf_counter() - started:.1f} s; the officer sees the first")  # fmt: skip
        with instance.db.writing() as session:
            user, _ = create_user(session, "bench", "officer", PASSWORD)
            change_grant(session, user, municipality_of(1, 1), granted=True, actor="bench")
        client = TestClient(create_app(instance, require_totp=False), base_url="http://127.0.0.1")
        page = client.get("/login").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
        pages = {
            "queue (open, page 1)": "/queue",
            "queue (tier hoog, page 3)": "/queue?tier=hoog&page=3",
            "queue (indicator third_party)": "/queue?indicator=third_party&status=",
            "ad page": f"/ads/{args.ads // 2 // args.municipalities * args.municipalities}",
            "network page (50 ads)": f"/networks/{NETWORK}",
            "grouped queue (page 1)": "/queue?group=network",
            "grouped queue (page 5)": "/queue?group=network&page=5",
            "case overview": "/cases",
            "case page": "/cases/7",
        }
        calls = {name: _get(client, url) for name, url in pages.items()}
        for name, query in SEARCHES.items():
            calls[name] = _post(client, "/search", {"q": query, "csrf_token": token_of(client)})
        print(f"{'page':34} {'median ms':>10} {'p95 ms':>10}")
        for name, call in calls.items():
            median, p95 = timed(call, args.runs)
            print(f"{name:34} {median:10.1f} {p95:10.1f}")
        instance.db.dispose()


if __name__ == "__main__":
    main()
