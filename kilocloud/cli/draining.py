"""The HTTP server of `up` and `serve`, which drains for load balancers on SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import uvicorn

from kilocloud.core.shutdown import Draining

LOG = logging.getLogger(__name__)


class DrainingServer(uvicorn.Server):
    """On SIGTERM, /healthcheck says draining for `drain_seconds` before the server stops."""

    def __init__(self, draining: Draining, drain_seconds: int, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.draining = draining
        self.drain_seconds = drain_seconds

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Drain first on the first SIGTERM; stop at once on anything else."""
        if sig != signal.SIGTERM or not self.drain_seconds or self.draining.started:
            super().handle_exit(sig, frame)
            return
        self.draining.started = True
        LOG.info(
            "SIGTERM: draining for %d s (/healthcheck answers 503), then stopping",
            self.drain_seconds,
        )
        stop = threading.Timer(self.drain_seconds, super().handle_exit, (sig, None))
        stop.daemon = True
        stop.start()
