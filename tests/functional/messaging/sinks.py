"""Real receivers on loopback for subscription tests: an HTTP webhook server and an SMTP server."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.conftest import free_port


class Webhook:
    """An HTTP server recording each POST as it arrives; answers with the statuses queued in
    `replies`, each after the seconds queued in `holds` (a sender stuck mid-delivery)."""

    def __init__(self) -> None:
        self.received: queue.Queue[tuple[dict[str, str], Any]] = queue.Queue()
        self.replies: list[int] = []
        self.holds: list[float] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = hook.replies.pop(0) if hook.replies else 200
                hold = hook.holds.pop(0) if hook.holds else 0.0
                hook.received.put((dict(self.headers), json.loads(raw), status))
                time.sleep(hold)
                with contextlib.suppress(OSError):  # the sender may be gone by now
                    self.send_response(status)
                    self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, timeout: float = 15) -> tuple[dict[str, str], Any, int]:
        """The next request received: (headers, JSON body, status answered)."""
        return self.received.get(timeout=timeout)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    """An aiosmtpd SMTP server on loopback keeping every mail it accepts."""

    def __init__(self) -> None:
        self.mails: queue.Queue[Message] = queue.Queue()
        box = self

        class Handler:
            async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
                box.mails.put(message_from_bytes(envelope.content))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.url = f"smtp://127.0.0.1:{self.port}"

    def next(self, timeout: float = 15) -> Message:
        """The next mail received."""
        return self.mails.get(timeout=timeout)

    def close(self) -> None:
        """Stop the server."""
        self.controller.stop()
