"""A throw-away redis-server on 127.0.0.1 for the distributed-crawl tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from tests.helpers import missing_prerequisite

URL_VARIABLE = "ADWATCH_TEST_REDIS_URL"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def redis_url() -> Iterator[str]:
    """`scripts/with-redis`'s server, or one started here; a skip when neither is possible."""
    if os.environ.get(URL_VARIABLE):
        yield os.environ[URL_VARIABLE]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        missing_prerequisite(
            "redis-server is missing: apt-get install redis-server, or scripts/with-redis"
        )
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="adwatch-redis-") as folder:
        args = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", folder]
        server = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        try:
            url = f"redis://127.0.0.1:{port}/0"
            _wait_until_up(url)
            yield url
        finally:
            server.terminate()
            server.wait(10)


def _wait_until_up(url: str) -> None:
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"redis-server at {url} did not start")
