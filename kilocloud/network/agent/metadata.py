"""The metadata proxy: 169.254.169.254 inside each qdhcp/qrouter namespace, forwarded to the
metadata API with the identity of the port that asked, as neutron-metadata-agent does.

The listening sockets are made inside the namespaces and served by the agent's own event loop,
so no process runs in them and a restarted agent simply makes them again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import socket
from dataclasses import dataclass
from http import HTTPStatus

import httpx

from kilocloud.network.agent import netlink
from kilocloud.network.agent.state import Port

MAX_HEAD = 16384


@dataclass(frozen=True)
class Listener:
    """Where to listen and who is asking there: the ports by address, and the network/router."""

    ns: str
    address: str
    port: int
    ports: dict[str, Port]
    header: tuple[str, str]  # ("X-Neutron-Network-ID", id) or ("X-Neutron-Router-ID", id)


def sign(instance_id: str, secret: str) -> str:
    """Neutron's X-Instance-ID-Signature: hex HMAC-SHA256 of the instance id."""
    return hmac.new(secret.encode(), instance_id.encode(), hashlib.sha256).hexdigest()


class MetadataProxy:
    """Listeners in namespaces forwarding GETs to the metadata API."""

    def __init__(self, url: str, secret: str) -> None:
        self.url = url.rstrip("/")
        self.secret = secret
        self._servers: dict[tuple[str, str, int], asyncio.Server] = {}
        self._listeners: dict[tuple[str, str, int], Listener] = {}
        self._client = httpx.AsyncClient(timeout=30)

    async def sync(self, wanted: list[Listener]) -> None:
        """Listen exactly where wanted (new namespaces get a socket, gone ones lose theirs)."""
        self._listeners = {(w.ns, w.address, w.port): w for w in wanted}
        for key in set(self._servers) - set(self._listeners):
            await self._stop(key)
        for key in set(self._listeners) - set(self._servers):
            sock = await asyncio.to_thread(_listening_socket, *key)
            self._servers[key] = await asyncio.start_server(
                lambda r, w, key=key: self._handle(key, r, w), sock=sock
            )

    async def close(self) -> None:
        """Stop every listener."""
        await self.sync([])
        await self._client.aclose()

    async def _stop(self, key: tuple[str, str, int]) -> None:
        server = self._servers.pop(key)
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 2)

    async def _handle(
        self, key: tuple[str, str, int], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            method, target = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[:2]
            peer = writer.get_extra_info("peername")[0]
            status, body, kind = await self._answer(key, method, target, peer)
            reason = HTTPStatus(status).phrase
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError):
            pass
        finally:
            writer.close()

    async def _answer(
        self, key: tuple[str, str, int], method: str, target: str, peer: str
    ) -> tuple[int, bytes, str]:
        listener = self._listeners.get(key)
        port = listener.ports.get(peer) if listener else None
        if port is None or method not in ("GET", "HEAD"):
            return 404, b"404 Not Found\n", "text/plain"
        headers = {
            "X-Forwarded-For": peer,
            "X-Instance-ID": port.device_id,
            "X-Instance-ID-Signature": sign(port.device_id, self.secret),
            "X-Neutron-Port-ID": port.id,
            listener.header[0]: listener.header[1],
        }
        try:
            answer = await self._client.request(method, self.url + target, headers=headers)
        except httpx.HTTPError:
            return 503, b"503 Service Unavailable\n", "text/plain"
        return answer.status_code, answer.content, answer.headers.get("content-type", "text/plain")


def _listening_socket(ns: str, address: str, port: int) -> socket.socket:
    """A TCP socket listening on address:port inside namespace ns."""
    with netlink.entered(ns):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((address, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock
