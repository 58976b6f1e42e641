"""GET /v2.0/extensions: exactly the extensions this service implements."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import NotFound
from kilocloud.core.http import json
from kilocloud.network.errors import NeutronError

UPDATED = "2013-01-01T10:00:00-00:00"

# (alias, name, description), in Neutron's words
EXTENSIONS = (
    (
        "address-scope",
        "Address scope",
        "Address scopes extension.",
    ),
    (
        "agent",
        "agent",
        "The agent management extension.",
    ),
    (
        "allowed-address-pairs",
        "Allowed Address Pairs",
        "Provides allowed address pairs",
    ),
    (
        "availability_zone",
        "Availability Zone",
        "The availability zone extension.",
    ),
    (
        "binding",
        "Port Binding",
        "Expose port bindings of a virtual port to external application",
    ),
    (
        "empty-string-filtering",
        "Empty String Filtering Extension",
        "Allow filtering by attributes with empty string value",
    ),
    (
        "external-net",
        "Neutron external network",
        "Adds external network attribute to network resource.",
    ),
    (
        "ext-gw-mode",
        "Neutron L3 Configurable external gateway mode",
        (
            "Extension of the router abstraction for specifying whether SNAT should occur on the "
            "external gateway"
        ),
    ),
    (
        "extra_dhcp_opt",
        "Neutron Extra DHCP options",
        (
            "Extra options configuration for DHCP. For example PXE boot options to DHCP clients "
            "can be specified (e.g. tftp-server, server-ip-address, bootfile-name)"
        ),
    ),
    (
        "extraroute",
        "Neutron Extra Route",
        "Extra routes configuration for L3 router",
    ),
    (
        "extraroute-atomic",
        "Atomically add/remove extra routes",
        "Edit extra routes of a router on server side by atomically adding/removing extra routes",
    ),
    (
        "filter-validation",
        "Filter parameters validation",
        "Provides validation on filter parameters.",
    ),
    (
        "ip-substring-filtering",
        "IP address substring filtering",
        "Provides IP address substring filtering when listing ports",
    ),
    (
        "network-ip-availability",
        "Network IP Availability",
        "Provides IP availability data for each network and subnet.",
    ),
    (
        "network_availability_zone",
        "Network Availability Zone",
        "Availability zone support for network.",
    ),
    (
        "net-mtu",
        "Network MTU",
        "Provides MTU attribute for a network resource.",
    ),
    (
        "net-mtu-writable",
        "Network MTU (writable)",
        "Provides a writable MTU attribute for a network resource.",
    ),
    (
        "pagination",
        "Pagination support",
        "Extension that indicates that pagination is enabled.",
    ),
    (
        "port-security",
        "Port Security",
        "Provides port security",
    ),
    (
        "project-id",
        "project_id field enabled",
        "Extension that indicates that project_id field is enabled.",
    ),
    (
        "provider",
        "Provider Network",
        "Expose mapping of virtual networks to physical networks",
    ),
    (
        "quotas",
        "Quota management support",
        "Expose functions for quotas management per project",
    ),
    (
        "quota_details",
        "Quota details management support",
        "Expose functions for quotas usage statistics per project",
    ),
    (
        "revision-if-match",
        "If-Match constraints based on revision_number",
        "Extension indicating that If-Match based on revision_number is supported.",
    ),
    (
        "router",
        "Neutron L3 Router",
        (
            "Router abstraction for basic L3 forwarding between L2 Neutron networks and access "
            "to external networks via a NAT gateway."
        ),
    ),
    (
        "router_availability_zone",
        "Router Availability Zone",
        "Availability zone support for router.",
    ),
    (
        "security-group",
        "security-group",
        "The security groups extension.",
    ),
    (
        "sorting",
        "Sorting support",
        "Extension that indicates that sorting is enabled.",
    ),
    (
        "standard-attr-description",
        "standard-attr-description",
        "Extension to add descriptions to standard attributes",
    ),
    (
        "standard-attr-revisions",
        "Resource revision numbers",
        "This extension will display the revision number of neutron resources.",
    ),
    (
        "standard-attr-tag",
        (
            "Tag support for resources with standard attribute: subnet, trunk, "
            "network_segment_range, router, network, policy, subnetpool, port, security_group, "
            "floatingip"
        ),
        "Enables to set tag on resources with standard attribute.",
    ),
    (
        "standard-attr-timestamp",
        "Resource timestamps",
        (
            "Adds created_at and updated_at fields to all Neutron resources that have Neutron "
            "standard attributes."
        ),
    ),
    (
        "stateful-security-group",
        "Stateful security group",
        "Indicates if the security group is stateful or not",
    ),
    (
        "subnet-external-network",
        "Subnet External Network",
        "Informs if the subnet is associated to an external network.",
    ),
    (
        "subnet_allocation",
        "Subnet Allocation",
        "Enables allocation of subnets from a subnet pool",
    ),
    (
        "default-subnetpools",
        "Default Subnetpools",
        "Provides ability to mark and use a subnetpool as the default.",
    ),
    (
        "tag-ports-during-bulk-creation",
        "Tag Ports During Bulk Creation",
        "Allow to tag ports during bulk creation",
    ),
)


def _entry(alias: str, name: str, description: str) -> dict:
    return {
        "alias": alias,
        "name": name,
        "description": description,
        "updated": UPDATED,
        "links": [],
    }


async def list_extensions(request: Request) -> Response:
    """GET /v2.0/extensions."""
    authenticated(request)
    return json({"extensions": [_entry(*e) for e in EXTENSIONS]})


async def show_extension(request: Request) -> Response:
    """GET /v2.0/extensions/{alias}: 404 for an alias not served."""
    authenticated(request)
    alias = request.path_params["alias"]
    for entry in EXTENSIONS:
        if entry[0] == alias:
            return json({"extension": _entry(*entry)})
    raise ExtensionNotFound()


class ExtensionNotFound(NeutronError, NotFound):
    template = "The resource could not be found."
