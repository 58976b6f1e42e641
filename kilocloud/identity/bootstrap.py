"""First start of a cloud: schema, keys, the admin identity and the service catalog."""

from __future__ import annotations

import asyncio
import inspect
import os
import secrets
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass

from oslo_config import cfg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud import migrations
from kilocloud.core import config
from kilocloud.core.db import Database
from kilocloud.identity import clientconfig, fernet, passwords
from kilocloud.identity.models import (
    Assignment,
    Domain,
    Endpoint,
    ImpliedRole,
    Project,
    Region,
    Role,
    Service,
    User,
)

ROLES = ("admin", "manager", "member", "reader", "service")
IMPLIED = (("admin", "manager"), ("manager", "member"), ("member", "reader"))
# (type, name, path below the public endpoint; None = websocket, same path on ws://)
CATALOG = (
    ("identity", "keystone", "/identity"),
    ("image", "glance", "/image"),
    ("messaging", "zaqar", "/messaging"),
    ("messaging-websocket", "zaqar-websocket", "/messaging/ws"),
    ("network", "neutron", "/networking"),
    ("compute", "nova", "/compute/v2.1"),
)
INTERFACES = ("public", "internal", "admin")


@dataclass
class Summary:
    """What a user needs to reach the cloud."""

    endpoint: str
    state_dir: str
    password: str
    created: bool
    # the password is shown once, when it is made; later it is only in the openrc
    new_password: bool = False

    def describe(self) -> str:
        """The lines `kilocloud up` prints."""
        verb = "created" if self.created else "found"
        password = self.password if self.new_password else f"(in {self.state_dir}/openrc)"
        return "\n".join(
            [
                f"kilocloud: state {verb} in {self.state_dir}",
                f"  identity   {self.endpoint}/identity/v3",
                f"  image      {self.endpoint}/image",
                f"  messaging  {self.endpoint}/messaging",
                f"  network    {self.endpoint}/networking",
                f"  compute    {self.endpoint}/compute/v2.1",
                "  user admin, project admin, domain Default",
                f"  password   {password}",
                f"  source {self.state_dir}/openrc   or   OS_CLOUD=kilocloud"
                f" (clouds.yaml: {self.state_dir}/clouds.yaml)",
            ]
        )


async def _get_or_add(session: AsyncSession, model: type, where: dict, **values: object) -> object:
    row = await session.scalar(select(model).filter_by(**where))
    if row is None:
        row = model(**where, **values)
        session.add(row)
        await session.flush()
    return row


async def _roles(session: AsyncSession) -> dict[str, Role]:
    roles = {}
    for name in ROLES:
        roles[name] = await _get_or_add(
            session, Role, {"name": name, "domain_id": ""}, id=uuid.uuid4().hex
        )
    for prior, implied in IMPLIED:
        await _get_or_add(
            session,
            ImpliedRole,
            {"prior_role_id": roles[prior].id, "implied_role_id": roles[implied].id},
        )
    return roles


async def _catalog(session: AsyncSession, conf: cfg.ConfigOpts, move: bool) -> str:
    """Create missing services and endpoints at conf's address; with `move`, point existing
    endpoints there too. Returns the base URL the identity endpoint is at."""
    base = config.public_endpoint(conf)
    ws_base = base.replace("http", "ws", 1)
    region = conf.region_name
    await _get_or_add(session, Region, {"id": region}, description="", extra={})
    for svc_type, name, path in CATALOG:
        service = await _get_or_add(
            session, Service, {"type": svc_type, "name": name}, id=uuid.uuid4().hex, extra={}
        )
        url = (ws_base if svc_type.endswith("websocket") else base) + path
        for interface in INTERFACES:
            ep = await _get_or_add(
                session,
                Endpoint,
                {"service_id": service.id, "interface": interface, "region_id": region},
                id=uuid.uuid4().hex,
                url=url,
                extra={},
            )
            if move:
                ep.url = url
            if svc_type == "identity" and interface == "public":
                found = ep.url.removesuffix(path)
    return found


async def bootstrap(
    db: Database, conf: cfg.ConfigOpts, password_hash: Awaitable[str], move_endpoints: bool
) -> tuple[bool, str]:
    """Create what is missing of the admin identity and catalog: (whether the admin is new,
    the catalog's base URL). Existing endpoints move to conf's address only if asked.

    `password_hash` is awaited only when the admin user has to be created.
    """
    async with db.write() as session:
        default = await _get_or_add(
            session,
            Domain,
            {"id": conf.identity.default_domain_id},
            name="Default",
            extra={},
            description="The default domain",
        )
        roles = await _roles(session)
        project = await _get_or_add(
            session,
            Project,
            {"domain_id": default.id, "name": "admin"},
            id=uuid.uuid4().hex,
            tags=[],
            extra={},
        )
        await _get_or_add(
            session,
            Project,
            {"domain_id": default.id, "name": "service"},
            id=uuid.uuid4().hex,
            tags=[],
            extra={},
        )
        admin = await session.scalar(
            select(User).where(User.domain_id == default.id, User.name == "admin")
        )
        created = admin is None
        if created:
            admin = User(
                id=uuid.uuid4().hex,
                name="admin",
                domain_id=default.id,
                password_hash=await password_hash,
                default_project_id=project.id,
                extra={},
            )
            session.add(admin)
            await session.flush()
        for target_type, target_id in (("project", project.id), ("system", "all")):
            await _get_or_add(
                session,
                Assignment,
                {
                    "actor_type": "user",
                    "actor_id": admin.id,
                    "target_type": target_type,
                    "target_id": target_id,
                    "role_id": roles["admin"].id,
                    "inherited": False,
                },
            )
        endpoint = await _catalog(session, conf, move_endpoints)
    return created, endpoint


def _admin_password(state_dir: str) -> tuple[str, bool]:
    """The admin password kept in the state dir, and whether it was just generated."""
    path = os.path.join(state_dir, "admin-password")
    if os.path.exists(path):
        with open(path) as f:
            return f.read().strip(), False
    password = secrets.token_urlsafe(18)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(password + "\n")
    return password, True


async def prepare(conf: cfg.ConfigOpts, move_endpoints: bool) -> Summary:
    """Schema (on SQLite), Fernet keys, bootstrap data, openrc and clouds.yaml.

    With `move_endpoints`, the catalog, openrc and clouds.yaml follow conf's address;
    otherwise they keep the one they have (the files are written only if missing)."""
    state = config.state_dir(conf)
    db = Database(config.database_url(conf))
    password, fresh = _admin_password(state)
    hashing = passwords.hash_password(password, conf.identity.password_hash_rounds)
    if fresh:  # bcrypt releases the GIL: hash while the schema is being created
        hashing = asyncio.ensure_future(hashing)
    try:
        if not await migrations.is_current(db):
            if not db.is_sqlite:
                raise SystemExit("the database schema is not current: run `kilocloud db upgrade`")
            await migrations.upgrade(db)
        keys = conf.fernet_tokens.key_repository or os.path.join(state, "fernet-keys")
        fernet.KeyRepository(keys, conf.fernet_tokens.max_active_keys).setup()
        created, endpoint = await bootstrap(db, conf, hashing, move_endpoints)
    finally:
        if inspect.iscoroutine(hashing):
            hashing.close()
        elif not hashing.done():
            hashing.cancel()
        await db.dispose()
    if move_endpoints or not os.path.exists(os.path.join(state, "openrc")):
        clientconfig.write(state, endpoint, password, conf.region_name, conf.tls_cert)
    return Summary(endpoint, state, password, created, new_password=fresh)
