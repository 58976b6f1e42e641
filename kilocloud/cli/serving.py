"""Listening options, the listening socket and the HTTP server shared by `up` and `serve`."""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oslo_config import cfg

# seconds the server lets running requests finish after Ctrl-C or SIGTERM before cutting
# the rest short (long uploads and downloads)
GRACE_S = 5


def listen_args(parser: argparse.ArgumentParser, port_help: str) -> None:
    """--host, --port (whose default `port_help` tells) and the TLS options."""
    parser.add_argument(
        "--host", metavar="ADDRESS", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", metavar="N", type=int, help=f"port to listen on ({port_help})")
    parser.add_argument("--tls-cert", metavar="FILE", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", metavar="FILE", help="PEM private key of --tls-cert")


def listen_overrides(args: argparse.Namespace) -> dict[str, object]:
    """Config overrides for the listening options given on the command line."""
    return {
        "bind_host": args.host,
        "bind_port": args.port,
        "tls_cert": args.tls_cert,
        "tls_key": args.tls_key,
    }


def bind(conf: cfg.ConfigOpts) -> socket.socket:
    """The socket of `conf`'s address, bound before anything is written to disk."""
    host, port = conf.bind_host, conf.bind_port
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, _, _, _, address = info[0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SystemExit(f"kilocloud: cannot listen on {host} port {port}: {reason}") from None
    # not listening yet: the server listens once the application has started, so that until it
    # can answer, a load balancer's connection is refused (and tried elsewhere), not held
    return sock


def serve(
    conf: cfg.ConfigOpts, names: Sequence[str] | None, standalone: bool, sock: socket.socket
) -> None:
    """Serve the app on `sock` until Ctrl-C or SIGTERM, which stop it gracefully."""
    import uvicorn

    from kilocloud.app import build_app
    from kilocloud.cli import connections
    from kilocloud.cli.draining import DrainingServer
    from kilocloud.core.shutdown import Draining

    draining = Draining()
    app = build_app(conf, names, standalone=standalone, draining=draining)
    logging.getLogger("uvicorn.access").disabled = True  # our own access log replaces it
    server = DrainingServer(
        draining,
        conf.drain_seconds,
        uvicorn.Config(
            app,
            ssl_certfile=conf.tls_cert,
            ssl_keyfile=conf.tls_key,
            log_level="info",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=GRACE_S,
            **connections.uvicorn_options(conf),
        ),
    )
    # the server hands the signal back once it has stopped; as Ctrl-C, SIGTERM ends the
    # process normally then
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
