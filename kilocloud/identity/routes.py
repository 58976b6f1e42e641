"""The identity route table, in API-reference order, and the sub-app that serves it."""

from __future__ import annotations

from starlette.applications import Starlette

from kilocloud.core.routing import Row, routes_from, service_app
from kilocloud.deps import Services
from kilocloud.identity import errors
from kilocloud.identity.api import (
    application_credentials,
    auth,
    domains,
    endpoints,
    grants,
    groups,
    project_tags,
    projects,
    regions,
    role_assignments,
    roles,
    services,
    trusts,
    users,
    versions,
)


def _grant_rows(prefix: str, suffix: str = "") -> list[Row]:
    """List, grant, check and revoke under `prefix` (.../{users|groups}/{id}/roles)."""
    one = f"{prefix}/{{role_id}}{suffix}"
    return [
        ("GET", f"{prefix}{suffix}", grants.list_grants),
        ("PUT", one, grants.create_grant),
        ("HEAD", one, grants.check_grant),
        ("GET", one, grants.check_grant),
        ("DELETE", one, grants.revoke_grant),
    ]


def _all_grant_rows() -> list[Row]:
    rows: list[Row] = []
    for target in ("projects/{project_id}", "domains/{domain_id}", "system"):
        for actor in ("users/{user_id}", "groups/{group_id}"):
            rows += _grant_rows(f"/v3/{target}/{actor}/roles")
    for target in ("domains/{domain_id}", "projects/{project_id}"):
        for actor in ("users/{user_id}", "groups/{group_id}"):
            rows += _grant_rows(f"/v3/OS-INHERIT/{target}/{actor}/roles", "/inherited_to_projects")
    return rows


