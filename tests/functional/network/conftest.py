"""An httpx client on a cloud's Networking API, for checks the clients hide (status, body)."""

from __future__ import annotations

import httpx
import pytest


class NetAPI:
    """httpx on one cloud's /networking/v2.0, as one user."""

    def __init__(self, cloud, token: str) -> None:  # noqa: ANN001
        self.http = httpx.Client(
            base_url=f"{cloud.url}/networking/v2.0",
            headers={"X-Auth-Token": token},
            timeout=60,
        )

    def post(self, path: str, **body) -> httpx.Response:
        return self.http.post(path, json=body)

    def create(self, kind: str, **attrs) -> dict:
        """POST one resource; it must be made."""
        resp = self.http.post(f"/{kind}s", json={kind: attrs})
        assert resp.status_code == 201, resp.text
        return resp.json()[kind]

    def error(self, resp: httpx.Response, status: int) -> str:
        """The NeutronError type of a response that must have `status`."""
        assert resp.status_code == status, resp.text
        return resp.json()["NeutronError"]["type"]

    def count(self, kind: str, **filters) -> int:
        return len(self.http.get(f"/{kind}s", params=filters).json()[f"{kind}s"])


@pytest.fixture(scope="module")
def admin_api(cloud) -> NetAPI:  # noqa: ANN001
    return NetAPI(cloud, cloud.admin_token())
