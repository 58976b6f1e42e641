"""Websocket actions of the admin catalog (pools, flavors) and of node health."""

from __future__ import annotations

from typing import Any

from kilocloud.messaging.api import health
from kilocloud.messaging.api.catalog import flavor_view, pool_view
from kilocloud.messaging.service import limits
from kilocloud.messaging.service.caller import Caller, enforce
from kilocloud.messaging.service.messaging import Messaging
from kilocloud.messaging.ws_actions import Action, Result

PAGE = 10


def _name(body: dict[str, Any], key: str) -> str:
    return str(body.get(key) or "")


async def pool_list(svc: Messaging, who: Caller, body: dict) -> Result:
    """A page of pools."""
    limit = limits.page_limit(body.get("limit", PAGE), 1000)
    pools = await svc.catalog.list_pools(who, body.get("marker"), limit)
    return 200, {"pools": [pool_view(p, bool(body.get("detailed"))) for p in pools]}


async def pool_create(svc: Messaging, who: Caller, body: dict) -> Result:
    """Create a pool."""
    await svc.catalog.put_pool(who, _name(body, "pool_name"), body)
    return 201, {"message": f"Pool {_name(body, 'pool_name')} created."}


async def pool_get(svc: Messaging, who: Caller, body: dict) -> Result:
    """One pool."""
    return 200, pool_view(await svc.catalog.get_pool(who, _name(body, "pool_name")))


async def pool_update(svc: Messaging, who: Caller, body: dict) -> Result:
    """Change a pool."""
    fields = {k: v for k, v in body.items() if k != "pool_name"}
    return 200, pool_view(await svc.catalog.update_pool(who, _name(body, "pool_name"), fields))


async def pool_delete(svc: Messaging, who: Caller, body: dict) -> Result:
    """Forget a pool."""
    await svc.catalog.delete_pool(who, _name(body, "pool_name"))
    return 204, {}


async def flavor_list(svc: Messaging, who: Caller, body: dict) -> Result:
    """A page of flavors."""
    limit = limits.page_limit(body.get("limit", PAGE), 1000)
    flavors = await svc.catalog.list_flavors(who, body.get("marker"), limit)
    return 200, {"flavors": [flavor_view(f) for f in flavors]}


async def flavor_create(svc: Messaging, who: Caller, body: dict) -> Result:
    """Create a flavor."""
    await svc.catalog.put_flavor(who, _name(body, "flavor_name"), body)
    return 201, {"message": f"Flavor {_name(body, 'flavor_name')} created."}


async def flavor_get(svc: Messaging, who: Caller, body: dict) -> Result:
    """One flavor."""
    return 200, flavor_view(await svc.catalog.get_flavor(who, _name(body, "flavor_name")))


async def flavor_update(svc: Messaging, who: Caller, body: dict) -> Result:
    """Change a flavor."""
    flavor = await svc.catalog.update_flavor(who, _name(body, "flavor_name"), body)
    return 200, flavor_view(flavor)


async def flavor_delete(svc: Messaging, who: Caller, body: dict) -> Result:
    """Forget a flavor."""
    await svc.catalog.delete_flavor(who, _name(body, "flavor_name"))
    return 204, {}


async def get_home_doc(svc: Messaging, who: Caller, body: dict) -> Result:
    """The home document; its links are relative, as Zaqar's websocket gives them."""
    return 200, health.home_document("")


async def check_node_health(svc: Messaging, who: Caller, body: dict) -> Result:
    """The storage health report (admin)."""
    enforce(svc.policy, who, "health:get")
    return 200, await health.report(svc)


CATALOG_ACTIONS: dict[str, Action] = {
    f.__name__: f
    for f in (
        pool_list,
        pool_create,
        pool_get,
        pool_update,
        pool_delete,
        flavor_list,
        flavor_create,
        flavor_get,
        flavor_update,
        flavor_delete,
        get_home_doc,
        check_node_health,
    )
}
