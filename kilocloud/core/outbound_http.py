"""The guarded HTTP client: every request, redirect hop and connection checked by the rules.

The request's URL is checked as it is sent (each redirect hop is a new request), and the
connection is made by a network backend that resolves the host, checks every address and
connects to a checked one: the address checked is the address connected to.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpcore
import httpx

from kilocloud.core import outbound


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses the rules allow, resolved here."""

    def __init__(self, rules: outbound.Rules) -> None:
        self.rules = rules
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """A stream to the first checked address of `host` that answers."""
        outbound.check_host(self.rules, host, port)
        error: Exception | None = None
        for address in await outbound.resolve(self.rules, host, port):
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Never: outbound requests go over TCP only."""
        raise outbound.Refused("Outbound requests may not use unix sockets.")

    async def sleep(self, seconds: float) -> None:
        """Sleep as the inner backend does."""
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its URL checked per request and its connections guarded."""

    def __init__(self, rules: outbound.Rules) -> None:
        # not httpx's __init__: it would build (and TLS-configure) a pool only to be replaced;
        # the parent's request mapping runs on this pool, whose backend is the guard's
        limits = httpx.Limits()
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(rules),
        )
        self.rules = rules

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Refused unless the URL passes the rules; sent through the guarded pool otherwise."""
        outbound.check_url(self.rules, str(request.url))
        return await super().handle_async_request(request)


def client(rules: outbound.Rules, timeout: httpx.Timeout | float) -> httpx.AsyncClient:
    """An HTTP client for requests made for a user: redirects followed up to the rules'
    max_redirects, each hop checked; no proxy or netrc from the environment."""
    return httpx.AsyncClient(
        transport=GuardedTransport(rules),
        timeout=timeout,
        follow_redirects=rules.max_redirects > 0,
        max_redirects=rules.max_redirects,
        trust_env=False,
    )
