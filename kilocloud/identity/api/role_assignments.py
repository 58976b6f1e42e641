"""HTTP face of GET /v3/role_assignments, in Keystone's body shape with links."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import json, service_root
from kilocloud.core.routing import layer
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import flag
from kilocloud.identity.service import role_assignments
from kilocloud.identity.service.role_assignments import Entry, Query


def _query(request: Request) -> Query:
    params = request.query_params
    return Query(
        user_id=params.get("user.id"),
        group_id=params.get("group.id"),
        role_id=params.get("role.id"),
        project_id=params.get("scope.project.id"),
        domain_id=params.get("scope.domain.id"),
        system="scope.system" in params,
        inherited_only=params.get("scope.OS-INHERIT:inherited_to") == "projects",
        effective=flag(request, "effective"),
        include_subtree=flag(request, "include_subtree"),
    )


def _grant_path(e: Entry) -> str:
    row = e.origin
    actor = f"{row.actor_type}s/{row.actor_id}/roles/{row.role_id}"
    if row.target_type == "system":
        return f"system/{actor}"
    if row.inherited:
        return f"OS-INHERIT/{row.target_type}s/{row.target_id}/{actor}/inherited_to_projects"
    return f"{row.target_type}s/{row.target_id}/{actor}"


def _render(root: str, e: Entry, names: dict | None) -> dict[str, Any]:
    def ref(kind: str, entity_id: str) -> dict[str, Any]:
        return {"id": entity_id, **(names.get((kind, entity_id), {}) if names else {})}

    scope: dict[str, Any] = (
        {"system": {"all": True}}
        if e.target_type == "system"
        else {e.target_type: ref(e.target_type, e.target_id)}
    )
    if e.inherited:
        scope["OS-INHERIT:inherited_to"] = "projects"
    links = {"assignment": f"{root}/v3/{_grant_path(e)}"}
    if e.group_id:
        links["membership"] = f"{root}/v3/groups/{e.group_id}/users/{e.actor_id}"
    if e.prior_role_id:
        links["prior_role"] = f"{root}/v3/roles/{e.prior_role_id}"
    return {
        "role": ref("role", e.role_id),
        e.actor_type: ref(e.actor_type, e.actor_id),
        "scope": scope,
        "links": links,
    }


async def list_role_assignments(request: Request) -> Response:
    """GET /v3/role_assignments."""
    idn = layer(request)
    entries = await role_assignments.listing(idn, authenticated(request), _query(request))
    names = await role_assignments.names(idn, entries) if flag(request, "include_names") else None
    root = service_root(request)
    items = [_render(root, e, names) for e in entries]
    return json(views.collection(request, "role_assignments", items))
