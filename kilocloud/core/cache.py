"""A shared cache in memcached, for what several API processes should compute only once."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from oslo_config import cfg

if TYPE_CHECKING:
    from pymemcache.client.hash import HashClient

CACHE_OPTS = [
    cfg.BoolOpt("enabled", default=True, help="Use memcached when servers are configured."),
    cfg.ListOpt("memcache_servers", default=[], help="host:port of memcached servers."),
    cfg.IntOpt("expiration_time", default=300, help="Seconds an entry lives."),
]


class Cache:
    """get/set of bytes values in memcached; does nothing when no servers are configured."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        opts = conf.cache
        self.ttl = opts.expiration_time
        self._client: HashClient | None = None
        if opts.enabled and opts.memcache_servers:
            servers = [_host_port(s) for s in opts.memcache_servers]
            from pymemcache.client.hash import HashClient  # only clouds with memcached load it

            self._client = HashClient(servers, connect_timeout=1, timeout=1, ignore_exc=True)

    @property
    def enabled(self) -> bool:
        """Whether a memcached is configured."""
        return self._client is not None

    async def get(self, key: str) -> bytes | None:
        """The value under `key`, or None (also when memcached is down)."""
        if self._client is None:
            return None
        return await asyncio.to_thread(self._client.get, key)

    async def set(self, key: str, value: bytes, ttl: int | None = None) -> None:
        """Store `value` under `key` for `ttl` seconds (default expiration_time)."""
        if self._client is not None:
            await asyncio.to_thread(self._client.set, key, value, ttl or self.ttl)


def _host_port(server: str) -> tuple[str, int]:
    host, _, port = server.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port or 11211)
