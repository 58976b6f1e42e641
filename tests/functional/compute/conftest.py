"""An httpx client on the compute endpoint, for requests the client libraries never send."""

from __future__ import annotations

import httpx
import pytest


class ComputeAPI:
    """httpx bound to a cloud's Compute API v2.1 with a token and a microversion."""

    def __init__(self, cloud, token: str, version: str | None = None) -> None:
        self.cloud = cloud
        headers = {"X-Auth-Token": token, "Accept": "application/json"}
        if version:
            headers["OpenStack-API-Version"] = f"compute {version}"
        self.http = httpx.Client(base_url=f"{cloud.url}/compute/v2.1", headers=headers, timeout=60)

    def at(self, version: str) -> ComputeAPI:
        """The same caller at another microversion."""
        return ComputeAPI(self.cloud, self.http.headers["X-Auth-Token"], version)

    def get(self, path: str, **kw) -> httpx.Response:
        return self.http.get(path, **kw)

    def post(self, path: str, body=None, **kw) -> httpx.Response:
        return self.http.post(path, json=body, **kw)

    def put(self, path: str, body=None, **kw) -> httpx.Response:
        return self.http.put(path, json=body, **kw)

    def delete(self, path: str, **kw) -> httpx.Response:
        return self.http.delete(path, **kw)


def error(resp: httpx.Response, status: int) -> str:
    """The message of a Nova error body, after checking its status and name."""
    names = {400: "badRequest", 403: "forbidden", 404: "itemNotFound", 409: "conflictingRequest"}
    assert resp.status_code == status, resp.text
    body = resp.json()
    key = names.get(status, "computeFault")
    assert list(body) == [key], body
    assert body[key]["code"] == status
    return body[key]["message"]


@pytest.fixture(scope="session")
def compute(cloud) -> ComputeAPI:
    """The shared cloud's compute API as admin, at 2.1."""
    return ComputeAPI(cloud, cloud.admin_token())


FAKE = {
    "compute": {"compute_drivers": "fake", "fake_hosts": "fake-a,fake-b"},
    "fake_driver": {"vcpus": "8", "memory_mb": "4096", "local_gb": "100"},
}


@pytest.fixture(scope="module")
def fake_cloud(cloud_factory):
    """A cloud whose three hosts (its own and fake-a, fake-b) run the fake driver, 4 GB each."""
    return cloud_factory(config=FAKE)


def make_image(cloud, token: str | None = None, **fields) -> str:
    """An active image (1 KiB of data) through the Image API; its id."""
    http = httpx.Client(
        base_url=f"{cloud.url}/image",
        timeout=60,
        headers={"X-Auth-Token": token or cloud.admin_token()},
    )
    body = {"name": "img", "disk_format": "raw", "container_format": "bare", **fields}
    image = http.post("/v2/images", json=body).json()
    resp = http.put(
        f"/v2/images/{image['id']}/file",
        content=b"x" * 1024,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert resp.status_code == 204, resp.text
    return image["id"]


def wait_status(api: ComputeAPI, server_id: str, *wanted: str, timeout: float = 30) -> dict:
    """The server once its status is one of `wanted` (and no task runs)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = api.get(f"/servers/{server_id}").json()["server"]
        if server["status"] in wanted and server.get("OS-EXT-STS:task_state") is None:
            return server
        time.sleep(0.1)
    raise AssertionError(f"server {server_id} stayed {server['status']}")
