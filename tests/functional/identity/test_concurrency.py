"""SQLite under many concurrent writers: no 5xx, no lost write (the embedded default)."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx

CLIENTS = 16
SECONDS = 4.0


async def _worker(client: httpx.AsyncClient, headers: dict, results: dict) -> None:
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        name = uuid.uuid4().hex[:12]
        resp = await client.post(
            "/projects", json={"project": {"name": f"c-{name}"}}, headers=headers
        )
        results["statuses"].append(resp.status_code)
        if resp.status_code != 201:
            continue
        project_id = resp.json()["project"]["id"]
        body = {"user": {"name": f"c-{name}", "default_project_id": project_id}}
        resp = await client.post("/users", json=body, headers=headers)
        results["statuses"].append(resp.status_code)
        if resp.status_code == 201:
            user_id = resp.json()["user"]["id"]
            deleted = await client.delete(f"/users/{user_id}", headers=headers)
            results["statuses"].append(deleted.status_code)
        if len(results["kept"]) % 2:
            results["kept"].append(project_id)
        else:
            deleted = await client.delete(f"/projects/{project_id}", headers=headers)
            results["statuses"].append(deleted.status_code)
            results["gone"].append(project_id)
            results["kept"].append(None)


async def _hammer(cloud) -> dict:
    headers = {"X-Auth-Token": cloud.admin_token()}
    results: dict = {"statuses": [], "kept": [], "gone": []}
    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=cloud.auth_url, limits=limits, timeout=60) as client:
        await asyncio.gather(*(_worker(client, headers, results) for _ in range(CLIENTS)))
        results["listed"] = {
            p["id"] for p in (await client.get("/projects", headers=headers)).json()["projects"]
        }
    return results


def test_sixteen_concurrent_writers_see_no_error_and_lose_nothing(cloud_factory):
    cloud = cloud_factory()
    results = asyncio.run(_hammer(cloud))
    statuses = results["statuses"]
    assert len(statuses) > 100
    assert all(s in (201, 204) for s in statuses), sorted(set(statuses))
    kept = {p for p in results["kept"] if p}
    assert kept <= results["listed"]
    assert not set(results["gone"]) & results["listed"]
