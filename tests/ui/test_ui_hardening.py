"""Issue 16: each attack on the UI that was reproduced, and how it now fails.

Finding 2 (TOTP off behind a reverse proxy), 4 (TOTP secrets in plain text), 7 (lockout by
strangers, unaudited refusals, setup views and account changes) and 8 (422 echo, no HSTS, no
Host check, cookies without `__Host-`). uvicorn's own 400 is checked against a real server in
test_serve_hardening.py.
"""

from __future__ import annotations

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from adwatch.access.accounts import create_user, totp_secret_of
from adwatch.errors import ConfigError
from adwatch.storage.models import AuditEvent, User
from application.commands.ui import check_serve_mode
from review_ui.app import create_app
from review_ui.security import LoginLimiter
from tests.ui.conftest import csrf_of, make_client
from tests.ui.uidata import PASSWORD


def _login(client: TestClient, username: str, password: str = PASSWORD, code: str = ""):
    token = csrf_of(client.get("/login").text)
    data = {"username": username, "password": password, "code": code, "csrf_token": token}
    return client.post("/login", data=data, follow_redirects=False)


def _audit(world, action: str) -> list[AuditEvent]:
    with world.instance.db.reading() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        rows = session.scalars(query).all()
        session.expunge_all()
        return list(rows)


# --- finding 2: TOTP ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "behind_tls"), [("127.0.0.1", True), ("0.0.0.0", False), ("10.0.0.5", False)]
)
def test_local_only_mode_is_refused_behind_tls_or_beyond_loopback(host, behind_tls) -> None:
    with pytest.raises(ConfigError, match="--local-only"):
        check_serve_mode(host, behind_tls, local_only=True)


def test_loopback_behind_tls_needs_totp(world) -> None:
    """`serve --host 127.0.0.1 --behind-tls` logged in with a password alone."""
    app = create_app(world.instance, require_totp=True, secure_cookies=True)
    with TestClient(app, base_url="https://127.0.0.1", raise_server_exceptions=False) as client:
        assert _login(client, "officer").status_code == 401
        code = pyotp.TOTP(world.secrets["officer"]).now()
        assert _login(client, "officer", code=code).status_code == 303


def test_a_forwarded_request_to_a_local_only_ui_needs_totp(world) -> None:
    with make_client(world, require_totp=False) as client:
        client.headers["X-Forwarded-For"] = "203.0.113.9"
        assert _login(client, "officer").status_code == 401


# --- finding 7: lockout ----------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_delays_grow_with_each_failure() -> None:
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    waits = []
    for _ in range(7):
        limiter.failed("officer", "198.51.100.7")
        waits.append(limiter.wait("officer", "198.51.100.7"))
    assert waits == [0, 0, 2.0, 4.0, 8.0, 16.0, 32.0]
    clock.now += 32.0
    assert limiter.wait("officer", "198.51.100.7") == 0


def test_strangers_cannot_lock_the_owner_out(world) -> None:
    """Five wrong passwords from anywhere locked an officer out for 15 minutes."""
    app = create_app(world.instance, require_totp=False)
    owner = TestClient(app, base_url="http://127.0.0.1", client=("192.0.2.10", 5000))
    with owner:
        assert _login(owner, "officer").status_code == 303  # the owner's usual origin
    for origin in range(30):
        stranger = TestClient(app, base_url="http://127.0.0.1", client=(f"198.51.100.{origin}", 1))
        with stranger:
            for _ in range(3):
                _login(stranger, "officer", password="y" * 20)
    with TestClient(app, base_url="http://127.0.0.1", client=("192.0.2.10", 5000)) as again:
        assert _login(again, "officer").status_code == 303
    with TestClient(app, base_url="http://127.0.0.1", client=("203.0.113.1", 1)) as unknown:
        assert _login(unknown, "officer").status_code == 429  # a new origin waits, for now


# --- finding 7: audit ------------------------------------------------------------------------


def test_csrf_failures_and_refused_writes_are_audited(officer, world) -> None:
    officer.post(
        f"/ads/{world.seeded.xss_ad}/decisions",
        data={"status": "monitoren", "reason": "x", "csrf_token": "vals"},
    )
    token = csrf_of(officer.get("/queue").text)
    data = {"status": "monitoren", "reason": "x", "csrf_token": token}
    assert officer.post("/ads/999999/decisions", data=data).status_code == 404
    refused = [(e.result, e.object_ids, e.actor) for e in _audit(world, "refused")]
    assert ("csrf", ["/ads/{ad_id}/decisions"], _officer(world)) in refused
    entries = _audit(world, "refused") + _audit(world, "decide")
    assert any(e.result in ("not_found", "refused") for e in entries), refused


