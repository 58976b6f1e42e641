"""The tasks API: import and convert tasks, listing with filters and paging, schemas, policy."""

from __future__ import annotations

import subprocess
import time

import httpx
import pytest
from glanceclient import Client

from tests.functional.image_tasks.conftest import get, sha512


def _wait(api, task_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = api.http.get(f"/v2/tasks/{task_id}").json()
        if task["status"] in ("success", "failure"):
            return task
        time.sleep(0.2)
    raise AssertionError(f"task {task_id} did not end: {task}")


def _create(api, body: dict) -> dict:
    resp = api.http.post("/v2/tasks", json=body)
    assert resp.status_code == 201, resp.text
    assert resp.headers["location"].endswith(f"/v2/tasks/{resp.json()['id']}")
    return resp.json()


def _import_body(url: str, fmt: str = "qcow2", **props) -> dict:
    image_properties = {
        "name": "from-task",
        "disk_format": fmt,
        "container_format": "bare",
        **props,
    }
    return {
        "type": "import",
        "input": {
            "import_from": url,
            "import_from_format": fmt,
            "image_properties": image_properties,
        },
    }


def test_import_task_creates_an_active_image(tapi, web):
    task = _create(tapi, _import_body(f"{web}/disk.qcow2"))
    assert task["status"] == "pending" and task["type"] == "import"
    assert task["input"]["import_from"].endswith("disk.qcow2")
    done = _wait(tapi, task["id"])
    assert done["status"] == "success", done
    assert done["expires_at"] and done["message"] == ""
    image = get(tapi, done["result"]["image_id"])
    assert (image["status"], image["disk_format"], image["virtual_size"]) == (
        "active",
        "qcow2",
        8 << 20,
    )
    assert image["name"] == "from-task"


def test_failed_import_task_leaves_no_image(tapi, web):
    task = _create(tapi, _import_body(f"{web}/backing.qcow2"))
    done = _wait(tapi, task["id"])
    assert done["status"] == "failure" and "backing_file" in done["message"]
    assert done["result"] is None
    images = tapi.http.get("/v2/images", params={"name": "from-task-bad"}).json()["images"]
    assert images == []


def test_convert_task_makes_a_new_image_and_leaves_the_original(tapi, web, disks, tmp_path):
    source = _wait(tapi, _create(tapi, _import_body(f"{web}/disk.qcow2"))["id"])["result"][
        "image_id"
    ]
    before = get(tapi, source)
    body = {
        "type": "convert",
        "input": {
            "image_id": source,
            "disk_format": "raw",
            "image_properties": {"name": "converted"},
        },
    }
    done = _wait(tapi, _create(tapi, body)["id"])
    assert done["status"] == "success", done
    converted = get(tapi, done["result"]["image_id"])
    by_hand = tmp_path / "by-hand.raw"
    subprocess.run(
        [
            "qemu-img",
            "convert",
            "-f",
            "qcow2",
            "-O",
            "raw",
            str(disks / "disk.qcow2"),
            str(by_hand),
        ],
        check=True,
    )
    assert converted["disk_format"] == "raw" and converted["name"] == "converted"
    assert converted["os_hash_value"] == sha512(by_hand)
    assert converted["os_glance_original_disk_format"] == "qcow2"
    after = get(tapi, source)
    assert after["os_hash_value"] == before["os_hash_value"] and after["disk_format"] == "qcow2"


def test_list_filters_and_pages(tapi, web):
    for _ in range(3):
        _create(tapi, _import_body(f"{web}/disk.qcow2"))
    page = tapi.http.get("/v2/tasks", params={"limit": 2}).json()
    assert len(page["tasks"]) == 2 and "next" in page and page["schema"] == "/v2/schemas/tasks"
    assert "input" not in page["tasks"][0]
    rest = tapi.http.get(page["next"]).json()
    assert not {t["id"] for t in rest["tasks"]} & {t["id"] for t in page["tasks"]}
    for status in ("pending", "processing", "success", "failure"):
        listed = tapi.http.get("/v2/tasks", params={"status": status, "limit": 1000}).json()[
            "tasks"
        ]
        assert all(t["status"] == status for t in listed)
    typed = tapi.http.get("/v2/tasks", params={"type": "convert", "limit": 1000}).json()["tasks"]
    assert all(t["type"] == "convert" for t in typed)
    oldest = tapi.http.get("/v2/tasks", params={"sort_dir": "asc", "limit": 1}).json()["tasks"][0]
    newest = tapi.http.get("/v2/tasks", params={"sort_dir": "desc", "limit": 1}).json()["tasks"][0]
    assert oldest["created_at"] <= newest["created_at"]


def test_glanceclient_lists_tasks_with_its_default_and_other_sort_keys(task_cloud, tapi, web):
    for _ in range(2):  # finished first: a status changing while pages are read would reorder
        _wait(tapi, _create(tapi, _import_body(f"{web}/disk.qcow2"))["id"])
    glance = Client("2", session=task_cloud.admin_session())
    listed = list(glance.tasks.list())
    assert len(listed) >= 2
    # `glance task-list` sorts by status unless told otherwise
    by_status = [t.status for t in glance.tasks.list(sort_key="status", page_size=2)]
    assert by_status == sorted(by_status, reverse=True) and len(by_status) == len(listed)
    by_id = [t.id for t in glance.tasks.list(sort_key="id", sort_dir="asc")]
    assert by_id == sorted(by_id)
    by_type = [t.type for t in glance.tasks.list(sort_key="type", sort_dir="asc", page_size=1)]
    assert by_type == sorted(by_type) and len(by_type) == len(listed)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "x"},
        {"status": "bogus"},
        {"sort_key": "name"},
        {"sort_dir": "up"},
        {"marker": "nope"},
    ],
)
def test_bad_list_parameters_are_400(tapi, params):
    assert tapi.http.get("/v2/tasks", params=params).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"type": "bogus", "input": {}},
        {"type": "import"},
        {"type": "import", "input": {"import_from_format": "raw"}},
        {"type": "import", "input": {"import_from": "http://h/x", "image_properties": {}}},
        {
            "type": "import",
            "input": {
                "import_from": "file:///etc/passwd",
                "image_properties": {"disk_format": "raw", "container_format": "bare"},
            },
        },
        {"type": "import", "input": {"import_from": "http://h/x", "image_properties": "x"}},
        {"type": "convert", "input": {"image_id": 1}},
    ],
)
def test_bad_task_bodies_are_400(tapi, body):
    assert tapi.http.post("/v2/tasks", json=body).status_code == 400


