"""Claims: take free messages for a while, show, renew, release; dead-lettering on claim."""

from __future__ import annotations

from typing import Any

from kilocloud.core.errors import NotFound
from kilocloud.core.policy import Policy
from kilocloud.messaging.errors import InvalidRequest
from kilocloud.messaging.service import limits
from kilocloud.messaging.service.caller import Caller, enforce, now
from kilocloud.messaging.service.queues import Queues
from kilocloud.messaging.storage.base import Claim, ClaimSpec


class Claims:
    """Claim operations on the queues of `queues`."""

    def __init__(self, queues: Queues, policy: Policy) -> None:
        self.queues, self.store, self.policy = queues, queues.store, policy
        self.opts = queues.opts

    def _times(self, doc: Any) -> tuple[int, int]:
        if doc is None:
            doc = {}
        if not isinstance(doc, dict):
            raise InvalidRequest("Request body must be a JSON object.")
        ttl = limits.claim_ttl(doc.get("ttl", self.opts.default_claim_ttl), self.opts)
        grace = limits.claim_grace(doc.get("grace", self.opts.default_claim_grace), self.opts)
        return ttl, grace

    async def create(self, caller: Caller, queue: str, doc: Any, limit: Any) -> Claim | None:
        """Claim up to `limit` messages; None when nothing is free."""
        enforce(self.policy, caller, "claims:create")
        ttl, grace = self._times(doc)
        if isinstance(doc, dict) and "limit" in doc and limit is None:
            limit = doc["limit"]
        high = self.opts.max_messages_per_claim_or_pop
        spec = ClaimSpec(ttl, grace, limits.page_limit(limit or 10, high))
        meta = await self.queues.metadata(caller, self.queues.name(queue)) or {}
        if meta.get("_max_claim_count") and meta.get("_dead_letter_queue"):
            spec.max_claim_count = int(meta["_max_claim_count"])
            spec.dead_letter_queue = str(meta["_dead_letter_queue"])
            spec.dead_letter_ttl = meta.get("_dead_letter_queue_messages_ttl")
        return await self.store.claim(self.queues.space(caller), queue, spec, now())

    async def get(self, caller: Caller, queue: str, claim_id: str) -> Claim:
        """A live claim; 404 when there is none."""
        enforce(self.policy, caller, "claims:get")
        if not limits.resource_id(claim_id):
            raise NotFound("Claim not found.")
        space = self.queues.space(caller)
        claim = await self.store.get_claim(space, self.queues.name(queue), claim_id, now())
        if claim is None:
            raise NotFound("Claim not found.")
        return claim

    async def update(self, caller: Caller, queue: str, claim_id: str, doc: Any) -> None:
        """Renew a claim with a new ttl and grace from now."""
        enforce(self.policy, caller, "claims:update")
        ttl, grace = self._times(doc)
        if not limits.resource_id(claim_id):
            raise NotFound("Claim not found.")
        space = self.queues.space(caller)
        if not await self.store.renew_claim(
            space, self.queues.name(queue), claim_id, ttl, grace, now()
        ):
            raise NotFound("Claim not found.")

    async def delete(self, caller: Caller, queue: str, claim_id: str) -> None:
        """Release a claim's messages."""
        enforce(self.policy, caller, "claims:delete")
        if not limits.resource_id(claim_id):
            return
        space = self.queues.space(caller)
        await self.store.release_claim(space, self.queues.name(queue), claim_id, now())
