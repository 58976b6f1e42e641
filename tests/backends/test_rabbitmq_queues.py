"""Workers leave no queue of their own behind on a shared broker; work queues are named once.

Runs on a RabbitMQ vhost the test makes (and removes) on the local broker.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.backends.rabbit import own_vhost, queues

WORK_QUEUES = {"kilocloud-worker", "kilocloud-deliveries.info"}


@pytest.fixture(scope="module")
def broker_cloud(cloud_factory, throwaway_database) -> Iterator[tuple]:  # noqa: ANN001
    with own_vhost() as (vhost, url):
        config = {
            "DEFAULT": {"transport_url": url},
            "oslo_messaging_rabbit": {"amqp_durable_queues": "true"},
            # the queues of workers only: no compute agent (and its queues) in the API process
            "compute": {"local_agent": "false"},
            "network_agent": {"enabled": "false"},
        }
        yield cloud_factory(throwaway_database("postgresql"), config), vhost


def _worker(cloud) -> subprocess.Popen:  # noqa: ANN001
    cmd = [sys.executable, "-m", "kilocloud", "worker", "--workers", "1"]
    cmd += ["--state-dir", str(cloud.state_dir), "--config-file", str(cloud.config_file)]
    log = open(cloud.state_dir / "worker.log", "ab")  # noqa: SIM115 - closed with the test
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


def _consuming(vhost: str) -> dict[str, dict[str, str]]:
    deadline = time.monotonic() + 60
    while not set(found := queues(vhost)) >= WORK_QUEUES:
        assert time.monotonic() < deadline, found
        time.sleep(0.3)
    time.sleep(1)  # the fanout queue is declared just after the topic ones
    return queues(vhost)


def _transient(queue: dict[str, str]) -> bool:
    return queue["auto_delete"] == "true" or "x-expires" in queue["arguments"]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_worker_restarts_add_no_queues(broker_cloud, stop: signal.Signals) -> None:  # noqa: ANN001
    cloud, vhost = broker_cloud
    first = _worker(cloud)
    before = _consuming(vhost)
    first.send_signal(stop)
    first.wait(30)
    second = _worker(cloud)
    try:
        during = _consuming(vhost)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    # the only queue of a worker's own is the host's server queue, named once
    named_once = WORK_QUEUES | {f"kilocloud-worker.{socket.gethostname()}"}
    assert {n for n, q in during.items() if not _transient(q)} == named_once
    assert {n for n, q in before.items() if not _transient(q)} == named_once
    for name in WORK_QUEUES:
        assert during[name]["durable"] == "true", (name, during[name])
    left = queues(vhost)
    assert {n for n, q in left.items() if not _transient(q)} == named_once, left
