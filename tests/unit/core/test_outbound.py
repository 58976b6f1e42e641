"""The outbound request guard: URL and address rules, with the real resolver on loopback names
and literals, and the guarded client against a listener on loopback that must receive nothing."""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from kilocloud.core import outbound, outbound_http
from kilocloud.image import task_config
from kilocloud.opts import load_conf


def _rules(**opts: object) -> outbound.Rules:
    conf = load_conf()
    for name, value in opts.items():
        conf.set_override(name, value, group="import_filtering_opts")
    return task_config.filter_rules(conf)


def _check(rules: outbound.Rules, url: str) -> list[str]:
    return asyncio.run(outbound.check(rules, url))


INTERNAL = [
    "http://127.0.0.1/x",
    "http://127.1/x",
    "http://0x7f000001/x",
    "http://2130706433/x",
    "http://localhost/x",
    "http://0.0.0.0/x",
    "http://10.1.2.3/x",
    "http://192.168.0.1/x",
    "http://100.64.0.1/x",
    "http://169.254.169.254/latest/meta-data",
    "http://224.0.0.1/x",
    "http://[::1]/x",
    "http://[::]/x",
    "http://[::ffff:127.0.0.1]/x",
    "http://[fe80::1]/x",
    "http://[fc00::1]/x",
    # IPv4 embedded in IPv6: NAT64, 6to4, IPv4-compatible, IPv4-translated; site-local
    "http://[64:ff9b::a9fe:a9fe]/x",
    "http://[64:ff9b::7f00:1]/x",
    "http://[64:ff9b:1::a9fe:a9fe]/x",
    "http://[2002:a9fe:a9fe::]/x",
    "http://[2002:7f00:1::1]/x",
    "http://[::169.254.169.254]/x",
    "http://[::127.0.0.1]/x",
    "http://[::ffff:0:a9fe:a9fe]/x",
    "http://[::ffff:0:127.0.0.1]/x",
    "http://[fec0::1]/x",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_non_public_addresses_are_refused_by_default(url: str) -> None:
    with pytest.raises(outbound.Refused, match="non-public"):
        _check(_rules(), url)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "2606:4700::1111", "64:ff9b::808:808", "2002:808:808::1"]
)
def test_public_addresses_pass(address: str) -> None:
    outbound.check_address(_rules(), address)


def test_loopback_allowed_by_an_exception_network_but_not_link_local() -> None:
    rules = _rules(allowed_private_networks=["127.0.0.0/8"])
    assert _check(rules, "http://127.0.0.1/x") == ["127.0.0.1"]
    with pytest.raises(outbound.Refused):
        _check(rules, "http://169.254.169.254/x")
    with pytest.raises(outbound.Refused):
        _check(rules, "http://[64:ff9b::a9fe:a9fe]/x")


@pytest.mark.parametrize(
    ("opts", "url", "words"),
    [
        ({}, "file:///etc/passwd", "scheme"),
        ({}, "ftp://example.com/x", "scheme"),
        ({}, "http://example.com:8080/x", "Port 8080"),
        ({"disallowed_hosts": ["example.com"]}, "http://example.com/x", "Host"),
        ({"allowed_hosts": ["images.example.org"]}, "http://example.com/x", "Host"),
        ({"allowed_ports": [], "disallowed_ports": ["8080"]}, "http://e.com:8080/", "Port"),
        ({"allowed_schemes": [], "disallowed_schemes": ["http"]}, "http://e.com/", "scheme"),
        ({}, "http://[zz/", "Invalid URL"),
        ({}, "http:///nohost", "cannot be reached"),
        ({}, "http://" + "a" * 3000 + ".example.com/x", "cannot be reached"),
        ({}, "http://" + ("a" * 60 + ".") * 5 + "com/x", "cannot be reached"),
        ({}, "http://a..example.com/x", "cannot be reached"),
        ({}, "http://xn--localhost-/x", "Invalid URL"),
        ({}, "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/x", "Invalid URL"),
        ({}, "http://0177.0.0.1/x", "Invalid URL"),
    ],
)
def test_static_filters(opts: dict, url: str, words: str) -> None:
    with pytest.raises(outbound.Refused, match=words):
        outbound.check_url(_rules(**opts), url)


class Listener:
    """A TCP listener on loopback counting the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/\r\n")
            conn.sendall(b"Content-Length: 0\r\n\r\n")
            conn.close()


async def _get(rules: outbound.Rules, url: str) -> int:
    async with outbound_http.client(rules, 5) as http:
        return (await http.get(url)).status_code


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.1", "[::ffff:127.0.0.1]"])
def test_guarded_client_never_connects_to_a_refused_address(host: str) -> None:
    listener = Listener()
    rules = _rules(allowed_ports=[])
    with pytest.raises(outbound.Refused, match="non-public"):
        asyncio.run(_get(rules, f"http://{host}:{listener.port}/x"))
    assert listener.accepted == 0


def test_guarded_client_rechecks_each_redirect_hop() -> None:
    listener = Listener()
    rules = _rules(allowed_ports=[str(listener.port)], allowed_private_networks=["127.0.0.0/8"])
    with pytest.raises(outbound.Refused, match="Port 9"):
        asyncio.run(_get(rules, f"http://127.0.0.1:{listener.port}/x"))
    assert listener.accepted == 1
