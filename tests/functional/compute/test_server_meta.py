"""A server's metadata, tags, addresses and instance actions."""

from __future__ import annotations

import pytest

from tests.functional.compute.conftest import ComputeAPI, error, make_image, wait_status


@pytest.fixture(scope="module")
def server(fake_cloud) -> tuple[ComputeAPI, str]:
    api = ComputeAPI(fake_cloud, fake_cloud.admin_token(), "2.84")
    image = make_image(fake_cloud)
    body = {
        "server": {
            "name": "meta",
            "imageRef": image,
            "flavorRef": "1",
            "networks": "none",
            "metadata": {"a": "1"},
            "tags": ["x"],
        }
    }
    server_id = api.post("/servers", body).json()["server"]["id"]
    wait_status(api, server_id, "ACTIVE")
    return api, server_id


def test_metadata_merge_replace_item(server) -> None:
    api, sid = server
    assert api.post(f"/servers/{sid}/metadata", {"metadata": {"b": "2"}}).json() == {
        "metadata": {"a": "1", "b": "2"}
    }
    assert api.put(f"/servers/{sid}/metadata/c", {"meta": {"c": "3"}}).json() == {
        "meta": {"c": "3"}
    }
    assert error(api.put(f"/servers/{sid}/metadata/c", {"meta": {"d": "3"}}), 400) == (
        "Request body and URI mismatch"
    )
    assert api.get(f"/servers/{sid}/metadata/b").json() == {"meta": {"b": "2"}}
    assert api.delete(f"/servers/{sid}/metadata/b").status_code == 204
    error(api.get(f"/servers/{sid}/metadata/b"), 404)
    assert api.put(f"/servers/{sid}/metadata", {"metadata": {"z": "9"}}).json() == {
        "metadata": {"z": "9"}
    }


def test_tags(server) -> None:
    api, sid = server
    assert api.get(f"/servers/{sid}/tags").json() == {"tags": ["x"]}
    assert api.put(f"/servers/{sid}/tags/y").status_code == 201
    assert api.put(f"/servers/{sid}/tags/y").status_code == 204
    assert api.get(f"/servers/{sid}/tags/y").status_code == 204
    assert api.get("/servers?tags=x,y").json()["servers"][0]["id"] == sid
    assert api.put(f"/servers/{sid}/tags", {"tags": ["q"]}).json() == {"tags": ["q"]}
    assert api.delete(f"/servers/{sid}/tags/q").status_code == 204
    error(api.delete(f"/servers/{sid}/tags/q"), 404)
    error(api.at("2.25").get(f"/servers/{sid}/tags"), 404)


def test_instance_actions_record_create_with_its_event(server) -> None:
    api, sid = server
    actions = api.get(f"/servers/{sid}/os-instance-actions").json()["instanceActions"]
    create = [a for a in actions if a["action"] == "create"][0]
    shown = api.get(f"/servers/{sid}/os-instance-actions/{create['request_id']}").json()
    events = shown["instanceAction"]["events"]
    assert events[0]["event"] == "compute_build_and_run_instance"
    assert events[0]["result"] == "Success" and events[0]["host"]


def test_ips_and_other_projects(fake_cloud, server) -> None:
    api, sid = server
    assert api.get(f"/servers/{sid}/ips").json() == {"addresses": {}}
    other = ComputeAPI(fake_cloud, fake_cloud.new_project_user("member").token())
    error(other.get(f"/servers/{sid}/metadata"), 404)
    error(other.get(f"/servers/{sid}/os-instance-actions"), 404)
