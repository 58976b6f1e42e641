"""Image data stores, chosen by configuration from a {type: "module:Class"} map."""

from __future__ import annotations

from dataclasses import dataclass

from oslo_config import cfg

from kilocloud.core import registry
from kilocloud.core.errors import BadRequest
from kilocloud.image.config import FILE_STORE_OPTS, S3_STORE_OPTS
from kilocloud.image.stores.base import Store

STORE_TYPES: dict[str, str] = {
    "file": "kilocloud.image.stores.file:FileStore",
    "s3": "kilocloud.image.stores.s3:S3Store",
}


@dataclass
class Stores:
    """The configured stores by name, the default one, and whether multi-store is on."""

    by_name: dict[str, Store]
    default: str
    multistore: bool

    def get(self, name: str | None) -> Store:
        """The store called `name` (the default when None); 400 when there is none."""
        store = self.by_name.get(name or self.default)
        if store is None:
            raise BadRequest(f"Store for identifier {name} not found")
        return store

    def for_location(self, store_name: str) -> Store | None:
        """The store holding a location, None when it is no longer configured."""
        return self.by_name.get(store_name)

    async def close(self) -> None:
        """Release every store's connections."""
        for store in self.by_name.values():
            await store.close()


def build_stores(conf: cfg.ConfigOpts) -> Stores:
    """The stores `conf` describes: [glance_store] alone, or every enabled_backends entry."""
    backends = conf.enabled_backends
    if not backends:
        kind = conf.glance_store.default_store
        store = registry.load(STORE_TYPES, kind)(conf, kind, "glance_store")
        return Stores({kind: store}, kind, multistore=False)
    stores = {}
    for name, kind in backends.items():
        if name not in conf:
            conf.register_opts([*FILE_STORE_OPTS, *S3_STORE_OPTS], group=name)
        stores[name] = registry.load(STORE_TYPES, kind)(conf, name, name)
    default = conf.glance_store.default_backend or next(iter(backends))
    if default not in stores:
        raise ValueError(f"default_backend {default!r} is not in enabled_backends")
    return Stores(stores, default, multistore=True)
