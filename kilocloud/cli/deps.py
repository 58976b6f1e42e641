"""`kilocloud deps`: what each service needs, what is installed, and whether backends answer."""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oslo_config import cfg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kilocloud.cli import main
from kilocloud.core import config
from kilocloud.core.db import Database

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

# heavy imports (packaging, oslo.messaging, kombu, boto3, redis) wait until a check needs them
TIMEOUT = 3.0

# (distribution, who needs it for what)
PACKAGES = [
    ("oslo.config", "all: configuration"),
    ("oslo.policy", "all: policy enforcement"),
    ("oslo.messaging", "all: notifications, workers"),
    ("oslo.utils", "image: format inspection"),
    ("oslo.concurrency", "image: qemu-img limits"),
    ("SQLAlchemy", "all: SQL state"),
    ("alembic", "all: migrations"),
    ("asyncmy", "all: MariaDB driver"),
    ("asyncpg", "all: PostgreSQL driver"),
    ("starlette", "all: HTTP API"),
    ("uvicorn", "all: HTTP server"),
    ("uvloop", "all: event loop"),
    ("httptools", "all: HTTP parser"),
    ("orjson", "all: JSON"),
    ("jsonschema", "all: request validation"),
    ("fastjsonschema", "image: fast schema checks"),
    ("webob", "image: error body negotiation"),
    ("platformdirs", "all: default state dir"),
    ("cryptography", "identity: Fernet tokens"),
    ("msgpack", "identity: token payloads"),
    ("bcrypt", "identity: password hashing"),
    ("cachetools", "identity: in-process caches"),
    ("pymemcache", "identity: token cache"),
    ("PyYAML", "identity: clouds.yaml"),
    ("httpx", "image: web-download; external Keystone"),
    ("boto3", "image: S3 store"),
    ("redis", "messaging: Redis store"),
    ("websockets", "messaging: websocket transport"),
]


@dataclass
class Row:
    """One line of the table; `ok` False makes the command exit 1."""

    component: str
    needed_by: str
    requires: str
    installed: str
    status: str
    ok: bool = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`deps` takes only the common options."""


def _canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _specifiers() -> dict[str, SpecifierSet]:
    """What kilocloud's own metadata asks of each distribution (extras left out)."""
    from packaging.requirements import Requirement

    reqs = [Requirement(r) for r in importlib.metadata.requires("kilocloud") or []]
    return {_canonical(r.name): r.specifier for r in reqs if not r.marker}


def package_rows() -> list[Row]:
    """One row per Python package: the version kilocloud asks for and the one installed."""
    specifiers = _specifiers()
    rows = []
    for dist, needed_by in PACKAGES:
        spec = specifiers.get(_canonical(dist))
        wanted = str(spec) if spec is not None else "any"
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            rows.append(Row(dist, needed_by, wanted, "-", "missing", ok=False))
            continue
        fits = spec is None or spec.contains(version, prereleases=True)
        rows.append(Row(dist, needed_by, wanted, version, "ok" if fits else "too old", ok=fits))
    return rows


def _run_version(argv: list[str]) -> str | None:
    """The version a `--version`-style command prints, or None when the program is absent."""
    if shutil.which(argv[0]) is None:
        return None
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"\d+\.\d+[\w.+~-]*", out.stdout or out.stderr)
    return found.group() if found else "?"


def _probe(check: Callable[[], str]) -> tuple[str, str, bool]:
    """(version, status, ok) of a backend check that returns the server's version."""
    try:
        return check(), "answers", True
    except Exception as exc:  # any failure means "does not answer"; say why
        return "-", f"no answer: {type(exc).__name__}: {exc}"[:80], False


