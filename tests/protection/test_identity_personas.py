"""The identity policy by persona: admin, member and reader of a project, another project's user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest


@dataclass
class Persona:
    token: str
    user_id: str


@pytest.fixture(scope="module")
def world(cloud):
    """Tokens of each persona, and the ids the operations refer to."""
    member = cloud.new_project_user("member")
    admin = cloud.connect()
    password = uuid.uuid4().hex
    reader = admin.identity.create_user(name=f"r-{uuid.uuid4().hex[:8]}", password=password)
    admin.identity.assign_project_role_to_user(
        member.project_id, reader, admin.identity.find_role("reader")
    )
    other = cloud.new_project_user("member")
    admin_id = admin.identity.find_user("admin").id
    return {
        "personas": {
            "admin": Persona(cloud.admin_token(), admin_id),
            "member": Persona(member.token(), member.user_id),
            "reader": Persona(cloud.token(reader.name, password, member.project_name), reader.id),
            "other": Persona(other.token(), other.user_id),
        },
        "project": member.project_id,
        "member": member.user_id,
        "admin_user": admin_id,
        "reader_role": admin.identity.find_role("reader").id,
    }


OK, NO = "ok", "forbidden"
# (operation, method, path, body, {persona: outcome}); {self} is the caller's user id
MATRIX = [
    ("list users", "GET", "/users", None, dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("show self", "GET", "/users/{self}", None, dict(admin=OK, member=OK, reader=OK, other=OK)),
    ("show admin", "GET", "/users/{admin_user}", None,
     dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("create user", "POST", "/users", {"user": {"name": "{uniq}"}},
     dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("show project", "GET", "/projects/{project}", None,
     dict(admin=OK, member=OK, reader=OK, other=NO)),
    ("update project", "PATCH", "/projects/{project}", {"project": {"description": "x"}},
     dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("list projects", "GET", "/projects", None, dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("project tags", "GET", "/projects/{project}/tags", None,
     dict(admin=OK, member=OK, reader=OK, other=NO)),
    ("own projects", "GET", "/users/{self}/projects", None,
     dict(admin=OK, member=OK, reader=OK, other=OK)),
    ("member's projects", "GET", "/users/{member}/projects", None,
     dict(admin=OK, member=OK, reader=NO, other=NO)),
    ("list roles", "GET", "/roles", None, dict(admin=OK, member=OK, reader=OK, other=OK)),
    ("create role", "POST", "/roles", {"role": {"name": "{uniq}"}},
     dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("grant role", "PUT", "/projects/{project}/users/{self}/roles/{reader_role}", None,
     dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("role assignments", "GET", "/role_assignments?scope.project.id={project}", None,
     dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("list domains", "GET", "/domains", None, dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("show own domain", "GET", "/domains/default", None,
     dict(admin=OK, member=OK, reader=OK, other=OK)),
    ("create domain", "POST", "/domains", {"domain": {"name": "{uniq}"}},
     dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("list groups", "GET", "/groups", None, dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("list regions", "GET", "/regions", None, dict(admin=OK, member=OK, reader=OK, other=OK)),
    ("list services", "GET", "/services", None, dict(admin=OK, member=NO, reader=NO, other=NO)),
    ("create endpoint", "POST", "/endpoints",
     {"endpoint": {"service_id": "x", "interface": "public", "url": "http://x"}},
     dict(admin="not found", member=NO, reader=NO, other=NO)),
    ("member's app creds", "GET", "/users/{member}/application_credentials", None,
     dict(admin=OK, member=OK, reader=NO, other=NO)),
    ("all trusts", "GET", "/OS-TRUST/trusts", None,
     dict(admin=OK, member=NO, reader=NO, other=NO)),
]  # fmt: skip

STATUS = {OK: (200, 201, 204), NO: (403,), "not found": (404,)}


def _fill(value, ids: dict):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("persona", ["admin", "member", "reader", "other"])
@pytest.mark.parametrize(
    ("operation", "method", "path", "body", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
def test_persona(cloud, world, persona, operation, method, path, body, expected):
    who = world["personas"][persona]
    ids = {**world, "self": who.user_id, "uniq": f"x-{uuid.uuid4().hex[:10]}"}
    resp = httpx.request(
        method,
        cloud.auth_url + _fill(path, ids),
        json=_fill(body, ids),
        headers={"X-Auth-Token": who.token},
        timeout=30,
    )
    assert resp.status_code in STATUS[expected[persona]], (operation, persona, resp.text)


def test_domain_reader_reads_its_domain_only(cloud):
    admin = cloud.connect()
    password = uuid.uuid4().hex
    user = admin.identity.create_user(name=f"dr-{uuid.uuid4().hex[:8]}", password=password)
    admin.identity.assign_domain_role_to_user("default", user, admin.identity.find_role("reader"))
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"id": user.id, "password": password}},
            },
            "scope": {"domain": {"id": "default"}},
        }
    }
    token = httpx.post(f"{cloud.auth_url}/auth/tokens", json=body).headers["x-subject-token"]
    headers = {"X-Auth-Token": token}

    def status(method: str, path: str, json: dict | None = None) -> int:
        return httpx.request(method, cloud.auth_url + path, json=json, headers=headers).status_code

    assert status("GET", "/users?domain_id=default") == 200
    assert status("GET", "/projects?domain_id=default") == 200
    assert status("GET", "/role_assignments?scope.domain.id=default") == 200
    assert status("GET", "/users") == 403
    assert status("GET", "/users?domain_id=other") == 403
    assert status("POST", "/users", {"user": {"name": "x", "domain_id": "default"}}) == 403
