"""The HTTP clients of deliveries, made on first use.

Most clouds never deliver to a webhook, and making an httpx client (its TLS context and
connection pool) took a tenth of a fresh start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx


class LazyClient:
    """The few httpx.AsyncClient calls deliveries make, on a client built when first needed."""

    def __init__(self, make: Callable[[], httpx.AsyncClient]) -> None:
        self.make = make
        self._client: httpx.AsyncClient | None = None

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST through the shared client."""
        if self._client is None:
            self._client = self.make()
        return await self._client.post(url, **kwargs)

    async def aclose(self) -> None:
        """Close the client if one was made."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
