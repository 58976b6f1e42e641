"""Key pairs, owned per user: create (generate or import), list, show, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from kilocloud.compute import keys
from kilocloud.compute.models import KeyPair
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.quotas import Quotas
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Conflict, Forbidden, NotFound


class KeyPairs:
    """The os-keypairs resource."""

    def __init__(self, deps: ComputeDeps, quotas: Quotas) -> None:
        self.deps = deps
        self.quotas = quotas

    async def create(self, ctx: RequestContext, body: dict[str, Any]) -> tuple[KeyPair, str | None]:
        """(key pair, private key when generated); 409 on a taken name, 403 over quota."""
        user_id = body.get("user_id") or ctx.user_id
        self.deps.enforce(ctx, "os-keypairs:create", {"user_id": user_id})
        key_type, name = body.get("type", "ssh"), body["name"]
        private = None
        if "public_key" in body:
            public = body["public_key"]
            event = "keypair.import"
        else:
            private, public = (
                keys.generate_x509(user_id) if key_type == "x509" else keys.generate_ssh()
            )
            event = "keypair.create"
        row = KeyPair(
            user_id=user_id,
            name=name,
            public_key=public,
            type=key_type,
            fingerprint=keys.fingerprint(key_type, public),
        )
        await self.deps.notify(ctx, f"{event}.start", _payload(row))
        async with self.deps.db.write() as session:
            count = await session.scalar(
                select(func.count()).select_from(KeyPair).where(KeyPair.user_id == user_id)
            )
            limit = await self.quotas.limit(ctx.project_id, "key_pairs", user_id)
            if 0 <= limit <= count:
                raise Forbidden("Quota exceeded, too many key pairs.")
            taken = await session.scalar(
                select(KeyPair.id).where(KeyPair.user_id == user_id, KeyPair.name == name)
            )
            if taken is not None:
                raise Conflict(f"Key pair '{name}' already exists.")
            session.add(row)
            await session.flush()
        await self.deps.notify(ctx, f"{event}.end", _payload(row))
        return row, private

    async def list(
        self, ctx: RequestContext, user_id: str | None, limit: int | None, marker: str | None
    ) -> list[KeyPair]:
        """The user's key pairs by name."""
        user_id = user_id or ctx.user_id
        self.deps.enforce(ctx, "os-keypairs:index", {"user_id": user_id})
        stmt = select(KeyPair).where(KeyPair.user_id == user_id).order_by(KeyPair.name)
        async with self.deps.db.read() as session:
            if marker is not None:
                if await session.scalar(stmt.where(KeyPair.name == marker)) is None:
                    raise BadRequest(f"marker [{marker}] not found")
                stmt = stmt.where(KeyPair.name > marker)
            if limit is not None:
                stmt = stmt.limit(limit)
            return list(await session.scalars(stmt))

    async def get(self, ctx: RequestContext, name: str, user_id: str | None = None) -> KeyPair:
        """One key pair of the user; 404 when it has none by that name."""
        user_id = user_id or ctx.user_id
        self.deps.enforce(ctx, "os-keypairs:show", {"user_id": user_id})
        return await self.find(user_id, name)

    async def find(self, user_id: str, name: str) -> KeyPair:
        """The key pair `name` of `user_id`, with no policy check (server create uses it)."""
        async with self.deps.db.read() as session:
            row = await session.scalar(
                select(KeyPair).where(KeyPair.user_id == user_id, KeyPair.name == name)
            )
        if row is None:
            raise NotFound(f"Keypair {name} not found for user {user_id}")
        return row

    async def delete(self, ctx: RequestContext, name: str, user_id: str | None = None) -> None:
        """Remove a key pair of the user."""
        user_id = user_id or ctx.user_id
        self.deps.enforce(ctx, "os-keypairs:delete", {"user_id": user_id})
        row = await self.find(user_id, name)
        await self.deps.notify(ctx, "keypair.delete.start", _payload(row))
        async with self.deps.db.write() as session:
            await session.execute(delete(KeyPair).where(KeyPair.id == row.id))
        await self.deps.notify(ctx, "keypair.delete.end", _payload(row))


def _payload(row: KeyPair) -> dict[str, Any]:
    data = {
        "user_id": row.user_id,
        "name": row.name,
        "public_key": row.public_key,
        "fingerprint": row.fingerprint,
        "type": row.type,
    }
    return {
        "nova_object.name": "KeypairPayload",
        "nova_object.namespace": "nova",
        "nova_object.version": "1.0",
        "nova_object.data": data,
    }
