"""Process-wide options: where state lives, where we listen, which database."""

from __future__ import annotations

import os

import platformdirs
from oslo_config import cfg

DEFAULT_OPTS = [
    cfg.StrOpt("state_dir", help="Directory holding the SQLite database, keys, images and openrc."),
    cfg.HostAddressOpt("bind_host", default="127.0.0.1", help="Address the API listens on."),
    cfg.PortOpt("bind_port", default=8770, help="Port the all-in-one API listens on."),
    cfg.URIOpt(
        "public_endpoint",
        help="Base URL clients reach this process at; derived from the bind address when unset.",
    ),
    cfg.StrOpt("region_name", default="RegionOne", help="Region of the catalog endpoints."),
    cfg.StrOpt("tls_cert", help="PEM certificate: serve HTTPS when set with tls_key."),
    cfg.StrOpt("tls_key", help="PEM private key for tls_cert."),
    cfg.IntOpt(
        "drain_seconds",
        default=0,
        min=0,
        help="On SIGTERM, seconds /healthcheck answers 503 (draining) while requests are still "
        "served, so that a load balancer stops sending any before the server stops.",
    ),
]

DATABASE_OPTS = [
    cfg.StrOpt(
        "connection",
        secret=True,
        help="SQLAlchemy URL (sqlite://, mysql+pymysql://, postgresql://). "
        "Default: SQLite in the state directory.",
    ),
    cfg.IntOpt("max_pool_size", default=10, help="Connections kept per API process."),
]


def default_state_dir() -> str:
    """The per-user data directory used when no --state-dir is given."""
    return platformdirs.user_data_dir("kilocloud")


def state_path(conf: cfg.ConfigOpts) -> str:
    """The absolute path of the state directory, which may not exist yet."""
    return os.path.abspath(os.path.expanduser(conf.state_dir or default_state_dir()))


def state_dir(conf: cfg.ConfigOpts) -> str:
    """The state directory, created if missing."""
    path = state_path(conf)
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def public_endpoint(conf: cfg.ConfigOpts) -> str:
    """Base URL of this process as clients see it, without a trailing slash."""
    if conf.public_endpoint:
        return conf.public_endpoint.rstrip("/")
    scheme = "https" if conf.tls_cert else "http"
    host = conf.bind_host
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{conf.bind_port}"


def database_url(conf: cfg.ConfigOpts) -> str:
    """The configured database URL, SQLite in the state dir by default."""
    return conf.database.connection or f"sqlite:///{state_dir(conf)}/kilocloud.db"
