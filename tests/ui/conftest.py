"""Fixtures of the UI tests: a seeded instance, accounts, and logged-in in-process clients."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from adwatch.access import accounts
from adwatch.config.settings import load_settings
from adwatch.instance import Instance
from adwatch.storage.migrate import upgrade
from review_ui.app import create_app
from tests.helpers import instance_env
from tests.ui.uidata import PASSWORD, Seeded, add_user, build

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    """The seeded instance, its ids and the TOTP secrets of its accounts."""

    instance: Instance
    seeded: Seeded
    secrets: dict[str, str]


def _open(data_dir: Path) -> Instance:
    return Instance(load_settings(instance_env(data_dir)))


@pytest.fixture(scope="session")
def template_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded, dict]:
    """The seeded world built once; each test gets a copy of its folder."""
    data_dir = tmp_path_factory.mktemp("ui-template") / "data"
    instance = _open(data_dir)
    upgrade(instance.db)
    seeded = build(instance.db, instance.blobs)
    # Cheap argon2 parameters for the test accounts only: the hash carries its parameters, so
    # verifying them is cheap too, while the production default stays as it is.
    default, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=1024)
    try:
        secrets = {
            role: add_user(instance.db, role, role) for role in ("officer", "viewer", "admin")
        }
    finally:
        accounts._hasher = default
    instance.db.dispose()
    return data_dir, seeded, secrets


@pytest.fixture
def world(template_world, tmp_path: Path) -> Iterator[World]:
    """A private copy of the seeded instance, with one account per role."""
    source, seeded, secrets = template_world
    shutil.copytree(source, tmp_path / "data")
    instance = _open(tmp_path / "data")
    yield World(instance, seeded, secrets)
    instance.db.dispose()


def csrf_of(html: str) -> str:
    """The CSRF token in a page's first form."""
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def log_in(client: TestClient, username: str, secret: str | None = None) -> TestClient:
    """Log the client in through the form (with a TOTP code when a secret is given)."""
    token = csrf_of(client.get("/login").text)
    code = pyotp.TOTP(secret).now() if secret else ""
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "code": code, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def make_client(world: World, require_totp: bool = False) -> TestClient:
    """An in-process client of a fresh app."""
    app = create_app(world.instance, require_totp=require_totp)
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


@pytest.fixture
def anon(world: World) -> Iterator[TestClient]:
    """A client that is not logged in."""
    with make_client(world) as client:
        yield client


@pytest.fixture
def officer(world: World) -> Iterator[TestClient]:
    """A client logged in as an officer."""
    with make_client(world) as client:
        yield log_in(client, "officer")


@pytest.fixture
def viewer(world: World) -> Iterator[TestClient]:
    """A client logged in as a viewer (read only)."""
    with make_client(world) as client:
        yield log_in(client, "viewer")


@pytest.fixture
def admin(world: World) -> Iterator[TestClient]:
    """A client logged in as an admin."""
    with make_client(world) as client:
        yield log_in(client, "admin")
