"""A small urllib client for the demo platform tests (a plain module, so tests can import it)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from parsel import Selector


@dataclass
class Reply:
    """One HTTP response, read completely."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def html(self) -> Selector:
        return Selector(text=self.text)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """Fetches from a served platform, with or without the consent cookie; never redirects."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._opener = urllib.request.build_opener(_NoRedirect)

    def get(self, path: str, consent: bool = True) -> Reply:
        headers = {"Cookie": "leeftijd_ok=1"} if consent else {}
        return self._open(urllib.request.Request(self.base_url + path, headers=headers))

    def post(self, path: str, form: dict[str, str]) -> Reply:
        data = urllib.parse.urlencode(form).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=data, method="POST"))

    def _open(self, request: urllib.request.Request) -> Reply:
        try:
            with self._opener.open(request, timeout=30) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())
