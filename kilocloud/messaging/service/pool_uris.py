"""Pool URIs: a storage engine this cloud can use, at an address that answers."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from kilocloud.messaging.errors import InvalidBody

DEFAULT_PORTS = {"redis": 6379, "rediss": 6379, "mysql": 3306, "mariadb": 3306, "postgresql": 5432}
CONNECT_SECONDS = 2.0


async def check(uri: object) -> str:
    """`uri` if it names a message store that accepts a connection now; 400 otherwise."""
    if not isinstance(uri, str) or not uri:
        raise InvalidBody("A pool uri must be a URL.")
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        raise InvalidBody(f"cannot connect to {uri}: not a valid URL") from None
    engine = parts.scheme.split("+")[0].lower()
    if engine == "sqlite":
        return uri
    if engine not in DEFAULT_PORTS:
        raise InvalidBody(f"cannot connect to {uri}: pools are Redis or SQL (sqlite, mysql, ...)")
    if not parts.hostname or not await _answers(parts.hostname, port or DEFAULT_PORTS[engine]):
        raise InvalidBody(f"cannot connect to {uri}")
    return uri


async def _answers(host: str, port: int) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), CONNECT_SECONDS)
    except (OSError, TimeoutError):
        return False
    writer.close()
    return True
