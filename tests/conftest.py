"""Fixtures that start real kilocloud servers and talk to them with the real clients."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import openstack
import pytest
import yaml
from keystoneauth1 import session
from keystoneauth1.identity import v3
from pyroute2 import netns
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from kilocloud.network.agent.names import cloud_tag

# admin URL (asyncio driver) and the URL form an operator writes in [database] connection
SQL_SERVERS = {
    "mariadb": ("mysql+asyncmy://root@127.0.0.1:3306/mysql", "mysql+pymysql://root@127.0.0.1:3306"),
    "postgresql": (
        "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
        "postgresql://postgres@127.0.0.1:5432",
    ),
}

# webhook deliveries to the test listeners on loopback, which the outbound guard refuses by default
LOOPBACK_WEBHOOKS = {
    "subscription_filtering_opts": {"allowed_private_networks": "127.0.0.0/8", "allowed_ports": ""}
}


async def _admin_statement(admin_url: str, statement: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, verify: object = True) -> None:
    """Wait until `url`/healthcheck answers 200; fail if `proc` exits or 60 s pass first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/healthcheck", timeout=1, verify=verify).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy in 60 s")


@dataclass
class ProjectUser:
    """A fresh project with a user holding one role on it."""

    cloud: Cloud
    project_id: str
    project_name: str
    user_id: str
    user_name: str
    password: str

    def connect(self) -> openstack.connection.Connection:
        """An openstacksdk connection as this user, scoped to this project."""
        return self.cloud.connect(
            username=self.user_name, password=self.password, project_name=self.project_name
        )

    def token(self) -> str:
        """A project-scoped token of this user."""
        return self.cloud.token(self.user_name, self.password, self.project_name)


