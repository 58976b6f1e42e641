"""An httpx client on the image endpoint, for requests the client libraries never send."""

from __future__ import annotations

import httpx
import pytest


class ImageAPI:
    """httpx bound to a cloud's image endpoint with a token."""

    def __init__(self, cloud, token: str) -> None:
        self.cloud = cloud
        self.http = httpx.Client(
            base_url=f"{cloud.url}/image",
            headers={"X-Auth-Token": token, "Accept": "application/json"},
            timeout=60,
        )

    def create(self, **body) -> dict:
        body.setdefault("disk_format", "raw")
        body.setdefault("container_format", "bare")
        resp = self.http.post("/v2/images", json=body)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def upload(self, image_id: str, data: bytes, **headers) -> httpx.Response:
        headers.setdefault("Content-Type", "application/octet-stream")
        return self.http.put(f"/v2/images/{image_id}/file", content=data, headers=headers)

    def patch(self, image_id: str, changes, media="v2.1") -> httpx.Response:
        ctype = f"application/openstack-images-{media}-json-patch"
        return self.http.patch(
            f"/v2/images/{image_id}", json=changes, headers={"Content-Type": ctype}
        )


@pytest.fixture(scope="session")
def api(cloud) -> ImageAPI:
    """The shared cloud's image API as admin."""
    return ImageAPI(cloud, cloud.admin_token())
