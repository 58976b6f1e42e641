"""URL filtering for web-download, with the real resolver on loopback names and literals."""

from __future__ import annotations

import asyncio

import pytest

from kilocloud.image.service import ssrf
from kilocloud.opts import load_conf


def _conf(**opts: object):  # noqa: ANN202
    conf = load_conf()
    for name, value in opts.items():
        conf.set_override(name, value, group="import_filtering_opts")
    return conf


def _check(conf, url: str) -> ssrf.Target:  # noqa: ANN001
    return asyncio.run(ssrf.check(conf, url))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://192.168.0.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
        "http://[fe80::1]/x",
    ],
)
def test_non_public_addresses_are_refused_by_default(url: str) -> None:
    with pytest.raises(ssrf.Forbidden, match="non-public"):
        _check(_conf(), url)


def test_loopback_allowed_by_an_exception_network_but_not_link_local() -> None:
    conf = _conf(allowed_private_networks=["127.0.0.0/8"])
    assert _check(conf, "http://127.0.0.1/x").address == "127.0.0.1"
    with pytest.raises(ssrf.Forbidden):
        _check(conf, "http://169.254.169.254/x")


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
        ({}, "http:///nohost", "cannot be downloaded"),
        ({}, "http://" + "a" * 3000 + ".example.com/x", "cannot be downloaded"),
        ({}, "http://" + ("a" * 60 + ".") * 5 + "com/x", "cannot be downloaded"),
        ({}, "http://a..example.com/x", "cannot be downloaded"),
    ],
)
def test_static_filters(opts: dict, url: str, words: str) -> None:
    with pytest.raises(ssrf.Forbidden, match=words):
        ssrf.check_static(_conf(**opts), url)


def test_connect_url_pins_the_checked_address_and_keeps_the_host() -> None:
    target = ssrf.Target("https", "example.com", 8443, "2001:db8::1", "/a?b=c")
    assert target.connect_url == "https://[2001:db8::1]:8443/a?b=c"
    assert target.host_header == "example.com:8443"
    assert ssrf.Target("http", "h", 80, "1.2.3.4", "/").host_header == "h"
