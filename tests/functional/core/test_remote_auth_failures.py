"""`kilocloud serve image` when the Keystone it validates tokens against fails: 503s, as
keystonemiddleware answers, never a 500 or a 401 that sends clients to re-authenticate."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port, wait_healthy

JSON = {"Accept": "application/json"}
KEYSTONE_DOWN = "The Keystone service is temporarily unavailable."


@contextmanager
def image_service(tmp_path: Path, authtoken: dict[str, str]) -> Iterator[tuple[str, Path]]:
    """A migrated `serve image` validating tokens as [keystone_authtoken] says; its URL and log."""
    conf = tmp_path / "image.conf"
    options = "".join(f"{k} = {v}\n" for k, v in authtoken.items())
    conf.write_text("[keystone_authtoken]\n" + options)
    common = ["--state-dir", str(tmp_path / "state"), "--config-file", str(conf)]
    kilocloud = [sys.executable, "-m", "kilocloud"]
    subprocess.run([*kilocloud, "db", "upgrade", *common], check=True, capture_output=True)
    port, log_path = free_port(), tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        cmd = [*kilocloud, "serve", "image", "--port", str(port), *common]
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, proc)
            yield url, log_path
        finally:
            proc.send_signal(2)
            proc.wait(20)


@pytest.fixture
def failing_keystone() -> Iterator[str]:
    """A real HTTP server that answers every request with a 500, as a broken Keystone does."""

    class Failing(http.server.BaseHTTPRequestHandler):
        def _fail(self) -> None:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _fail

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v3"
    server.shutdown()
    server.server_close()


def _service_user(auth_url: str, password: str) -> dict[str, str]:
    return dict(auth_url=auth_url, username="admin", password=password, project_name="admin")


def test_unreachable_keystone_is_a_503_in_glance_error_shape_and_one_warning(tmp_path):
    nowhere = f"http://127.0.0.1:{free_port()}/v3"
    with image_service(tmp_path, _service_user(nowhere, "secret")) as (url, log):
        resp = httpx.get(f"{url}/v2/images", headers={"X-Auth-Token": "any", **JSON})
        page = httpx.get(f"{url}/v2/images", headers={"X-Auth-Token": "any"})
    assert resp.status_code == 503, resp.text
    assert resp.json() == {
        "code": "503 Service Unavailable",
        "title": "Service Unavailable",
        "message": KEYSTONE_DOWN,
    }
    assert page.status_code == 503 and "<h1>503 Service Unavailable</h1>" in page.text
    text = log.read_text()
    assert "Traceback" not in text
    warnings = [line for line in text.splitlines() if " WARNING kilocloud.core.auth " in line]
    assert len(warnings) == 2 and "cannot be reached" in warnings[0]


def test_keystone_answering_500_is_a_503(tmp_path, failing_keystone):
    with image_service(tmp_path, _service_user(failing_keystone, "secret")) as (url, log):
        resp = httpx.get(f"{url}/v2/images", headers={"X-Auth-Token": "any", **JSON})
    assert resp.status_code == 503
    assert resp.json()["message"] == KEYSTONE_DOWN
    assert "Traceback" not in log.read_text()


def test_refused_service_credentials_are_a_503_and_an_error_for_the_operator(cloud, tmp_path):
    user = cloud.new_project_user("member")
    with image_service(tmp_path, _service_user(cloud.auth_url, "wrong")) as (url, log):
        resp = httpx.get(f"{url}/v2/images", headers={"X-Auth-Token": user.token(), **JSON})
    assert resp.status_code == 503, resp.text
    assert resp.json()["code"] == "503 Service Unavailable"
    assert "this service's own credentials" in resp.json()["message"]
    text = log.read_text()
    assert "Traceback" not in text
    errors = [line for line in text.splitlines() if " ERROR kilocloud.core.auth " in line]
    assert errors and "refused the service user 'admin'" in errors[0]


def test_requests_without_a_token_stay_401_while_keystone_is_down(tmp_path):
    nowhere = f"http://127.0.0.1:{free_port()}/v3"
    with image_service(tmp_path, _service_user(nowhere, "secret")) as (url, _):
        resp = httpx.get(f"{url}/v2/images", headers=JSON)
    assert resp.status_code == 401
