"""GET /v3/auth/projects and /v3/auth/domains: grants by group and by inheritance count too."""

from __future__ import annotations

import uuid

import httpx


def _names(cloud, token: str, what: str) -> set[str]:
    resp = httpx.get(f"{cloud.auth_url}/auth/{what}", headers={"X-Auth-Token": token})
    assert resp.status_code == 200
    return {p["name"] for p in resp.json()[what]}


def test_projects_reachable_through_a_group_and_an_inherited_domain_grant(cloud):
    tag = uuid.uuid4().hex[:6]
    admin = {"X-Auth-Token": cloud.admin_token()}
    api = cloud.auth_url
    conn = cloud.connect()
    domain = conn.identity.create_domain(name=f"d-{tag}")
    in_domain = conn.identity.create_project(name=f"in-{tag}", domain_id=domain.id)
    child = conn.identity.create_project(
        name=f"child-{tag}", domain_id=domain.id, parent_id=in_domain.id
    )
    by_group = conn.identity.create_project(name=f"grp-{tag}", domain_id="default")
    conn.identity.create_project(name=f"none-{tag}", domain_id="default")
    password = uuid.uuid4().hex
    user = conn.identity.create_user(name=f"u-{tag}", password=password, domain_id="default")
    group = conn.identity.create_group(name=f"g-{tag}", domain_id="default")
    conn.identity.add_user_to_group(user, group)
    member = conn.identity.find_role("member")
    conn.identity.assign_project_role_to_group(by_group, group, member)
    inherit = f"{api}/OS-INHERIT/domains/{domain.id}/users/{user.id}/roles/{member.id}"
    assert httpx.put(f"{inherit}/inherited_to_projects", headers=admin).status_code == 204
    token = cloud.token(user.name, password, by_group.name)
    assert _names(cloud, token, "projects") == {by_group.name, in_domain.name, child.name}
    assert _names(cloud, token, "domains") == set()  # inherited grants are for projects only
    of_user = httpx.get(f"{api}/users/{user.id}/projects", headers=admin).json()["projects"]
    assert {p["name"] for p in of_user} == {by_group.name, in_domain.name, child.name}
    conn.identity.update_project(child, enabled=False)
    of_user = httpx.get(f"{api}/users/{user.id}/projects", headers=admin).json()["projects"]
    assert {p["name"] for p in of_user} == {by_group.name, in_domain.name, child.name}
    assert _names(cloud, token, "projects") == {by_group.name, in_domain.name}


def test_scope_lists_carry_keystones_collection_links(cloud):
    token = cloud.admin_token()
    for what in ("projects", "domains"):
        url = f"{cloud.auth_url}/auth/{what}"
        links = httpx.get(url, headers={"X-Auth-Token": token}).json()["links"]
        assert links == {"self": url, "previous": None, "next": None}
