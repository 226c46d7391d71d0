"""Accounts: the password policy, argon2id, TOTP used once, setup links and the CLI."""

from __future__ import annotations

import re

import pyotp
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from adwatch.access.accounts import (
    AccountError,
    check_password_policy,
    create_user,
    hash_password,
    verify_password,
    verify_totp,
)
from adwatch.storage.models import User
from application.cli import main
from tests.helpers import run_cli
from tests.ui.conftest import csrf_of, make_client


def test_password_policy_is_length_only():
    check_password_policy("a" * 15)
    check_password_policy("x" * 128)
    for bad in ("a" * 14, "a" * 129):
        with pytest.raises(AccountError):
            check_password_policy(bad)


def test_passwords_are_argon2id():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "wrong horse battery")
    assert not verify_password(None, "correct horse battery")


def test_totp_code_is_accepted_once_within_one_step():
    user = User(username="u", display_name="u", role="officer", totp_secret=pyotp.random_base32())
    totp, now = pyotp.TOTP(user.totp_secret), 1_800_000_000
    code = totp.at(now)
    assert verify_totp(user, code, now)
    assert not verify_totp(user, code, now)  # replay
    assert verify_totp(user, totp.at(now + 30), now)  # next step, still within ±1
    assert not verify_totp(user, totp.at(now + 90), now)
    assert not verify_totp(user, "abc", now)


def test_setup_link_sets_password_and_is_spent(world):
    with world.instance.db.writing() as session:
        user, token = create_user(session, "nieuw", "viewer")
        secret = user.totp_secret
    assert token
    with world.instance.db.reading() as session:
        stored = session.scalar(select(User).where(User.username == "nieuw"))
        assert stored.setup_token_hash != token and stored.password_hash is None
    with make_client(world) as client:
        page = client.get(f"/setup/{token}")
        assert page.status_code == 200 and secret in page.text
        data = {"password": "een goede lange zin", "password_repeat": "een goede lange zin",
                "code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)}  # fmt: skip
        done = client.post(f"/setup/{token}", data=data, follow_redirects=False)
        assert done.status_code == 303
        assert client.get(f"/setup/{token}").status_code == 404


def test_setup_refuses_a_short_password(world):
    with world.instance.db.writing() as session:
        user, token = create_user(session, "kort", "viewer")
        secret = user.totp_secret
    with make_client(world) as client:
        page = client.get(f"/setup/{token}")
        data = {"password": "kort", "password_repeat": "kort", "code": pyotp.TOTP(secret).now(),
                "csrf_token": csrf_of(page.text)}  # fmt: skip
        assert client.post(f"/setup/{token}", data=data).status_code == 400


def test_cli_user_add_and_list(env, instance):
    added = run_cli(env, "user", "add", "marieke", "--role", "officer")
    assert added.returncode == 0, added.stderr
    assert re.search(r"/setup/[\w-]{20,}", added.stdout)
    cli = CliRunner()
    listed = cli.invoke(main, ["user", "list"], env=env)
    assert "marieke" in listed.output and "officer" in listed.output
    again = cli.invoke(main, ["user", "add", "marieke", "--role", "viewer"], env=env)
    assert again.exit_code != 0 and "already exists" in again.output
    assert cli.invoke(main, ["user", "add", "x", "--role", "root"], env=env).exit_code != 0


def test_cli_user_add_with_password_from_stdin(env, instance):
    cli = CliRunner()
    result = cli.invoke(
        main,
        ["user", "add", "jan", "--role", "viewer", "--password-stdin"],
        env=env,
        input="een lang genoeg wachtwoord\n",
    )
    assert result.exit_code == 0 and "otpauth://totp/" in result.output
    short = cli.invoke(
        main, ["user", "add", "piet", "--role", "viewer", "--password-stdin"], env=env, input="x\n"
    )
    assert short.exit_code != 0 and "15 to 128" in short.output
