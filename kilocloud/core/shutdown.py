"""Graceful shutdown: requests still running when the server stops waiting end cleanly."""

from __future__ import annotations

import asyncio
import contextvars
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG = logging.getLogger(__name__)
UNWIND_S = 10.0
_BODY = b"The server is shutting down.\n"
_UNAVAILABLE = {
    "type": "http.response.start",
    "status": 503,
    "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(_BODY)).encode()),
        (b"connection", b"close"),
    ],
}
# set in the task of a request cut short, where the server then logs about it
_CUT_SHORT: contextvars.ContextVar[bool] = contextvars.ContextVar("cut_short", default=False)


def _server_lines(record: logging.LogRecord) -> bool:
    """Drop the server's own lines about requests cut short: Drain says it in one line."""
    msg = str(record.msg)
    if msg.startswith("Cancel %s running task(s)"):
        return False
    return not (_CUT_SHORT.get() and msg.startswith("ASGI callable returned without completing"))


class Draining:
    """Whether this process is draining: still serving, but telling balancers to go elsewhere."""

    def __init__(self) -> None:
        self.started = False


class Drain:
    """ASGI wrapper: a request the server cancels at shutdown (a long upload or download)
    unwinds its own clean-up (an image being saved goes back to queued), gets a 503 with
    `Connection: close` if nothing was sent yet, and the application shuts down only after."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.running: set[asyncio.Task] = set()
        self.aborted: list[str] = []
        server_log = logging.getLogger("uvicorn.error")
        if _server_lines not in server_log.filters:
            server_log.addFilter(_server_lines)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, self._after_requests(receive), send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        task = asyncio.current_task()
        self.running.add(task)
        try:
            await self.app(scope, receive, tracking)
        except asyncio.CancelledError:
            _CUT_SHORT.set(True)
            self.aborted.append(f"{scope.get('method', 'WEBSOCKET')} {scope['path']}")
            if scope["type"] == "http" and not started:
                await send(_UNAVAILABLE)
                await send({"type": "http.response.body", "body": _BODY})
        finally:
            self.running.discard(task)

    def _after_requests(self, receive: Receive) -> Receive:
        async def wrapped() -> Message:
            try:
                message = await receive()
            except asyncio.CancelledError:  # a second Ctrl-C: the server skips the app's
                message = {"type": "lifespan.shutdown"}  # shutdown; run it all the same
            if message["type"] == "lifespan.shutdown":
                await self._unwind()
            return message

        return wrapped

    async def _unwind(self) -> None:
        """Let cancelled requests finish their clean-up, then say once what was cut short."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + UNWIND_S
        while self.running and loop.time() < deadline:
            await asyncio.sleep(0.02)
        if self.aborted:
            LOG.warning(
                "shutdown: cut short %d request(s) still running after the grace period: %s",
                len(self.aborted),
                ", ".join(self.aborted),
            )
