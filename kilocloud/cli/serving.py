"""Listening options and the uvicorn server shared by `up` and `serve`."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

import uvicorn
from oslo_config import cfg

from kilocloud.app import build_app


def listen_args(parser: argparse.ArgumentParser, default_port: int | None) -> None:
    """--host, --port and the TLS options."""
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=default_port, help="port to listen on")
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")


def listen_overrides(args: argparse.Namespace) -> dict[str, object]:
    """Config overrides for the listening options given on the command line."""
    return {
        "bind_host": args.host,
        "bind_port": args.port,
        "tls_cert": args.tls_cert,
        "tls_key": args.tls_key,
    }


def serve(conf: cfg.ConfigOpts, names: Sequence[str] | None, standalone: bool) -> None:
    """Serve the app until interrupted; Ctrl-C stops it cleanly."""
    app = build_app(conf, names, standalone=standalone)
    logging.getLogger("uvicorn.access").disabled = True  # our own access log replaces it
    uvicorn.run(
        app,
        host=conf.bind_host,
        port=conf.bind_port,
        ssl_certfile=conf.tls_cert,
        ssl_keyfile=conf.tls_key,
        log_level="info",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