class Cloud:
    """A `kilocloud up` process on a free port with its own state directory."""

    def __init__(
        self, state_dir: Path, config: dict[str, dict[str, str]] | None, up_args: tuple = ()
    ) -> None:
        self.state_dir = state_dir
        self.port = free_port()
        self.up_args = up_args
        # with --tls-cert CERT, clients verify the server against that (self-signed) cert
        self.verify: ssl.SSLContext | bool = True
        if "--tls-cert" in up_args:
            cafile = up_args[up_args.index("--tls-cert") + 1]
            self.verify = ssl.create_default_context(cafile=cafile)
        scheme = "https" if "--tls-cert" in up_args else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.auth_url = f"{self.url}/identity/v3"
        self.config_file = state_dir / "kilocloud.conf"
        lines = []
        for group, options in (config or {}).items():
            lines.append(f"[{group}]")
            lines += [f"{k} = {v}" for k, v in options.items()]
        self.config_file.write_text("\n".join(lines) + "\n")
        self.log = open(state_dir / "server.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process: subprocess.Popen | None = None

    def kilocloud(self, *args: str) -> subprocess.CompletedProcess:
        """Run a `kilocloud` subcommand on this cloud's state and config."""
        cmd = [sys.executable, "-m", "kilocloud", *args]
        cmd += ["--state-dir", str(self.state_dir), "--config-file", str(self.config_file)]
        return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120)

    def start(self) -> None:
        """Start `kilocloud up` and wait until /healthcheck answers 200."""
        cmd = [sys.executable, "-m", "kilocloud", "up", "--port", str(self.port), *self.up_args]
        cmd += ["--state-dir", str(self.state_dir), "--config-file", str(self.config_file)]
        self.process = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        wait_healthy(self.url, self.process, self.verify)
        self.admin_password = (self.state_dir / "admin-password").read_text().strip()

    def stop(self) -> None:
        """Interrupt the server (as Ctrl-C does) and wait for it."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        self.remove_data_plane()

    def remove_data_plane(self) -> None:
        """Remove the namespaces and dnsmasqs the cloud's network agent left (they outlive it)."""
        tag = cloud_tag(str(self.state_dir)) + "-"
        if any(ns.startswith(tag) for ns in netns.listnetns()):
            self.kilocloud("network-agent", "--teardown")

    @property
    def env(self) -> dict[str, str]:
        """The environment `source openrc` gives, for the `openstack` CLI."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        for line in (self.state_dir / "openrc").read_text().splitlines():
            key, _, value = line.removeprefix("export ").partition("=")
            env[key] = value.strip("'")
        return env

    @property
    def clouds_yaml(self) -> Path:
        """The clouds.yaml `kilocloud up` wrote."""
        return self.state_dir / "clouds.yaml"

    def connect(self, **auth: str) -> openstack.connection.Connection:
        """An openstacksdk connection, as admin unless other credentials are given."""
        config = yaml.safe_load(self.clouds_yaml.read_text())["clouds"]["kilocloud"]
        config["auth"].update(auth)
        return openstack.connection.Connection(
            **config["auth"]
            | {
                "auth_url": config["auth"]["auth_url"],
                "region_name": config["region_name"],
                "interface": "public",
                "identity_api_version": "3",
            }
        )

    def token(
        self, user: str = "admin", password: str | None = None, project: str = "admin"
    ) -> str:
        """A project-scoped token from POST /v3/auth/tokens."""
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": user,
                            "domain": {"id": "default"},
                            "password": password or self.admin_password,
                        }
                    },
                },
                "scope": {"project": {"name": project, "domain": {"id": "default"}}},
            }
        }
        resp = httpx.post(
            f"{self.auth_url}/auth/tokens?nocatalog", json=body, timeout=30, verify=self.verify
        )
        resp.raise_for_status()
        return resp.headers["x-subject-token"]

    def admin_token(self) -> str:
        """A project-scoped admin token."""
        return self.token()

    def admin_session(self) -> session.Session:
        """A keystoneauth1 session as admin on the admin project, for the client libraries."""
        auth = v3.Password(
            auth_url=self.auth_url,
            username="admin",
            password=self.admin_password,
            project_name="admin",
            user_domain_id="default",
            project_domain_id="default",
        )
        return session.Session(auth=auth)

    def new_project_user(self, role: str = "member") -> ProjectUser:
        """Create a project and a user with `role` on it, through the API."""
        suffix = uuid.uuid4().hex[:8]
        conn = self.connect()
        project = conn.identity.create_project(name=f"p-{suffix}", domain_id="default")
        password = uuid.uuid4().hex
        user = conn.identity.create_user(
            name=f"u-{suffix}",
            password=password,
            domain_id="default",
            default_project_id=project.id,
        )
        role_obj = conn.identity.find_role(role)
        conn.identity.assign_project_role_to_user(project, user, role_obj)
        return ProjectUser(self, project.id, project.name, user.id, user.name, password)

    def cli(
        self, *args: str, check: bool = True, env: dict | None = None
    ) -> subprocess.CompletedProcess:
        """Run the `openstack` CLI with this cloud's openrc."""
        return subprocess.run(
            ["openstack", *args],
            env=env or self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def cli_json(self, *args: str, env: dict | None = None) -> object:
        """Run the `openstack` CLI with `-f json` and parse its output."""
        return json.loads(self.cli(*args, "-f", "json", env=env).stdout)


@pytest.fixture(scope="session")
def throwaway_database() -> Iterator[Callable[[str], str]]:
    """Make an empty database on a backend; returns its oslo.db-style URL. Dropped at the end."""
    made: list[tuple[str, str]] = []

    def make(backend: str) -> str:
        admin_url, base = SQL_SERVERS[backend]
        name = f"kc_test_{uuid.uuid4().hex[:12]}"
        asyncio.run(_admin_statement(admin_url, f"CREATE DATABASE {name}"))
        made.append((admin_url, name))
        return f"{base}/{name}"

    yield make
    for admin_url, name in made:
        force = " WITH (FORCE)" if admin_url.startswith("postgresql") else ""
        asyncio.run(_admin_statement(admin_url, f"DROP DATABASE IF EXISTS {name}{force}"))


@pytest.fixture(scope="session")
def cloud_factory(tmp_path_factory: pytest.TempPathFactory, throwaway_database) -> Iterator:  # noqa: ANN001
    """Start clouds with a given database URL and config; all are stopped at the end.

    With KILOCLOUD_TEST_DATABASE=mariadb|postgresql, clouds started without a database URL
    get a throwaway database on that server instead of SQLite.
    """
    started: list[Cloud] = []
    default_backend = os.environ.get("KILOCLOUD_TEST_DATABASE")

    def start(db_url: str | None = None, config: dict | None = None, up_args: tuple = ()) -> Cloud:
        config = {k: dict(v) for k, v in (config or {}).items()}
        if db_url is None and default_backend:
            db_url = throwaway_database(default_backend)
        if db_url:
            config.setdefault("database", {})["connection"] = db_url
        cloud = Cloud(tmp_path_factory.mktemp("cloud"), config, up_args)
        if db_url:
            cloud.kilocloud("db", "upgrade")
        cloud.start()
        started.append(cloud)
        return cloud

    yield start
    for cloud in started:
        cloud.stop()


@pytest.fixture(scope="session")
def cloud(cloud_factory) -> Cloud:  # noqa: ANN001
    """The shared all-in-one cloud (SQLite unless KILOCLOUD_TEST_DATABASE says otherwise),
    whose webhooks may reach the listeners tests run on loopback."""
    return cloud_factory(config=LOOPBACK_WEBHOOKS)
