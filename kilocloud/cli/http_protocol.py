"""uvicorn's httptools protocol with the deadlines kilocloud/cli/connections.py configures."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class GuardedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header deadline and a body-read idle timeout."""

    header_timeout = 20.0
    body_timeout = 60.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Accept, with the header deadline running from now."""
        self._deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm(self.header_timeout)

    def on_message_begin(self) -> None:
        """A request starts: its headers are due within the header timeout."""
        super().on_message_begin()
        if self._deadline is None:
            self._arm(self.header_timeout)

    def on_headers_complete(self) -> None:
        """Headers in: from now on only the gaps between body reads are timed."""
        super().on_headers_complete()
        self._arm(self.body_timeout)

    def on_body(self, body: bytes) -> None:
        """More body: the idle timer starts over."""
        super().on_body(body)
        self._arm(self.body_timeout)

    def on_message_complete(self) -> None:
        """The whole request is in: nothing more to wait for."""
        super().on_message_complete()
        self._disarm()

    def handle_websocket_upgrade(self) -> None:
        """A websocket keeps its own (ping) timeouts."""
        self._disarm()
        super().handle_websocket_upgrade()

    def connection_lost(self, exc: Exception | None) -> None:
        """Gone: no deadline left to keep."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.flow.read_paused:  # the application is behind on the body, not the client
            self._arm(self.body_timeout)
            return
        self.transport.close()