ROUTES: list[Row] = [
    ("GET", "/", versions.list_versions),
    ("GET", "/v3", versions.show_version),
    ("GET", "/v3/", versions.show_version),
    ("POST", "/v3/auth/tokens", auth.issue_token),
    ("HEAD", "/v3/auth/tokens", auth.check_token),  # before GET, which also answers HEAD
    ("GET", "/v3/auth/tokens", auth.validate_token),
    ("DELETE", "/v3/auth/tokens", auth.revoke_token),
    ("GET", "/v3/auth/catalog", auth.get_catalog),
    ("GET", "/v3/auth/projects", auth.get_projects),
    ("GET", "/v3/auth/domains", auth.get_domains),
    ("GET", "/v3/auth/system", auth.get_system),
    ("GET", "/v3/domains", domains.list_domains),
    ("POST", "/v3/domains", domains.create_domain),
    ("GET", "/v3/domains/{domain_id}", domains.show_domain),
    ("PATCH", "/v3/domains/{domain_id}", domains.update_domain),
    ("DELETE", "/v3/domains/{domain_id}", domains.delete_domain),
    ("GET", "/v3/groups", groups.list_groups),
    ("POST", "/v3/groups", groups.create_group),
    ("GET", "/v3/groups/{group_id}", groups.show_group),
    ("PATCH", "/v3/groups/{group_id}", groups.update_group),
    ("DELETE", "/v3/groups/{group_id}", groups.delete_group),
    ("GET", "/v3/groups/{group_id}/users", groups.list_group_users),
    ("PUT", "/v3/groups/{group_id}/users/{user_id}", groups.add_group_user),
    ("HEAD", "/v3/groups/{group_id}/users/{user_id}", groups.check_group_user),
    ("GET", "/v3/groups/{group_id}/users/{user_id}", groups.check_group_user),
    ("DELETE", "/v3/groups/{group_id}/users/{user_id}", groups.remove_group_user),
    ("GET", "/v3/projects", projects.list_projects),
    ("POST", "/v3/projects", projects.create_project),
    ("GET", "/v3/projects/{project_id}", projects.show_project),
    ("PATCH", "/v3/projects/{project_id}", projects.update_project),
    ("DELETE", "/v3/projects/{project_id}", projects.delete_project),
    ("GET", "/v3/projects/{project_id}/tags", project_tags.list_project_tags),
    ("PUT", "/v3/projects/{project_id}/tags", project_tags.replace_project_tags),
    ("DELETE", "/v3/projects/{project_id}/tags", project_tags.delete_project_tags),
    ("GET", "/v3/projects/{project_id}/tags/{tag}", project_tags.check_project_tag),
    ("PUT", "/v3/projects/{project_id}/tags/{tag}", project_tags.add_project_tag),
    ("DELETE", "/v3/projects/{project_id}/tags/{tag}", project_tags.delete_project_tag),
    ("GET", "/v3/regions", regions.list_regions),
    ("POST", "/v3/regions", regions.create_region),
    ("GET", "/v3/regions/{region_id}", regions.show_region),
    ("PUT", "/v3/regions/{region_id}", regions.create_region),
    ("PATCH", "/v3/regions/{region_id}", regions.update_region),
    ("DELETE", "/v3/regions/{region_id}", regions.delete_region),
    ("GET", "/v3/roles", roles.list_roles),
    ("POST", "/v3/roles", roles.create_role),
    ("GET", "/v3/roles/{role_id}", roles.show_role),
    ("PATCH", "/v3/roles/{role_id}", roles.update_role),
    ("DELETE", "/v3/roles/{role_id}", roles.delete_role),
    *_all_grant_rows(),
    ("GET", "/v3/roles/{prior_role_id}/implies", roles.list_implied_roles),
    ("PUT", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", roles.create_implied_role),
    ("HEAD", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", roles.check_implied_role),
    ("GET", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", roles.show_implied_role),
    ("DELETE", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", roles.delete_implied_role),
    ("GET", "/v3/role_assignments", role_assignments.list_role_assignments),
    ("GET", "/v3/role_inferences", roles.list_role_inferences),
    ("GET", "/v3/services", services.list_services),
    ("POST", "/v3/services", services.create_service),
    ("GET", "/v3/services/{service_id}", services.show_service),
    ("PATCH", "/v3/services/{service_id}", services.update_service),
    ("DELETE", "/v3/services/{service_id}", services.delete_service),
    ("GET", "/v3/endpoints", endpoints.list_endpoints),
    ("POST", "/v3/endpoints", endpoints.create_endpoint),
    ("GET", "/v3/endpoints/{endpoint_id}", endpoints.show_endpoint),
    ("PATCH", "/v3/endpoints/{endpoint_id}", endpoints.update_endpoint),
    ("DELETE", "/v3/endpoints/{endpoint_id}", endpoints.delete_endpoint),
    ("GET", "/v3/users", users.list_users),
    ("POST", "/v3/users", users.create_user),
    ("GET", "/v3/users/{user_id}", users.show_user),
    ("PATCH", "/v3/users/{user_id}", users.update_user),
    ("DELETE", "/v3/users/{user_id}", users.delete_user),
    ("GET", "/v3/users/{user_id}/groups", users.list_user_groups),
    ("GET", "/v3/users/{user_id}/projects", projects.list_user_projects),
    ("POST", "/v3/users/{user_id}/password", users.change_password),
    ("POST", "/v3/OS-TRUST/trusts", trusts.create_trust),
    ("GET", "/v3/OS-TRUST/trusts", trusts.list_trusts),
    ("GET", "/v3/OS-TRUST/trusts/{trust_id}", trusts.show_trust),
    ("DELETE", "/v3/OS-TRUST/trusts/{trust_id}", trusts.delete_trust),
    ("GET", "/v3/OS-TRUST/trusts/{trust_id}/roles", trusts.list_trust_roles),
    ("GET", "/v3/OS-TRUST/trusts/{trust_id}/roles/{role_id}", trusts.show_trust_role),
    (
        "GET",
        "/v3/users/{user_id}/application_credentials",
        application_credentials.list_application_credentials,
    ),
    (
        "POST",
        "/v3/users/{user_id}/application_credentials",
        application_credentials.create_application_credential,
    ),
    (
        "GET",
        "/v3/users/{user_id}/application_credentials/{application_credential_id}",
        application_credentials.show_application_credential,
    ),
    (
        "DELETE",
        "/v3/users/{user_id}/application_credentials/{application_credential_id}",
        application_credentials.delete_application_credential,
    ),
]


def build(services: Services) -> Starlette:
    """The identity sub-app, serving the cloud's identity service layer."""
    return service_app(routes_from(ROUTES), services.identity, errors.render)
