"""Subscription deliveries run by `kilocloud worker` processes over the real RabbitMQ.

With a broker configured the API process only turns posts into delivery jobs: no worker, no
POST. A worker killed with SIGKILL in the middle of a delivery never acknowledged its job, and one
stopped by SIGTERM hands it back, so RabbitMQ gives it to the next worker: the subscriber still
gets the message.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.conftest import LOOPBACK_WEBHOOKS
from tests.functional.messaging.sinks import Webhook
from tests.functional.messaging.zaqar import http_client, keystone_session

RABBIT = "rabbit://guest:guest@127.0.0.1:5672/"
# fixed topics, so that runs leave no queues behind; a job left over from an earlier run goes to
# a webhook that is gone, and its short retry policy below ends it in seconds
CONFIG = {
    "DEFAULT": {"transport_url": RABBIT},
    "oslo_messaging_notifications": {"driver": "noop"},
    "task": {"topic": "kilocloud-test-messaging-workers"},
    "notification": {"delivery_topic": "kilocloud-test-deliveries", "delivery_timeout": "30"},
    **LOOPBACK_WEBHOOKS,
}
QUICK = {"retries_with_no_delay": 1, "minimum_delay_retries": 0, "maximum_delay_retries": 0}
QUICK |= {"minimum_delay": 1, "maximum_delay": 11}


@pytest.fixture(scope="module")
def cloud(cloud_factory):  # noqa: ANN001, ANN201
    return cloud_factory(config=CONFIG)


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    yield hook
    hook.close()


class Workers:
    """`kilocloud worker` processes of one cloud, stopped at the end."""

    def __init__(self, cloud) -> None:  # noqa: ANN001
        self.cloud, self.procs = cloud, {}

    def start(self, name: str) -> subprocess.Popen:
        """Start a worker and wait until it takes jobs."""
        path = self.cloud.state_dir / f"{name}.log"
        log = open(path, "ab")  # noqa: SIM115 - lives as long as the worker
        cmd = [sys.executable, "-m", "kilocloud", "worker", "--workers", "1"]
        cmd += ["--state-dir", str(self.cloud.state_dir)]
        cmd += ["--config-file", str(self.cloud.config_file)]
        proc = self.procs[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while b"taking jobs" not in path.read_bytes():
            assert proc.poll() is None and time.monotonic() < deadline, f"{name} did not start"
            time.sleep(0.2)
        time.sleep(1)  # the consumers are declared just after the log line
        return proc

    def stop(self) -> None:
        """SIGTERM every worker still running and wait for it."""
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(30)


@pytest.fixture
def workers(cloud) -> Iterator[Workers]:  # noqa: ANN001
    started = Workers(cloud)
    yield started
    started.stop()


@pytest.fixture
def zaqar(cloud):  # noqa: ANN001, ANN201
    user = cloud.new_project_user()
    sess = keystone_session(cloud.auth_url, user.user_name, user.password, user.project_name)
    return http_client(cloud.url + "/messaging", sess)


def _subscribe(zaqar, name: str, webhook: Webhook):  # noqa: ANN001, ANN202
    queue_ = zaqar.queue(name)
    zaqar.subscription(name, subscriber=webhook.url, ttl=600, options={"_retry_policy": QUICK})
    return queue_


def test_the_api_hands_deliveries_to_workers(zaqar, workers: Workers, webhook: Webhook) -> None:  # noqa: ANN001
    posted = _subscribe(zaqar, "handed-over", webhook)
    posted.post({"body": {"n": 1}, "ttl": 600})
    with pytest.raises(queue.Empty):
        webhook.next(timeout=4)  # the API process delivers nothing itself
    workers.start("worker-a")
    _, body, _ = webhook.next(timeout=30)  # the job waited in RabbitMQ for a worker
    assert body["body"] == {"n": 1} and body["queue_name"] == "handed-over"
    assert body["Message_Type"] == "Notification"
    posted.post({"body": {"n": 2}, "ttl": 600})
    assert webhook.next(timeout=15)[1]["body"] == {"n": 2}


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["killed", "stopped"])
def test_a_worker_ended_mid_delivery_loses_nothing(
    zaqar,  # noqa: ANN001
    workers: Workers,
    webhook: Webhook,
    sig: signal.Signals,
) -> None:
    posted = _subscribe(zaqar, f"survivor-{sig.name.lower()}", webhook)
    first = workers.start("worker-b")
    webhook.holds = [25.0]  # the first POST is still in flight when the worker dies
    posted.post({"body": "precious", "ttl": 600})
    _, body, _ = webhook.next(timeout=30)
    assert body["body"] == "precious"
    first.send_signal(sig)
    first.wait(20)
    workers.start("worker-c")
    _, again, _ = webhook.next(timeout=30)
    assert (again["id"], again["body"]) == (body["id"], "precious")
