"""Who may stage and import: the owner's members, not readers nor other projects."""

from __future__ import annotations

import dataclasses

import httpx


def _http(cloud, user) -> httpx.Client:  # noqa: ANN001
    headers = {"X-Auth-Token": user.token(), "Accept": "application/json"}
    return httpx.Client(base_url=f"{cloud.url}/image", headers=headers, timeout=30)


def test_readers_and_other_projects_cannot_stage_or_import(task_cloud, web):
    owner = task_cloud.new_project_user("member")
    mine = _http(task_cloud, owner)
    body = {
        "name": "guarded",
        "disk_format": "raw",
        "container_format": "bare",
        "visibility": "private",
    }
    image = mine.post("/v2/images", json=body).json()
    stage, imp = f"/v2/images/{image['id']}/stage", f"/v2/images/{image['id']}/import"
    octets = {"Content-Type": "application/octet-stream"}
    method = {"method": {"name": "web-download", "uri": f"{web}/disk.raw"}}
    stranger = _http(task_cloud, task_cloud.new_project_user("member"))
    assert stranger.put(stage, content=b"x", headers=octets).status_code == 404
    assert stranger.post(imp, json=method).status_code == 404
    assert stranger.get(f"/v2/images/{image['id']}/tasks").status_code == 404
    admin = task_cloud.connect()
    reader = task_cloud.new_project_user("reader")
    admin.identity.assign_project_role_to_user(
        owner.project_id, reader.user_id, admin.identity.find_role("reader")
    )
    scoped = dataclasses.replace(
        reader, project_id=owner.project_id, project_name=owner.project_name
    )
    watcher = _http(task_cloud, scoped)
    assert watcher.put(stage, content=b"x", headers=octets).status_code == 403
    assert watcher.post(imp, json=method).status_code == 403
    assert mine.post(imp, json=method).status_code == 202
