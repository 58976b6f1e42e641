"""Port security as Neutron ties it together: groups, port security and address pairs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kilocloud.core.db import Connection
from kilocloud.network import errors
from kilocloud.network.models import SecurityGroup
from kilocloud.network.service.deps import NetworkDeps
from kilocloud.network.service.security_groups import ensure_default

BRIDGE_DETAILS = {"port_filter": True, "connectivity": "l2"}


async def check_security(
    deps: NetworkDeps,
    conn: Connection,
    values: dict[str, Any],
    project_id: str,
    update: bool = False,
) -> list[str]:
    """The port's security group ids, once groups, port security and pairs agree."""
    groups, secure = values.get("security_groups"), values["port_security_enabled"]
    if values.get("allowed_address_pairs") and not secure:
        raise errors.AddressPairAndPortSecurityRequired()
    if groups is None:
        if update or not secure or values["device_owner"].startswith("network:"):
            return []
        return [await ensure_default(deps, conn, project_id)]
    if groups and not secure:
        if update:
            raise errors.PortSecurityPortHasSecurityGroup()
        raise errors.PortSecurityAndIPRequiredForSecurityGroups()
    found = set(
        (await conn.execute(select(SecurityGroup.id).where(SecurityGroup.id.in_(groups)))).scalars()
    )
    for group in groups:
        if group not in found:
            raise errors.SecurityGroupNotFound(id=group)
    return list(groups)


def vif_binding(host: str) -> dict[str, Any]:
    """What binding a port to `host` gives (the Linux bridge mechanism driver's answer)."""
    if not host:
        return {"binding_vif_type": "unbound", "binding_vif_details": {}}
    return {"binding_vif_type": "bridge", "binding_vif_details": dict(BRIDGE_DETAILS)}
