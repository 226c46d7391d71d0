"""Headers, cookies, sessions, CSRF, roles, rate limit and the generic error page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from adwatch.storage.models import UserSession
from review_ui.errors import UIError
from tests.ui.conftest import csrf_of, log_in, make_client
from tests.ui.uidata import PASSWORD


def test_every_response_carries_the_security_headers(officer, anon, world):
    for client, url in (
        (anon, "/login"),
        (officer, "/queue"),
        (officer, "/static/style.css"),
        (officer, f"/images/{world.seeded.image_ids[0]}"),
        (anon, "/nothing"),
    ):
        headers = client.get(url).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        if not url.startswith("/static"):
            assert headers["cache-control"] == "no-store"


def test_session_cookie_flags(anon):
    token = csrf_of(anon.get("/login").text)
    response = anon.post(
        "/login",
        data={"username": "officer", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie


def test_secure_cookie_behind_tls(world):
    from fastapi.testclient import TestClient

    from review_ui.app import create_app

    app = create_app(world.instance, require_totp=False, secure_cookies=True)
    with TestClient(app, base_url="https://localhost") as client:
        assert "secure" in client.get("/login").headers["set-cookie"].lower()


def test_pages_need_a_login(anon, world):
    for url in ("/queue", f"/ads/{world.seeded.xss_ad}", "/system", "/users"):
        response = anon.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert anon.get("/queue", headers={"accept": "application/json"}).status_code == 401


def test_roles_are_enforced(viewer, admin, world):
    ad = world.seeded.xss_ad
    assert viewer.get(f"/ads/{ad}").status_code == 200
    assert "leesrechten" in viewer.get(f"/ads/{ad}").text
    token = csrf_of(viewer.get("/queue").text)
    denied = viewer.post(
        f"/ads/{ad}/decisions", data={"csrf_token": token, "status": "monitoren", "reason": "x"}
    )
    assert denied.status_code == 403
    assert viewer.get("/users").status_code == 403
    assert admin.get("/queue").status_code == 403
    assert admin.get(f"/ads/{ad}").status_code == 403
    assert admin.get("/users").status_code == 200 and admin.get("/system").status_code == 200


def test_post_without_csrf_token_is_refused(officer, world):
    response = officer.post(
        f"/ads/{world.seeded.xss_ad}/decisions",
        data={"status": "monitoren", "reason": "x", "csrf_token": "wrong"},
    )
    assert response.status_code == 403 and "Het formulier is verlopen" in response.text


def test_login_form_needs_its_csrf_token(anon):
    anon.get("/login")
    response = anon.post(
        "/login", data={"username": "officer", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_no_state_change_on_get(officer, world):
    assert officer.get("/logout").status_code == 404
    assert officer.get(f"/ads/{world.seeded.xss_ad}/decisions").status_code == 404
    assert officer.get("/queue").status_code == 200


def test_logout_ends_the_session_on_the_server(officer, world):
    cookie = officer.cookies.get("adwatch_session")
    token = csrf_of(officer.get("/queue").text)
    officer.post("/logout", data={"csrf_token": token})
    with make_client(world) as replay:
        replay.cookies.set("adwatch_session", cookie)
        assert replay.get("/queue", follow_redirects=False).status_code == 303


def _age_sessions(world, idle: timedelta, total: timedelta) -> None:
    with world.instance.db.writing() as session:
        for row in session.scalars(select(UserSession)):
            row.last_seen_at = row.last_seen_at - idle
            row.created_at = row.created_at - total


def test_sessions_expire_after_15_minutes_idle(officer, world):
    _age_sessions(world, timedelta(minutes=16), timedelta(minutes=16))
    assert officer.get("/queue", follow_redirects=False).status_code == 303


def test_sessions_expire_after_8_hours_in_all(officer, world):
    _age_sessions(world, timedelta(0), timedelta(hours=8, minutes=1))
    assert officer.get("/queue", follow_redirects=False).status_code == 303
    with world.instance.db.reading() as session:
        assert session.scalar(select(UserSession.ended_at)) is not None


def test_login_is_rate_limited(anon):
    """Three free failures per username and origin, then a wait (growing: test_ui_hardening)."""
    statuses = []
    for _ in range(5):
        token = csrf_of(anon.get("/login").text)
        statuses.append(
            anon.post(
                "/login", data={"username": "officer", "password": "x" * 20, "csrf_token": token}
            ).status_code
        )
    assert statuses[:3] == [401] * 3 and statuses[3:] == [429, 429]
    token = csrf_of(anon.get("/login").text)
    right = anon.post(
        "/login", data={"username": "officer", "password": PASSWORD, "csrf_token": token}
    )
    assert right.status_code == 429  # from this origin, also the right password waits


def test_totp_required_beyond_loopback(world):
    with make_client(world, require_totp=True) as client:
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login", data={"username": "officer", "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 401
        log_in(client, "officer", world.secrets["officer"])
        assert client.get("/queue").status_code == 200


def test_unexpected_errors_show_a_generic_page_with_a_correlation_id(officer, world, monkeypatch):
    from review_ui.routes import queue

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(queue, "queue_page", broken)
    response = officer.get("/queue")
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert "Vermeld bij een vraag" in response.text
    assert response.headers["content-security-policy"]
    as_json = officer.get("/queue", headers={"accept": "application/json"}).json()
    assert as_json["error"] == "internal" and as_json["correlation_id"]


def test_ui_error_is_the_one_error_type():
    error = UIError(404)
    assert error.status == 404 and error.code == "not_found" and "bestaat niet" in error.message


def test_sessions_table_keeps_only_hashes(officer, world):
    cookie = officer.cookies.get("adwatch_session")
    with world.instance.db.reading() as session:
        ids = list(session.scalars(select(UserSession.id)))
    assert cookie not in ids and all(i.startswith("sha256:") for i in ids)
    with world.instance.db.writing() as session:
        session.execute(update(UserSession).values(ended_at=None))
