"""The identity route table, in API-reference order, and the sub-app that serves it."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from kilocloud.core.errors import APIError
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
from kilocloud.identity.service import Identity

Row = tuple[str, str, object]


def _grant_rows(prefix: str, suffix: str = "") -> list[Row]:
    """List, grant, check and revoke under `prefix` (.../{users|groups}/{id}/roles)."""
    one = f"{prefix}/{{role_id}}{suffix}"
    return [
        (f"{prefix}{suffix}", "GET", grants.list_grants),
        (one, "PUT", grants.create_grant),
        (one, "HEAD", grants.check_grant),
        (one, "GET", grants.check_grant),
        (one, "DELETE", grants.revoke_grant),
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
    ("/", "GET", versions.list_versions),
    ("/v3", "GET", versions.show_version),
    ("/v3/", "GET", versions.show_version),
    ("/v3/auth/tokens", "POST", auth.issue_token),
    ("/v3/auth/tokens", "HEAD", auth.check_token),  # before GET, which also answers HEAD
    ("/v3/auth/tokens", "GET", auth.validate_token),
    ("/v3/auth/tokens", "DELETE", auth.revoke_token),
    ("/v3/auth/catalog", "GET", auth.get_catalog),
    ("/v3/auth/projects", "GET", auth.get_projects),
    ("/v3/auth/domains", "GET", auth.get_domains),
    ("/v3/auth/system", "GET", auth.get_system),
    ("/v3/domains", "GET", domains.list_domains),
    ("/v3/domains", "POST", domains.create_domain),
    ("/v3/domains/{domain_id}", "GET", domains.show_domain),
    ("/v3/domains/{domain_id}", "PATCH", domains.update_domain),
    ("/v3/domains/{domain_id}", "DELETE", domains.delete_domain),
    ("/v3/groups", "GET", groups.list_groups),
    ("/v3/groups", "POST", groups.create_group),
    ("/v3/groups/{group_id}", "GET", groups.show_group),
    ("/v3/groups/{group_id}", "PATCH", groups.update_group),
    ("/v3/groups/{group_id}", "DELETE", groups.delete_group),
    ("/v3/groups/{group_id}/users", "GET", groups.list_group_users),
    ("/v3/groups/{group_id}/users/{user_id}", "PUT", groups.add_group_user),
    ("/v3/groups/{group_id}/users/{user_id}", "HEAD", groups.check_group_user),
    ("/v3/groups/{group_id}/users/{user_id}", "GET", groups.check_group_user),
    ("/v3/groups/{group_id}/users/{user_id}", "DELETE", groups.remove_group_user),
    ("/v3/projects", "GET", projects.list_projects),
    ("/v3/projects", "POST", projects.create_project),
    ("/v3/projects/{project_id}", "GET", projects.show_project),
    ("/v3/projects/{project_id}", "PATCH", projects.update_project),
    ("/v3/projects/{project_id}", "DELETE", projects.delete_project),
    ("/v3/projects/{project_id}/tags", "GET", project_tags.list_project_tags),
    ("/v3/projects/{project_id}/tags", "PUT", project_tags.replace_project_tags),
    ("/v3/projects/{project_id}/tags", "DELETE", project_tags.delete_project_tags),
    ("/v3/projects/{project_id}/tags/{tag}", "GET", project_tags.check_project_tag),
    ("/v3/projects/{project_id}/tags/{tag}", "PUT", project_tags.add_project_tag),
    ("/v3/projects/{project_id}/tags/{tag}", "DELETE", project_tags.delete_project_tag),
    ("/v3/regions", "GET", regions.list_regions),
    ("/v3/regions", "POST", regions.create_region),
    ("/v3/regions/{region_id}", "GET", regions.show_region),
    ("/v3/regions/{region_id}", "PUT", regions.create_region),
    ("/v3/regions/{region_id}", "PATCH", regions.update_region),
    ("/v3/regions/{region_id}", "DELETE", regions.delete_region),
    ("/v3/roles", "GET", roles.list_roles),
    ("/v3/roles", "POST", roles.create_role),
    ("/v3/roles/{role_id}", "GET", roles.show_role),
    ("/v3/roles/{role_id}", "PATCH", roles.update_role),
    ("/v3/roles/{role_id}", "DELETE", roles.delete_role),
    *_all_grant_rows(),
    ("/v3/roles/{prior_role_id}/implies", "GET", roles.list_implied_roles),
    ("/v3/roles/{prior_role_id}/implies/{implied_role_id}", "PUT", roles.create_implied_role),
    ("/v3/roles/{prior_role_id}/implies/{implied_role_id}", "HEAD", roles.check_implied_role),
    ("/v3/roles/{prior_role_id}/implies/{implied_role_id}", "GET", roles.show_implied_role),
    ("/v3/roles/{prior_role_id}/implies/{implied_role_id}", "DELETE", roles.delete_implied_role),
    ("/v3/role_assignments", "GET", role_assignments.list_role_assignments),
    ("/v3/role_inferences", "GET", roles.list_role_inferences),
    ("/v3/services", "GET", services.list_services),
    ("/v3/services", "POST", services.create_service),
    ("/v3/services/{service_id}", "GET", services.show_service),
    ("/v3/services/{service_id}", "PATCH", services.update_service),
    ("/v3/services/{service_id}", "DELETE", services.delete_service),
    ("/v3/endpoints", "GET", endpoints.list_endpoints),
    ("/v3/endpoints", "POST", endpoints.create_endpoint),
    ("/v3/endpoints/{endpoint_id}", "GET", endpoints.show_endpoint),
    ("/v3/endpoints/{endpoint_id}", "PATCH", endpoints.update_endpoint),
    ("/v3/endpoints/{endpoint_id}", "DELETE", endpoints.delete_endpoint),
    ("/v3/users", "GET", users.list_users),
    ("/v3/users", "POST", users.create_user),
    ("/v3/users/{user_id}", "GET", users.show_user),
    ("/v3/users/{user_id}", "PATCH", users.update_user),
    ("/v3/users/{user_id}", "DELETE", users.delete_user),
    ("/v3/users/{user_id}/groups", "GET", users.list_user_groups),
    ("/v3/users/{user_id}/projects", "GET", projects.list_user_projects),
    ("/v3/users/{user_id}/password", "POST", users.change_password),
    ("/v3/OS-TRUST/trusts", "POST", trusts.create_trust),
    ("/v3/OS-TRUST/trusts", "GET", trusts.list_trusts),
    ("/v3/OS-TRUST/trusts/{trust_id}", "GET", trusts.show_trust),
    ("/v3/OS-TRUST/trusts/{trust_id}", "DELETE", trusts.delete_trust),
    ("/v3/OS-TRUST/trusts/{trust_id}/roles", "GET", trusts.list_trust_roles),
    ("/v3/OS-TRUST/trusts/{trust_id}/roles/{role_id}", "GET", trusts.show_trust_role),
    (
        "/v3/users/{user_id}/application_credentials",
        "GET",
        application_credentials.list_application_credentials,
    ),
    (
        "/v3/users/{user_id}/application_credentials",
        "POST",
        application_credentials.create_application_credential,
    ),
    (
        "/v3/users/{user_id}/application_credentials/{application_credential_id}",
        "GET",
        application_credentials.show_application_credential,
    ),
    (
        "/v3/users/{user_id}/application_credentials/{application_credential_id}",
        "DELETE",
        application_credentials.delete_application_credential,
    ),
]


def build(services: Services) -> Starlette:
    """The identity sub-app."""
    app = Starlette(
        routes=[Route(path, handler, methods=[method]) for path, method, handler in ROUTES],
        exception_handlers={APIError: errors.render, HTTPException: errors.render_http},
    )
    app.state.services = services
    app.state.identity = Identity.of(services)
    return app
