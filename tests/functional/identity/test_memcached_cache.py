"""Token validation results shared through a real memcached."""

from __future__ import annotations

import shutil
import subprocess
import time

import httpx
import pytest
from pymemcache.client.base import Client

from tests.conftest import free_port


@pytest.fixture(scope="module")
def memcached():
    binary = shutil.which("memcached")
    assert binary, "memcached is installed by .ci/run"
    port = free_port()
    proc = subprocess.Popen([binary, "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-u", "root"])
    client = Client(("127.0.0.1", port))
    for _ in range(50):
        try:
            client.version()
            break
        except OSError:
            time.sleep(0.1)
    yield port, client
    proc.terminate()
    proc.wait(10)


def test_validated_tokens_are_shared_in_memcached_and_revocation_still_wins(
    cloud_factory, memcached
):
    port, client = memcached
    cloud = cloud_factory(config={"cache": {"memcache_servers": f"127.0.0.1:{port}"}})
    before = int(client.stats()[b"curr_items"])
    subject = cloud.token()
    headers = {"X-Auth-Token": cloud.token(), "X-Subject-Token": subject}
    assert httpx.get(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 200
    assert int(client.stats()[b"curr_items"]) > before
    assert httpx.delete(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 204
    assert httpx.get(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 404
