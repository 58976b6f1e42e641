"""GET /healthcheck: 200 when the database answers, 503 with the reason when it does not."""

from __future__ import annotations

from starlette.testclient import TestClient

from kilocloud.app import build_app
from kilocloud.opts import load_conf


def test_healthcheck_is_503_with_a_reason_when_the_database_is_unreachable(tmp_path):
    conf = load_conf(
        [],
        {"state_dir": str(tmp_path), "database.connection": "postgresql://nobody@127.0.0.1:1/x"},
    )
    resp = TestClient(build_app(conf, ["identity"])).get("/healthcheck")
    assert resp.status_code == 503
    assert "database unreachable" in resp.text
    assert resp.headers["x-openstack-request-id"].startswith("req-")


def test_healthcheck_is_200_on_a_reachable_database(tmp_path):
    conf = load_conf([], {"state_dir": str(tmp_path)})
    resp = TestClient(build_app(conf, ["identity"])).get("/healthcheck")
    assert resp.status_code == 200 and resp.text == "OK"
