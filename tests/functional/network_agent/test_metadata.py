"""169.254.169.254 answers every server, forwarded with the identity of the server's port."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kilocloud.network.agent.metadata import MetadataProxy, sign
from kilocloud.network.agent.state import DataPlane, Router
from tests.functional.network_agent.dataplanes import (
    dhcp_lease,
    http_get,
    network,
    port,
    router_port,
    with_ports,
)


class Echo(BaseHTTPRequestHandler):
    """A metadata API that answers with the path and headers it got."""

    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps({"path": self.path, "headers": dict(self.headers)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def metadata_api() -> Iterator[str]:
    """An HTTP server on loopback standing in for the metadata API; its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_a_server_with_a_dhcp_lease_reaches_the_metadata_address(
    agent,
    servers,
    metadata_api,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    agent.metadata = MetadataProxy(metadata_api, "s3cret")
    net = network("10.60.0.0/24", dhcp=True, vni=601)
    dhcp_port = port(net, "10.60.0.2", owner="network:dhcp", host=None, port_security_enabled=False)
    s = port(net, "10.60.0.11", port_security_enabled=False)
    await agent.sync(DataPlane([with_ports(net, dhcp_port, s)], [], []))
    ns = await servers.plug(s, None, agent.host_ns)
    dhcp_lease(ns, str(tmp_path))

    status, body = await asyncio.to_thread(
        http_get, ns, "http://169.254.169.254/openstack/latest/meta_data.json"
    )

    await agent.metadata.close()
    assert status == 200
    got = json.loads(body)
    assert got["path"] == "/openstack/latest/meta_data.json"
    assert got["headers"]["X-Instance-ID"] == s.device_id
    assert got["headers"]["X-Instance-ID-Signature"] == sign(s.device_id, "s3cret")
    assert got["headers"]["X-Forwarded-For"] == "10.60.0.11"
    assert got["headers"]["X-Neutron-Network-ID"] == net.id


async def test_a_server_behind_a_router_reaches_the_metadata_address_an_unknown_one_not(
    agent,
    servers,
    metadata_api,  # noqa: ANN001
) -> None:
    agent.metadata = MetadataProxy(metadata_api, "s3cret")
    net = network("10.61.0.0/24", vni=611)
    s, qr = port(net, "10.61.0.11", port_security_enabled=False), router_port(net, "10.61.0.1")
    router = Router("6" * 8 + "-r", None, True, [qr], [], [])
    await agent.sync(DataPlane([with_ports(net, s, qr)], [router], []))
    ns = await servers.plug(s, "10.61.0.0/24", agent.host_ns, gateway="10.61.0.1")

    status, body = await asyncio.to_thread(
        http_get, ns, "http://169.254.169.254/latest/meta-data/instance-id"
    )
    await agent.sync(DataPlane([with_ports(net, qr)], [router], []))
    status_unknown, _ = await asyncio.to_thread(
        http_get, ns, "http://169.254.169.254/latest/meta-data/instance-id"
    )

    await agent.metadata.close()
    assert status == 200
    assert json.loads(body)["headers"]["X-Neutron-Router-ID"] == router.id
    assert status_unknown == 404
