"""Deadlines and a limit on client connections, which uvicorn does not enforce by itself.

A client must send its request headers within client_header_timeout of connecting (or, on a
kept-alive connection, of the request's first byte), and no more than client_body_timeout may
pass between two reads of a body; the server closes the connection otherwise (slowloris,
idle and half-sent requests). Idle kept-alive connections close after keepalive_timeout, and
past max_connections new requests are answered 503.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

CONNECTION_OPTS = [
    cfg.IntOpt(
        "client_header_timeout",
        default=20,
        min=1,
        help="Seconds a client has to send a request's headers, from connecting (or from the "
        "request's first byte on a kept-alive connection); the connection is closed after.",
    ),
    cfg.IntOpt(
        "client_body_timeout",
        default=60,
        min=1,
        help="Seconds a request body may go without new data (not the whole upload's time); "
        "the connection is closed after.",
    ),
    cfg.IntOpt(
        "keepalive_timeout", default=5, min=1, help="Seconds an idle kept-alive connection stays."
    ),
    cfg.IntOpt(
        "max_connections",
        default=1000,
        min=1,
        help="Connections (and requests in progress) one server process holds; requests "
        "beyond are answered 503.",
    ),
]


def uvicorn_options(conf: cfg.ConfigOpts) -> dict[str, Any]:
    """uvicorn.Config keyword arguments for the configured deadlines and limit."""
    from kilocloud.cli.http_protocol import GuardedHttpTools  # uvicorn: only when serving

    protocol = type(
        "HttpProtocol",
        (GuardedHttpTools,),
        {"header_timeout": conf.client_header_timeout, "body_timeout": conf.client_body_timeout},
    )
    return {
        "http": protocol,
        "timeout_keep_alive": conf.keepalive_timeout,
        "limit_concurrency": conf.max_connections,
    }
