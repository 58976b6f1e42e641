"""GET /v3/role_assignments: Keystone's shape, filters, effective and include_names."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.connect()


def _list(admin, query: str) -> list[dict]:
    return admin.identity.get(f"/role_assignments?{query}").json()["role_assignments"]


def test_cli_role_assignment_list_names(cloud):
    holder = cloud.new_project_user("member")
    rows = cloud.cli_json("role", "assignment", "list", "--names", "--user", holder.user_name)
    assert rows == [
        {
            "Role": "member",
            "User": f"{holder.user_name}@Default",
            "Group": "",
            "Project": f"{holder.project_name}@Default",
            "Domain": "",
            "System": "",
            "Inherited": False,
        }
    ]


def test_direct_assignment_body_and_links(cloud, admin):
    holder = cloud.new_project_user("member")
    (row,) = _list(admin, f"user.id={holder.user_id}")
    assert row["user"] == {"id": holder.user_id}
    assert row["scope"] == {"project": {"id": holder.project_id}}
    assert row["links"]["assignment"].endswith(
        f"/v3/projects/{holder.project_id}/users/{holder.user_id}/roles/{row['role']['id']}"
    )
    (named,) = _list(admin, f"user.id={holder.user_id}&include_names")
    assert named["role"]["name"] == "member"
    assert named["user"]["domain"] == {"id": "default", "name": "Default"}
    assert named["scope"]["project"]["name"] == holder.project_name


def test_effective_expands_groups_and_implied_roles(cloud, admin):
    holder = cloud.new_project_user("reader")
    group = admin.identity.create_group(name=f"g-{uuid.uuid4().hex[:8]}")
    admin.identity.add_user_to_group(holder.user_id, group)
    admin.identity.assign_project_role_to_group(
        holder.project_id, group, admin.identity.find_role("member")
    )
    direct = _list(admin, f"user.id={holder.user_id}")
    assert len(direct) == 1
    effective = _list(admin, f"user.id={holder.user_id}&effective&include_names")
    by_role = {}
    for row in effective:
        by_role.setdefault(row["role"]["name"], []).append(row)
    assert set(by_role) == {"member", "reader"}
    via_group = by_role["member"][0]
    assert via_group["links"]["membership"].endswith(f"/groups/{group.id}/users/{holder.user_id}")
    assert any("prior_role" in r["links"] for r in by_role["reader"])
    groups = _list(admin, f"group.id={group.id}")
    assert [r["group"]["id"] for r in groups] == [group.id]


def test_scope_and_role_filters(cloud, admin):
    holder = cloud.new_project_user("member")
    member = admin.identity.find_role("member")
    rows = _list(admin, f"scope.project.id={holder.project_id}&role.id={member.id}")
    assert [r["user"]["id"] for r in rows] == [holder.user_id]
    system = _list(admin, "scope.system=all")
    assert system and all(r["scope"] == {"system": {"all": True}} for r in system)
    assert not _list(admin, f"scope.domain.id=default&user.id={holder.user_id}")


def test_include_subtree(cloud, admin):
    parent = admin.identity.create_project(name=f"p-{uuid.uuid4().hex[:8]}")
    child = admin.identity.create_project(name=f"p-{uuid.uuid4().hex[:8]}", parent_id=parent.id)
    user = admin.identity.create_user(name=f"u-{uuid.uuid4().hex[:8]}")
    admin.identity.assign_project_role_to_user(child, user, admin.identity.find_role("reader"))
    assert not _list(admin, f"scope.project.id={parent.id}")
    rows = _list(admin, f"scope.project.id={parent.id}&include_subtree=true")
    assert [r["scope"]["project"]["id"] for r in rows] == [child.id]


def test_refused_combinations_are_400(admin):
    for query in (
        "effective&group.id=x",
        "scope.project.id=a&scope.domain.id=b",
        "include_subtree",
    ):
        resp = admin.identity.get(f"/role_assignments?{query}", raise_exc=False)
        assert resp.status_code == 400


def test_member_cannot_list_assignments(cloud):
    conn = cloud.new_project_user("member").connect()
    assert conn.identity.get("/role_assignments", raise_exc=False).status_code == 403
