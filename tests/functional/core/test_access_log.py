"""One access-log line per request, with its request id, and never a token or a password."""

from __future__ import annotations

import time

import httpx


def test_access_log_names_each_request_and_hides_secrets(cloud_factory):
    cloud = cloud_factory()
    token = cloud.token()
    resp = httpx.get(f"{cloud.auth_url}/auth/projects", headers={"X-Auth-Token": token})
    request_id = resp.headers["x-openstack-request-id"]
    time.sleep(0.5)
    log = (cloud.state_dir / "server.log").read_text()
    # `up` prints the admin password once, on purpose; the request log must never carry one
    access = "\n".join(line for line in log.splitlines() if "kilocloud.access" in line)
    lines = [line for line in access.splitlines() if request_id in line]
    assert len(lines) == 1
    assert "GET /identity/v3/auth/projects 200" in lines[0]
    assert "POST /identity/v3/auth/tokens 201" in access
    assert token not in log
    assert cloud.admin_password not in access


def test_an_encoded_newline_or_nul_in_a_path_stays_encoded_in_its_log_line(cloud_factory):
    cloud = cloud_factory()
    forged = "/identity/v3/x%0A2026-01-01 kilocloud.access GET /forged 200%00end"
    resp = httpx.get(cloud.auth_url.rsplit("/identity", 1)[0] + forged)
    assert resp.status_code == 404
    request_id = resp.headers["x-openstack-request-id"]
    time.sleep(0.5)
    log = (cloud.state_dir / "server.log").read_text()
    assert "\0" not in log
    lines = [line for line in log.splitlines() if request_id in line]
    assert len(lines) == 1
    assert "/identity/v3/x%0A2026-01-01" in lines[0] and "%00end" in lines[0]
    assert not any(line.startswith("2026-01-01 kilocloud.access") for line in log.splitlines())