@pytest.mark.parametrize("query", ["limit=%C2%B2", "limit=x", "limit=-1"])
def test_bad_task_list_limit_is_400(tapi, query):
    resp = tapi.http.get(f"/v2/tasks?{query}")
    assert resp.status_code == 400 and "limit" in resp.text


def test_convert_of_a_missing_image_is_404_and_missing_task_is_404(tapi):
    body = {
        "type": "convert",
        "input": {"image_id": "00000000-0000-0000-0000-000000000000", "disk_format": "raw"},
    }
    assert tapi.http.post("/v2/tasks", json=body).status_code == 404
    assert tapi.http.get("/v2/tasks/00000000-0000-0000-0000-000000000000").status_code == 404


def test_tasks_api_is_for_admins_by_default(task_cloud):
    user = task_cloud.new_project_user("member")
    http = httpx.Client(base_url=f"{task_cloud.url}/image", headers={"X-Auth-Token": user.token()})
    assert http.get("/v2/tasks").status_code == 403
    assert http.post("/v2/tasks", json={"type": "import", "input": {}}).status_code == 403
    assert http.get("/v2/schemas/task").status_code == 200


def test_task_schemas(tapi):
    task = tapi.http.get("/v2/schemas/task").json()
    assert task["name"] == "task" and "status" in task["properties"]
    tasks = tapi.http.get("/v2/schemas/tasks").json()
    assert tasks["name"] == "tasks"


def test_image_tasks_lists_the_import_tasks_of_an_image(tapi, web):
    image = tapi.create(name="with-tasks", disk_format="vhdx")
    body = {"method": {"name": "web-download", "uri": f"{web}/disk.vhdx"}}
    assert tapi.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    listed = tapi.http.get(f"/v2/images/{image['id']}/tasks").json()["tasks"]
    assert len(listed) == 1
    task = listed[0]
    assert task["type"] == "api_image_import" and task["image_id"] == image["id"]
    assert task["input"]["import_req"]["method"]["name"] == "web-download"
    assert task["request_id"] and task["user_id"]
    done = _wait(tapi, task["id"])
    assert done["status"] == "success", done
    assert get(tapi, image["id"])["virtual_size"] == 8 << 20
