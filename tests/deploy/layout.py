"""deploy/'s multi-host layout on one machine: nginx, two API processes and two workers.

The API and worker configs are deploy/etc's files with the addresses of this machine's servers
(MariaDB, a RabbitMQ vhost of the test's own, Redis under a fresh key prefix, a memcached the
test starts); nginx proxies with deploy/nginx's proxy settings.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.balancer import DEPLOY, start_nginx
from tests.backends.api_processes import start_api, stop
from tests.conftest import Cloud, free_port, wait_healthy


def _ini(path: Path, changes: dict[str, dict[str, str | None]]) -> str:
    """The INI file at `path` with options set (or, given None, removed)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment]
    parser.read(path)
    for section, options in changes.items():
        if options is None:
            parser.remove_section(section)
            continue
        if section != "DEFAULT" and not parser.has_section(section):
            parser.add_section(section)
        for key, value in options.items():
            if value is None:
                parser.remove_option(section, key)
            else:
                parser.set(section, key, value)
    lines = []
    for section in ["DEFAULT", *parser.sections()]:
        items = parser.defaults() if section == "DEFAULT" else parser._sections[section]  # noqa: SLF001
        lines += [f"[{section}]", *[f"{k} = {v}" for k, v in items.items()], ""]
    return "\n".join(lines)


class Layout:
    """The processes of the layout, and a Cloud whose URL is the balancer's."""

    def __init__(
        self, root: Path, db_url: str, transport_url: str, api_db_urls: list[str] | None = None
    ) -> None:
        self.root = root
        self.api_db_urls = api_db_urls or [db_url, db_url]
        self.memcached_port, self.port = free_port(), free_port()
        self.api_ports = [free_port(), free_port()]
        self.cloud = Cloud(root, None)
        self.cloud.port, self.cloud.url = self.port, f"http://127.0.0.1:{self.port}"
        self.cloud.auth_url = f"{self.cloud.url}/identity/v3"
        self.cloud.config_file.write_text(self._api_conf(db_url, transport_url))
        self.worker_conf = root / "worker.conf"
        self.worker_conf.write_text(
            _ini(DEPLOY / "etc" / "worker.conf", {"task": {"lease_seconds": "3"}})
        )
        self.apis: list[subprocess.Popen] = []
        self.workers: dict[str, subprocess.Popen] = {}
        self.others: list[subprocess.Popen] = []

    def _api_conf(self, db_url: str, transport_url: str) -> str:
        return _ini(
            DEPLOY / "etc" / "api.conf",
            {
                "DEFAULT": {
                    "public_endpoint": self.cloud.url,
                    "bind_host": "127.0.0.1",
                    "transport_url": transport_url,
                    "state_dir": None,  # --state-dir
                    "node_staging_uri": f"file://{self.root}/staging",
                    "drain_seconds": "2",
                },
                "database": {"connection": db_url},
                "cache": {"memcache_servers": f"127.0.0.1:{self.memcached_port}"},
                "drivers:message_store:redis": {
                    "uri": "redis://127.0.0.1:6379/0",
                    "key_prefix": f"kc-{uuid.uuid4().hex[:8]}",
                },
                "fernet_tokens": None,  # STATE_DIR/fernet-keys, shared by the processes here
                "glance_store": None,  # the file store in the shared state directory
                "import_filtering_opts": {
                    "allowed_private_networks": "127.0.0.0/8",
                    "allowed_ports": "",
                },
            },
        )

    def start(self) -> None:
        """Start memcached, migrate and bootstrap, then the APIs, the workers and nginx."""
        memcached = ["memcached", "-l", "127.0.0.1", "-p", str(self.memcached_port), "-U", "0"]
        self.others.append(subprocess.Popen([*memcached, "-u", "root"]))
        self.cloud.kilocloud("db", "upgrade")
        self.cloud.kilocloud("bootstrap")
        self.cloud.admin_password = (self.root / "admin-password").read_text().strip()
        self.apis = [self._start_api(i) for i in range(len(self.api_ports))]
        for proc, port in zip(self.apis, self.api_ports, strict=True):
            wait_healthy(f"http://127.0.0.1:{port}", proc)
        for name in ("worker-a", "worker-b"):
            self.start_worker(name)
        self._start_nginx()

    def _start_nginx(self) -> None:
        nginx = start_nginx(self.root, self.port, self.api_ports)
        self.others.insert(0, nginx)
        wait_healthy(self.cloud.url, nginx)

    def _start_api(self, index: int) -> subprocess.Popen:
        own = self.root / f"api-{index}.conf"  # each API process may use its own database node
        own.write_text(f"[database]\nconnection = {self.api_db_urls[index]}\n")
        return start_api(self.cloud, f"api-{index}", self.api_ports[index], own)

    def start_worker(self, name: str) -> subprocess.Popen:
        """Start a `kilocloud worker` and wait until it takes jobs."""
        cmd = [sys.executable, "-m", "kilocloud", "worker", "--workers", "2"]
        cmd += ["--state-dir", str(self.root), "--config-file", str(self.cloud.config_file)]
        cmd += ["--config-file", str(self.worker_conf)]
        log_path = self.root / f"{name}.log"
        with open(log_path, "ab") as log:
            proc = self.workers[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while b"taking jobs" not in log_path.read_bytes():
            assert time.monotonic() < deadline and proc.poll() is None, f"{name} did not start"
            time.sleep(0.2)
        time.sleep(1)  # the consumers are declared just after the log line
        return proc

    def restart_api(self, index: int) -> None:
        """Start API process `index` again (after a test killed it)."""
        stop(self.apis[index])
        port = self.api_ports[index]
        self.apis[index] = self._start_api(index)
        wait_healthy(f"http://127.0.0.1:{port}", self.apis[index])

    def stop(self) -> None:
        """Stop everything the layout started."""
        for proc in [*self.others[:1], *self.apis, *self.workers.values(), *self.others[1:]]:
            stop(proc)
        shutil.rmtree(self.root / "staging", ignore_errors=True)
