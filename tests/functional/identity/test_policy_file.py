"""policy.yaml overrides the in-code defaults, as in every OpenStack service."""

from __future__ import annotations

import time

import httpx


def test_policy_yaml_beside_the_config_file_overrides_a_default(cloud_factory):
    cloud = cloud_factory()
    headers = {"X-Auth-Token": cloud.admin_token()}
    assert httpx.get(f"{cloud.auth_url}/auth/projects", headers=headers).status_code == 200
    (cloud.state_dir / "policy.yaml").write_text('"identity:get_auth_projects": "!"\n')
    deadline = time.monotonic() + 5  # the file is looked at again within a second
    while time.monotonic() < deadline:
        resp = httpx.get(f"{cloud.auth_url}/auth/projects", headers=headers)
        if resp.status_code != 200:
            break
        time.sleep(0.2)
    assert resp.status_code == 403
    assert resp.json()["error"]["title"] == "Forbidden"
