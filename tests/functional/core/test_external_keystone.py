"""`kilocloud serve image` alone, validating tokens against another cloud's Keystone API."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import free_port


@pytest.fixture
def lone_image_service(cloud, tmp_path):
    port = free_port()
    conf = tmp_path / "image.conf"
    conf.write_text(
        "[keystone_authtoken]\n"
        f"auth_url = {cloud.auth_url}\n"
        "username = admin\n"
        f"password = {cloud.admin_password}\n"
        "project_name = admin\n"
    )
    common = ["--state-dir", str(tmp_path / "state"), "--config-file", str(conf)]
    kilocloud = [sys.executable, "-m", "kilocloud"]
    subprocess.run([*kilocloud, "db", "upgrade", *common], check=True, capture_output=True)
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [*kilocloud, "serve", "image", "--port", str(port), *common], stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{url}/healthcheck").status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    proc.send_signal(2)
    proc.wait(20)
    log.close()


def test_tokens_of_the_other_cloud_are_accepted_and_bad_ones_refused(cloud, lone_image_service):
    user = cloud.new_project_user("member")
    headers = {"X-Auth-Token": user.token()}
    versions = httpx.get(f"{lone_image_service}/versions")
    assert versions.status_code == 200 and versions.json()["versions"]
    created = httpx.post(
        f"{lone_image_service}/v2/images",
        json={"name": "remote", "disk_format": "raw", "container_format": "bare"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["owner"] == user.project_id
    bad = httpx.get(f"{lone_image_service}/v2/images", headers={"X-Auth-Token": "bogus"})
    assert bad.status_code == 401
