"""A RabbitMQ virtual host of the test's own on the local broker, removed afterwards."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


def rabbitmqctl(*args: str) -> str:
    """Run rabbitmqctl quietly and return its output."""
    cmd = ["rabbitmqctl", "-q", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout


@contextmanager
def own_vhost() -> Iterator[tuple[str, str]]:
    """A fresh vhost guest may use; yields (vhost name, transport_url)."""
    vhost = f"kc-test-{uuid.uuid4().hex[:10]}"
    rabbitmqctl("add_vhost", vhost)
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        yield vhost, f"rabbit://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


def queues(vhost: str) -> dict[str, dict[str, str]]:
    """Queue name -> its durable, auto_delete and arguments columns."""
    out = rabbitmqctl(
        "list_queues",
        "-p",
        vhost,
        "--no-table-headers",
        "name",
        "durable",
        "auto_delete",
        "arguments",
    )
    found = {}
    for line in out.splitlines():
        name, durable, auto_delete, arguments = line.split("\t", 3)
        found[name] = {"durable": durable, "auto_delete": auto_delete, "arguments": arguments}
    return found
