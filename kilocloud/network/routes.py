"""The Networking API v2.0 route table, in API-reference order, and the sub-app serving it."""

from __future__ import annotations

from starlette.applications import Starlette

from kilocloud.core.routing import Row, routes_from, service_app
from kilocloud.deps import Services
from kilocloud.network import errors
from kilocloud.network.api import availability, extensions, quotas, routers, tags, versions
from kilocloud.network.api.resources import collection_handlers
from kilocloud.network.service import NetworkService

MOUNT = "/networking"
V2 = "/v2.0"
TAGS = V2 + "/{collection:str}/{id}/tags"

ALL = ("list", "create", "show", "update", "delete")
# (path below /v2.0, state attribute, singular, plural body key, operations)
COLLECTIONS = (
    ("networks", "networks", "network", "networks", ALL),
    ("subnets", "subnets", "subnet", "subnets", ALL),
    ("ports", "ports", "port", "ports", ALL),
    ("security-groups", "security_groups", "security_group", "security_groups", ALL),
    (
        "security-group-rules",
        "security_group_rules",
        "security_group_rule",
        "security_group_rules",
        ("list", "create", "show", "delete"),
    ),
    ("subnetpools", "subnetpools", "subnetpool", "subnetpools", ALL),
    ("address-scopes", "address_scopes", "address_scope", "address_scopes", ALL),
    ("routers", "routers", "router", "routers", ALL),
    ("floatingips", "floatingips", "floatingip", "floatingips", ALL),
    ("agents", "agents", "agent", "agents", ("list", "show", "update", "delete")),
)
METHODS = {"list": "GET", "create": "POST", "show": "GET", "update": "PUT", "delete": "DELETE"}


def _collection_rows() -> list[Row]:
    rows: list[Row] = []
    for path, name, singular, plural, operations in COLLECTIONS:
        handlers = collection_handlers(name, singular, plural, path)
        for op in operations:
            where = f"{V2}/{path}" if op in ("list", "create") else f"{V2}/{path}/{{id}}"
            rows.append((METHODS[op], where, handlers[op]))
    return rows


ROUTES: list[Row] = [
    ("GET", "/", versions.list_versions),
    ("GET", V2 + "/", versions.list_resources),
    ("GET", V2 + "/extensions", extensions.list_extensions),
    ("GET", V2 + "/extensions/{alias}", extensions.show_extension),
    *_collection_rows(),
    ("PUT", V2 + "/routers/{id}/add_router_interface", routers.add_router_interface),
    ("PUT", V2 + "/routers/{id}/remove_router_interface", routers.remove_router_interface),
    ("PUT", V2 + "/routers/{id}/add_extraroutes", routers.add_extraroutes),
    ("PUT", V2 + "/routers/{id}/remove_extraroutes", routers.remove_extraroutes),
    ("GET", V2 + "/availability_zones", availability.list_availability_zones),
    ("GET", V2 + "/network-ip-availabilities", availability.list_ip_availabilities),
    ("GET", V2 + "/network-ip-availabilities/{network_id}", availability.show_ip_availability),
    ("GET", TAGS, tags.list_tags),
    ("PUT", TAGS, tags.replace_tags),
    ("POST", TAGS, tags.add_tags),
    ("DELETE", TAGS, tags.delete_tags),
    ("GET", TAGS + "/{tag}", tags.check_tag),
    ("PUT", TAGS + "/{tag}", tags.add_tag),
    ("DELETE", TAGS + "/{tag}", tags.delete_tag),
    ("GET", V2 + "/quotas", quotas.list_quotas),
    ("POST", V2 + "/quotas", quotas.create_quota),
    ("GET", V2 + "/quotas/project", quotas.own_project),
    ("GET", V2 + "/quotas/{project_id}", quotas.show_quota),
    ("PUT", V2 + "/quotas/{project_id}", quotas.update_quota),
    ("DELETE", V2 + "/quotas/{project_id}", quotas.delete_quota),
    ("GET", V2 + "/quotas/{project_id}/default", quotas.default_quota),
    ("GET", V2 + "/quotas/{project_id}/details", quotas.quota_details),
]


def build(services: Services) -> Starlette:
    """The network sub-app, serving the network service layer."""
    app = service_app(routes_from(ROUTES), NetworkService(services), errors.render)
    app.router.redirect_slashes = False  # Neutron: /v2.0 without the slash is a 404
    return app
