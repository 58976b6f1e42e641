"""A small key/value cache: memcached when configured, else a bounded in-process dict."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict

from oslo_config import cfg
from pymemcache.client.hash import HashClient

CACHE_OPTS = [
    cfg.BoolOpt("enabled", default=True, help="Cache token validation results."),
    cfg.ListOpt("memcache_servers", default=[], help="host:port of memcached servers."),
    cfg.IntOpt("expiration_time", default=300, help="Seconds an entry lives."),
]


class Cache:
    """get/set/delete of bytes values with a time to live."""

    def __init__(self, conf: cfg.ConfigOpts, max_entries: int = 10000) -> None:
        opts = conf.cache
        self.enabled = opts.enabled
        self.ttl = opts.expiration_time
        self._local: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._max = max_entries
        self._memcache = None
        if opts.memcache_servers:
            servers = [_host_port(s) for s in opts.memcache_servers]
            self._memcache = HashClient(servers, connect_timeout=1, timeout=1, ignore_exc=True)

    async def get(self, key: str) -> bytes | None:
        """The value under `key`, or None."""
        if not self.enabled:
            return None
        if self._memcache is not None:
            return await asyncio.to_thread(self._memcache.get, key)
        entry = self._local.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    async def set(self, key: str, value: bytes, ttl: int | None = None) -> None:
        """Store `value` under `key` for `ttl` seconds (default expiration_time)."""
        if not self.enabled:
            return
        ttl = ttl or self.ttl
        if self._memcache is not None:
            await asyncio.to_thread(self._memcache.set, key, value, expire=ttl)
            return
        self._local[key] = (time.monotonic() + ttl, value)
        self._local.move_to_end(key)
        while len(self._local) > self._max:
            self._local.popitem(last=False)

    async def clear(self) -> None:
        """Forget everything (revocations make cached validations stale)."""
        if self._memcache is not None:
            await asyncio.to_thread(self._memcache.flush_all)
        self._local.clear()


def _host_port(server: str) -> tuple[str, int]:
    host, _, port = server.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port or 11211)
