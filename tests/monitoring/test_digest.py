"""The nightly digest through a real SMTP server on 127.0.0.1 (aiosmtpd, STARTTLS required):
counts and a link arrive; none of the world's names, numbers or texts do; off by default."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import shutil
import socket
import ssl
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from adwatch.casework.digest import send_digests
from adwatch.config.schemas import load_app_config
from adwatch.config.settings import load_settings
from adwatch.errors import ConfigError
from adwatch.instance import Instance
from adwatch.storage.migrate import upgrade
from adwatch.storage.models import AdVersion, DigestSubscription, User
from tests.helpers import CONFIG_DIR, instance_env
from tests.ui.uidata import add_user, build

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
LOGIN = ("digest-bot", "een wachtwoord voor de test")


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Inbox:
    """Keeps every message the server accepted, and whether it came over TLS with a login."""

    def __init__(self) -> None:
        self.messages: list[tuple[bytes, bool, bool]] = []

    async def handle_DATA(self, server, session, envelope):
        tls = session.ssl is not None
        self.messages.append((envelope.content, tls, session.authenticated))
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult

    ok = (auth_data.login.decode(), auth_data.password.decode()) == LOGIN
    return AuthResult(success=ok)


@pytest.fixture
def smtp(tmp_path: Path):
    cert, key = _certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on loopback (aiosmtpd cannot take port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd.Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_tls,
        require_starttls=True,
        authenticator=_authenticator,
        auth_require_tls=True,
    )
    controller.start()
    client_tls = ssl.create_default_context(cafile=str(cert))
    yield inbox, port, client_tls
    controller.stop()


def _instance(tmp_path: Path, port: int | None) -> Instance:
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    app = yaml.safe_load((config / "adwatch.yaml").read_text())
    if port is not None:
        app["digest"] = {
            "enabled": True,
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "sender": "adwatch@houten.example",
            "base_url": "https://adwatch.houten.example",
        }
    (config / "adwatch.yaml").write_text(yaml.safe_dump(app))
    env = instance_env(tmp_path / "data", config)
    env.update({"ADWATCH_SMTP_USERNAME": LOGIN[0], "ADWATCH_SMTP_PASSWORD": LOGIN[1]})
    instance = Instance(load_settings(env))
    upgrade(instance.db)
    build(instance.db, instance.blobs)
    add_user(instance.db, "officer", "officer")
    with instance.db.writing() as session:
        user = session.scalar(select(User).where(User.username == "officer"))
        session.add(DigestSubscription(user_id=user.id, email="officier@houten.example"))
    return instance


def _world_words(instance: Instance) -> set[str]:
    """Every name, phone text, title and text fragment of the world (longer than 3 letters)."""
    with instance.db.reading() as session:
        versions = session.scalars(select(AdVersion)).all()
    words = set()
    for v in versions:
        words |= {v.name, v.phone_text, v.phone_text.replace(" ", ""), v.title}
        words |= {w.strip(".,!") for w in v.text.split() if len(w.strip(".,!")) > 5}
    return {w for w in words if w and len(w) > 3}


def test_the_digest_holds_counts_and_a_link_only(tmp_path: Path, smtp):
    inbox, port, client_tls = smtp
    instance = _instance(tmp_path, port)
    assert send_digests(instance, context=client_tls) == 1
    ((content, tls, logged_in),) = inbox.messages
    assert tls and logged_in
    body = content.decode()
    assert "https://adwatch.houten.example/home" in body
    assert "nieuwe advertenties met signaal hoog of middel" in body
    said = set(re.findall(r"[\w'+-]+", body.lower()))
    world = {w.lower() for w in _world_words(instance)} - {"houten"}  # the municipality may
    phrases = [w for w in world if " " in w and w in body.lower()]
    assert sorted(world & said) == [] and phrases == []
    assert not re.search(r"\d{6,}", body.replace(" ", ""))  # no phone number in any notation
    with instance.db.reading() as session:
        assert session.scalar(select(DigestSubscription.last_sent_at)) is not None
    instance.db.dispose()


def test_the_digest_is_off_by_default(tmp_path: Path, smtp):
    inbox, _, client_tls = smtp
    instance = _instance(tmp_path, None)
    assert send_digests(instance, context=client_tls) == 0
    assert inbox.messages == []
    instance.db.dispose()


def test_an_enabled_digest_without_sender_fails_at_load(tmp_path: Path):
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    app = yaml.safe_load((config / "adwatch.yaml").read_text())
    app["digest"] = {"enabled": True}
    (config / "adwatch.yaml").write_text(yaml.safe_dump(app))
    with pytest.raises(ConfigError, match=r"digest\.sender"):
        load_app_config(config)
