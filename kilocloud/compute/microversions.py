"""Compute API microversions: the range served, how a request names one, and each change."""

from __future__ import annotations

import re

from kilocloud.core.errors import APIError, BadRequest

MIN = (2, 1)
# every change up to MAX is honoured for the resources served (see CHANGES)
MAX = (2, 104)
HEADER = "openstack-api-version"
LEGACY_HEADER = "x-openstack-nova-api-version"
_FORMAT = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")

# each change up to MAX that touches what this service serves, and where it is honoured;
# versions not listed change only APIs not served here (volumes, consoles, migrations...)
CHANGES: dict[tuple[int, int], str] = {
    (2, 2): "keypair type ssh/x509; create 201, delete 204 (api/keypairs.py)",
    (2, 3): "admin OS-EXT-SRV-ATTR extras (api/server_views.py)",
    (2, 9): "server locked (api/server_views.py)",
    (2, 10): "keypairs: admin user_id (api/keypairs.py)",
    (2, 11): "services forced_down (api/hosts_admin.py)",
    (2, 13): "server group project_id, user_id (api/server_groups.py)",
    (2, 15): "soft-affinity, soft-anti-affinity (schemas.py, scheduler/weighers.py)",
    (2, 16): "server host_status (api/server_views.py)",
    (2, 19): "server description (schemas.py, api/server_views.py)",
    (2, 26): "server tags, tag filters (api/server_meta.py, service/server_list.py)",
    (2, 28): "hypervisor cpu_info object (api/hosts_admin.py)",
    (2, 35): "keypair paging (api/keypairs.py)",
    (2, 36): "quota and limit network keys dropped (service/quotas.py, api/quotas.py)",
    (2, 37): "networks required, none/auto (schemas.py)",
    (2, 38): "invalid status filter 400 (service/server_list.py)",
    (2, 39): "limits drop maxImageMeta (api/quotas.py)",
    (2, 41): "aggregate uuid (api/aggregates.py)",
    (2, 45): "createImage returns image_id (api/actions.py)",
    (2, 47): "embedded server flavor (api/server_views.py)",
    (2, 51): "instance action events for all (api/server_meta.py)",
    (2, 52): "tags at create (schemas.py)",
    (2, 53): "service and hypervisor uuids (api/hosts_admin.py)",
    (2, 55): "flavor description, PUT /flavors (api/flavors.py)",
    (2, 57): "personality removed, injected-file quotas dropped (schemas.py, quotas)",
    (2, 58): "instance action updated_at (api/server_meta.py)",
    (2, 61): "flavor extra_specs (api/flavors.py)",
    (2, 62): "action event host, hostId (api/server_meta.py)",
    (2, 63): "trusted_image_certificates null (api/server_views.py)",
    (2, 64): "server group policy and rules (api/server_groups.py)",
    (2, 71): "server_groups in show (api/server_views.py)",
    (2, 73): "lock reason, locked filter and sort (api/actions.py, service/server_list.py)",
    (2, 74): "create host (schemas.py)",
    (2, 75): "strict query params, full PUT response, swap 0 (api/*)",
    (2, 83): "more user list filters (service/server_list.py)",
    (2, 84): "action event details (api/server_meta.py)",
    (2, 88): "hypervisor stats dropped, uptime, /statistics 404 (api/hosts_admin.py)",
    (2, 90): "hostname create/update, shown to all (schemas.py, api/server_views.py)",
    (2, 92): "keypair generation removed, @ and . in names (schemas.py)",
    (2, 96): "pinned_availability_zone (api/server_views.py)",
    (2, 98): "image properties in server (api/server_views.py)",
    (2, 100): "scheduler_hints in server (api/server_views.py)",
    (2, 102): "flavor name filter, rxtx/disabled dropped, strict query everywhere (api/*)",
    (2, 104): "PUT pinned_availability_zone (schemas.py)",
}

Version = tuple[int, int]


class NotAcceptable(APIError):
    status, title = 406, "Not Acceptable"


def text(version: Version) -> str:
    """'2.X' for (2, X)."""
    return f"{version[0]}.{version[1]}"


def _requested(headers: dict[str, str]) -> str | None:
    """The version string the request names for compute, if any."""
    value = headers.get(HEADER)
    if value is not None:
        for item in reversed(value.split(",")):
            service, _, version = item.strip().partition(" ")
            if service.lower() == "compute":
                return version.strip()
    return headers.get(LEGACY_HEADER)


def negotiate(headers: dict[str, str]) -> Version:
    """The version a request asks for: 2.1 when unnamed, MAX for latest; 400/406 otherwise."""
    asked = _requested(headers)
    if asked is None:
        return MIN
    if asked.strip().lower() == "latest":
        return MAX
    found = _FORMAT.match(asked.strip())
    if not found:
        raise BadRequest(
            f"API Version String {asked} is of invalid format. Must be of format MajorNum.MinorNum."
        )
    version = (int(found.group(1)), int(found.group(2)))
    if not MIN <= version <= MAX:
        raise NotAcceptable(
            f"Version {text(version)} is not supported by the API. Minimum is {text(MIN)} and "
            f"maximum is {text(MAX)}."
        )
    return version


def response_headers(version: Version) -> list[tuple[bytes, bytes]]:
    """The headers every microversioned response carries."""
    return [
        (b"openstack-api-version", f"compute {text(version)}".encode()),
        (b"x-openstack-nova-api-version", text(version).encode()),
        (b"vary", b"OpenStack-API-Version"),
        (b"vary", b"X-OpenStack-Nova-API-Version"),
    ]
