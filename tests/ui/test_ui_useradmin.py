"""User administration in the UI: create with a setup link, grant, revoke, deactivate; audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from adwatch.access.accounts import grants_of, user_named
from adwatch.storage.models import AuditEvent
from tests.ui.conftest import csrf_of


def post(client, url: str, **data):
    data["csrf_token"] = csrf_of(client.get("/users").text)
    return client.post(url, data=data, follow_redirects=False)


def test_an_admin_creates_grants_revokes_and_deactivates(admin, anon, world):
    created = post(admin, "/users", username="nieuw", role="officer", municipality="houten")
    link = re.search(r"<code>(http://127\.0\.0\.1/setup/[^<]+)</code>", created.text).group(1)
    assert "Aandachtsfunctionaris" in created.text
    assert anon.get(link.removeprefix("http://127.0.0.1")).status_code == 200
    with world.instance.db.reading() as session:
        user = user_named(session, "nieuw")
        assert grants_of(session, user.id) == ["houten"]
    assert post(admin, f"/users/{user.id}/revoke", municipality="houten").status_code == 303
    assert post(admin, f"/users/{user.id}/grant", municipality="houten").status_code == 303
    assert post(admin, f"/users/{user.id}/deactivate").status_code == 303
    with world.instance.db.reading() as session:
        assert not user_named(session, "nieuw").active
        actions = [
            e.action
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
            if e.object_ids == [user.id] and e.action != "view_users"
        ]
    assert actions == ["user_add", "grant", "view_setup", "revoke", "grant", "user_deactivate"]
    assert anon.get(link.removeprefix("http://127.0.0.1")).status_code == 404


def test_an_admin_gets_no_municipality_and_officers_cannot_administer(admin, officer):
    refused = post(admin, "/users", username="baas", role="admin", municipality="houten")
    assert "een beheerder geen" in refused.text
    token = csrf_of(officer.get("/queue").text)
    response = officer.post(
        "/users", data={"username": "x", "role": "officer", "csrf_token": token}
    )
    assert response.status_code == 403