async def _database_version(url: str) -> str:
    db = Database(url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            return ".".join(str(part) for part in conn.dialect.server_version_info or ())
    finally:
        await db.dispose()


def database_row(conf: cfg.ConfigOpts) -> Row:
    """The configured SQL database, and whether it answers a query."""
    url = config.database_url(conf)
    backend = make_url(url).get_backend_name()
    name = {"sqlite": "SQLite", "mysql": "MariaDB", "postgresql": "PostgreSQL"}.get(
        backend, backend
    )
    version, status, ok = _probe(lambda: asyncio.run(_database_version(url)))
    return Row(f"database ({name})", "all: SQL state", "required", version, status, ok)


def _memcached_version(servers: list[str]) -> str:
    from pymemcache.client.base import Client

    versions = []
    for server in servers:
        host, _, port = server.rpartition(":")
        client = Client((host.strip("[]"), int(port)), connect_timeout=TIMEOUT, timeout=TIMEOUT)
        try:
            versions.append(client.version().decode())
        finally:
            client.close()
    return ", ".join(versions)


def memcached_row(conf: cfg.ConfigOpts) -> Row:
    """memcached, probed when `[cache] memcache_servers` names servers."""
    servers = conf.cache.memcache_servers
    row = Row("memcached", "identity: token cache", "optional", "-", "not configured")
    if servers:
        row.installed, row.status, row.ok = _probe(lambda: _memcached_version(servers))
    else:
        row.installed = _run_version(["memcached", "-V"]) or "-"
    return row


def _rabbit_version(conf: cfg.ConfigOpts) -> str:
    """Version the first RabbitMQ host of the transport URL reports."""
    import kombu
    import oslo_messaging

    url = conf.oslo_messaging_notifications.transport_url or conf.transport_url
    parsed = oslo_messaging.TransportURL.parse(conf, url)
    if parsed.transport != "rabbit":
        raise ValueError(f"cannot probe a {parsed.transport}:// transport")
    host = parsed.hosts[0] if parsed.hosts else oslo_messaging.TransportHost()
    amqp = kombu.Connection(
        hostname=host.hostname or "localhost",
        port=host.port or 5672,
        userid=host.username or "guest",
        password=host.password or "guest",
        virtual_host=parsed.virtual_host or "/",
        connect_timeout=TIMEOUT,
    )
    try:
        amqp.connect()
        return str(amqp.connection.server_properties.get("version", "?"))
    finally:
        amqp.release()


def rabbitmq_row(conf: cfg.ConfigOpts) -> Row:
    """RabbitMQ, probed when a `transport_url` is configured."""
    row = Row("RabbitMQ", "all: notifications, workers", "optional", "-", "not configured")
    # load_conf registers transport_url only when a file or the environment sets it
    if "transport_url" in conf:
        row.installed, row.status, row.ok = _probe(lambda: _rabbit_version(conf))
    return row


def _redis_version(uri: str) -> str:
    import redis

    client = redis.Redis.from_url(uri, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
    try:
        return str(client.info("server")["redis_version"])
    finally:
        client.close()


def redis_row(conf: cfg.ConfigOpts) -> Row:
    """Redis, probed when `[drivers] message_store = redis`."""
    row = Row("Redis", "messaging: message store", "optional", "-", "not configured")
    if conf.drivers.message_store == "redis":
        uri = conf["drivers:message_store:redis"].uri
        row.installed, row.status, row.ok = _probe(lambda: _redis_version(uri))
    else:
        row.installed = _run_version(["redis-server", "--version"]) or "-"
    return row


def _s3_groups(conf: cfg.ConfigOpts) -> list[str]:
    """Option groups of the configured S3 stores, as the image service reads them."""
    from kilocloud.image.config import FILE_STORE_OPTS, S3_STORE_OPTS

    if not conf.enabled_backends:
        return ["glance_store"] if conf.glance_store.default_store == "s3" else []
    groups = [name for name, kind in conf.enabled_backends.items() if kind == "s3"]
    for name in groups:
        if name not in conf:
            conf.register_opts([*FILE_STORE_OPTS, *S3_STORE_OPTS], group=name)
    return groups


def _s3_bucket(opts: cfg.ConfigOpts.GroupAttr) -> str:
    """Raise unless the store's endpoint answers for its bucket (or may create it)."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=opts.s3_store_host,
        region_name=opts.s3_store_region_name,
        aws_access_key_id=opts.s3_store_access_key,
        aws_secret_access_key=opts.s3_store_secret_key,
        config=Config(connect_timeout=TIMEOUT, read_timeout=TIMEOUT, retries={"max_attempts": 1}),
    )
    try:
        client.head_bucket(Bucket=opts.s3_store_bucket)
    except ClientError as exc:
        missing = exc.response.get("Error", {}).get("Code") in ("404", "NoSuchBucket")
        if not (missing and opts.s3_store_create_bucket_on_put):
            raise
        return f"{opts.s3_store_bucket} (created on first upload)"
    return opts.s3_store_bucket


def s3_rows(conf: cfg.ConfigOpts) -> list[Row]:
    """One row per S3 image store, each probed; one 'not configured' row when there is none."""
    rows = []
    for group in _s3_groups(conf):
        bucket, status, ok = _probe(lambda g=group: _s3_bucket(conf[g]))
        status = f"answers: bucket {bucket}" if ok else status
        rows.append(Row(f"S3 ({group})", "image: S3 store", "optional", "-", status, ok))
    return rows or [Row("S3", "image: S3 store", "optional", "-", "not configured")]


def qemu_img_row() -> Row:
    """qemu-img, which image conversion and introspection run."""
    version = _run_version(["qemu-img", "--version"])
    if version is None:
        return Row("qemu-img", "image: conversion", "optional", "-", "not found")
    return Row("qemu-img", "image: conversion", "optional", version, "found")


def system_rows(conf: cfg.ConfigOpts) -> list[Row]:
    """One row per server or program, each configured backend probed."""
    return [
        database_row(conf),
        memcached_row(conf),
        rabbitmq_row(conf),
        redis_row(conf),
        *s3_rows(conf),
        qemu_img_row(),
    ]


def render(rows: list[Row]) -> str:
    """The rows as an aligned text table with a header."""
    header = Row("COMPONENT", "NEEDED BY", "REQUIRES", "INSTALLED", "STATUS")
    cells = [[r.component, r.needed_by, r.requires, r.installed, r.status] for r in [header, *rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(cell[:4], widths, strict=True)), cell[4]])
        for cell in cells
    ]
    return "\n".join(line.rstrip() for line in lines)


def run(args: argparse.Namespace) -> int:
    """Print the table; exit 1 if a package is missing or a configured backend does not answer."""
    conf = main.conf_from_args(args)
    rows = package_rows() + system_rows(conf)
    print(render(rows))
    return 0 if all(r.ok for r in rows) else 1
