"""The Compute API v2.1 route table, in API-reference order, and the sub-app serving it."""

from __future__ import annotations

from pathlib import Path

from starlette.types import ASGIApp

from kilocloud.compute import errors, rpc
from kilocloud.compute.agent.runtime import local_runtimes
from kilocloud.compute.api import (
    actions,
    aggregates,
    flavors,
    hosts_admin,
    keypairs,
    quotas,
    server_groups,
    server_meta,
    servers,
    versions,
)
from kilocloud.compute.api.middleware import MicroversionMiddleware
from kilocloud.compute.service import ComputeService
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.core import config
from kilocloud.core.routing import Row, routes_from, service_app
from kilocloud.deps import Services

V = "/v2.1"
FLAVOR = V + "/flavors/{flavor_id}"
QUOTA = V + "/os-quota-sets/{project_id}"
SERVER = V + "/servers/{server_id}"
GROUP = V + "/os-server-groups/{group_id}"
AGGREGATE = V + "/os-aggregates/{aggregate_id}"

API: list[Row] = [
    ("GET", V + "/servers", servers.list_servers_index),
    ("POST", V + "/servers", servers.create_server),
    ("GET", V + "/servers/detail", servers.list_servers_detail),
    ("GET", SERVER, servers.show_server),
    ("PUT", SERVER, servers.update_server),
    ("DELETE", SERVER, servers.delete_server),
    ("POST", SERVER + "/action", actions.server_action),
    ("GET", SERVER + "/ips", server_meta.list_ips),
    ("GET", SERVER + "/ips/{network_label}", server_meta.show_ips),
    ("GET", SERVER + "/metadata", server_meta.list_metadata),
    ("POST", SERVER + "/metadata", server_meta.create_metadata),
    ("PUT", SERVER + "/metadata", server_meta.replace_metadata),
    ("GET", SERVER + "/metadata/{key}", server_meta.show_metadata_item),
    ("PUT", SERVER + "/metadata/{key}", server_meta.update_metadata_item),
    ("DELETE", SERVER + "/metadata/{key}", server_meta.delete_metadata_item),
    ("GET", SERVER + "/tags", server_meta.list_tags),
    ("PUT", SERVER + "/tags", server_meta.replace_tags),
    ("DELETE", SERVER + "/tags", server_meta.delete_tags),
    ("GET", SERVER + "/tags/{tag}", server_meta.check_tag),
    ("PUT", SERVER + "/tags/{tag}", server_meta.add_tag),
    ("DELETE", SERVER + "/tags/{tag}", server_meta.delete_tag),
    ("GET", SERVER + "/os-instance-actions", server_meta.list_instance_actions),
    ("GET", SERVER + "/os-instance-actions/{request_id}", server_meta.show_instance_action),
    ("GET", V + "/flavors", flavors.list_flavors),
    ("POST", V + "/flavors", flavors.create_flavor),
    ("GET", V + "/flavors/detail", flavors.list_flavors_detail),
    ("GET", FLAVOR, flavors.show_flavor),
    ("PUT", FLAVOR, flavors.update_flavor),
    ("DELETE", FLAVOR, flavors.delete_flavor),
    ("GET", FLAVOR + "/os-flavor-access", flavors.list_flavor_access),
    ("POST", FLAVOR + "/action", flavors.flavor_action),
    ("GET", FLAVOR + "/os-extra_specs", flavors.list_extra_specs),
    ("POST", FLAVOR + "/os-extra_specs", flavors.create_extra_specs),
    ("GET", FLAVOR + "/os-extra_specs/{key}", flavors.show_extra_spec),
    ("PUT", FLAVOR + "/os-extra_specs/{key}", flavors.update_extra_spec),
    ("DELETE", FLAVOR + "/os-extra_specs/{key}", flavors.delete_extra_spec),
    ("GET", V + "/os-keypairs", keypairs.list_keypairs),
    ("POST", V + "/os-keypairs", keypairs.create_keypair),
    ("GET", V + "/os-keypairs/{name}", keypairs.show_keypair),
    ("DELETE", V + "/os-keypairs/{name}", keypairs.delete_keypair),
    ("GET", V + "/limits", quotas.show_limits),
    ("GET", QUOTA, quotas.show_quota_set),
    ("PUT", QUOTA, quotas.update_quota_set),
    ("DELETE", QUOTA, quotas.delete_quota_set),
    ("GET", QUOTA + "/defaults", quotas.show_quota_defaults),
    ("GET", QUOTA + "/detail", quotas.show_quota_set_detail),
    ("GET", V + "/os-server-groups", server_groups.list_server_groups),
    ("POST", V + "/os-server-groups", server_groups.create_server_group),
    ("GET", GROUP, server_groups.show_server_group),
    ("DELETE", GROUP, server_groups.delete_server_group),
    ("GET", V + "/os-aggregates", aggregates.list_aggregates),
    ("POST", V + "/os-aggregates", aggregates.create_aggregate),
    ("GET", AGGREGATE, aggregates.show_aggregate),
    ("PUT", AGGREGATE, aggregates.update_aggregate),
    ("DELETE", AGGREGATE, aggregates.delete_aggregate),
    ("POST", AGGREGATE + "/action", aggregates.aggregate_action),
    ("GET", V + "/os-hypervisors", hosts_admin.list_hypervisors),
    ("GET", V + "/os-hypervisors/detail", hosts_admin.list_hypervisors_detail),
    ("GET", V + "/os-hypervisors/statistics", hosts_admin.hypervisor_statistics),
    ("GET", V + "/os-hypervisors/{hypervisor_id}", hosts_admin.show_hypervisor),
    ("GET", V + "/os-services", hosts_admin.list_services),
    ("PUT", V + "/os-services/{action}", hosts_admin.update_service_legacy),
    ("DELETE", V + "/os-services/{action}", hosts_admin.delete_service),
    ("GET", V + "/os-availability-zone", quotas.list_availability_zones),
    ("GET", V + "/os-availability-zone/detail", quotas.list_availability_zones_detail),
]

ROUTES: list[Row] = [
    ("GET", "/", versions.list_versions),
    ("GET", "/v2", versions.show_legacy_version),
    ("GET", "/v2/", versions.show_legacy_version),
    ("GET", V, versions.show_version),
    ("GET", V + "/", versions.show_version),
    *API,
]


def build(services: Services) -> ASGIApp:
    """The compute sub-app, serving the compute service layer."""
    deps = ComputeDeps(
        conf=services.conf, db=services.db, policy=services.policy, notifier=services.notifier
    )
    deps.rpc = rpc.build(services.conf)
    facade = ComputeService(deps)
    services.on_startup.append(facade.flavors.ensure_defaults)
    runtimes: list = []

    async def start_agents() -> None:
        if services.conf.compute.local_agent:
            state = Path(config.state_dir(services.conf))
            runtimes.extend(
                await local_runtimes(services.conf, services.db, services.notifier, deps.rpc, state)
            )
            for runtime in runtimes:
                await runtime.start()

    async def stop_agents() -> None:
        await facade.conductor.close()
        for runtime in runtimes:
            await runtime.stop()
        await deps.rpc.close()

    services.on_startup.append(start_agents)
    services.on_shutdown.append(stop_agents)
    app = service_app(routes_from(ROUTES), facade, errors.render)
    return MicroversionMiddleware(app)