def _officer(world) -> str:
    with world.instance.db.reading() as session:
        user_id = session.scalar(select(User.id).where(User.username == "officer"))
    return f"user:{user_id}:officer"


def test_every_view_of_the_setup_page_is_audited(world) -> None:
    with world.instance.db.writing() as session:
        user, token = create_user(session, "nieuw", "viewer", key=world.instance.totp_key)
        user_id = user.id
    with make_client(world) as client:
        assert client.get(f"/setup/{token}").status_code == 200
        assert client.get("/setup/niet-geldig").status_code == 404
    views = [(e.object_ids, e.result) for e in _audit(world, "view_setup")]
    assert views == [([user_id], "ok"), ([], "setup_invalid")]


def test_adding_a_user_is_audited(world) -> None:
    with world.instance.db.writing() as session:
        user, _ = create_user(session, "nieuw", "viewer", PASSWORD, actor="cli:beheer")
        user_id = user.id
    (entry,) = [e for e in _audit(world, "user_add") if e.object_ids == [user_id]]
    assert (entry.actor, entry.details) == ("cli:beheer", {"role": "viewer"})


# --- finding 4: TOTP secrets encrypted -------------------------------------------------------


def test_totp_secrets_are_stored_encrypted_and_still_log_in(world) -> None:
    key = world.instance.totp_key
    with world.instance.db.writing() as session:
        user, _ = create_user(session, "versleuteld", "officer", PASSWORD, key=key)
        stored, plain = user.totp_secret, totp_secret_of(user, key)
    assert stored.startswith("fernet1:") and plain not in stored
    with make_client(world, require_totp=True) as client:
        code = pyotp.TOTP(plain).now()
        assert _login(client, "versleuteld", code=code).status_code == 303


# --- finding 8: HTTP ---------------------------------------------------------------------------


def test_invalid_input_gets_the_html_error_page_without_echo(anon) -> None:
    token = csrf_of(anon.get("/login").text)
    long_name = "GEHEIM-" + "x" * 100
    response = anon.post("/login", data={"username": long_name, "csrf_token": token})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "GEHEIM" not in response.text and response.headers["content-security-policy"]


def test_behind_tls_cookies_are_host_prefixed_and_hsts_is_sent(world) -> None:
    app = create_app(world.instance, require_totp=False, secure_cookies=True)
    with TestClient(app, base_url="https://127.0.0.1") as client:
        page = client.get("/login")
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        assert page.headers["set-cookie"].startswith("__Host-adwatch_login_csrf=")
        response = _login(client, "officer")
        assert response.headers["set-cookie"].startswith("__Host-adwatch_session=")
        assert "secure" in response.headers["set-cookie"].lower()
        assert client.get("/queue").status_code == 200


def test_no_hsts_without_tls(anon) -> None:
    assert "strict-transport-security" not in anon.get("/login").headers


def test_a_host_not_on_the_allow_list_gets_the_error_page(world) -> None:
    app = create_app(world.instance, allowed_hosts=frozenset({"adwatch.houten.nl"}))
    with TestClient(app, base_url="https://adwatch.houten.nl") as client:
        assert client.get("/login").status_code == 200
        foreign = client.get("/login", headers={"host": "evil.example"})
    assert foreign.status_code == 400
    assert foreign.headers["content-security-policy"] and "<html" in foreign.text


def test_disabling_an_account_ends_its_sessions_and_is_audited(officer, world) -> None:
    from tests.helpers import instance_env, run_cli

    assert officer.get("/queue").status_code == 200
    world.instance.db.dispose()
    result = run_cli(instance_env(world.instance.settings.data_dir), "user", "disable", "officer")
    assert result.returncode == 0 and "disabled" in result.stdout, result.stderr
    assert officer.get("/queue", follow_redirects=False).status_code == 303
    (entry,) = _audit(world, "user_deactivate")
    assert entry.actor.startswith("cli:") and entry.object_ids == [
        int(_officer(world).split(":")[1])
    ]


def test_a_setup_token_never_reaches_the_log_or_the_audit_log(world, caplog) -> None:
    token = "geheim-token-uit-een-link"
    with make_client(world) as client, caplog.at_level("INFO", logger="adwatch.review_ui"):
        client.get(f"/setup/{token}")
        client.post(f"/setup/{token}", data={"csrf_token": "x"})
    assert token not in caplog.text and "/setup/{token}" in caplog.text
    with world.instance.db.reading() as session:
        logged = " ".join(str(e.object_ids) for e in session.scalars(select(AuditEvent)))
    assert token not in logged
