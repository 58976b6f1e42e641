"""Subscriptions: webhook and mailto subscribers of a queue's (or topic's) messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from kilocloud.core import outbound
from kilocloud.core.errors import Conflict, NotFound
from kilocloud.core.policy import Policy
from kilocloud.messaging.delivery import retry
from kilocloud.messaging.delivery.trust import Trustee
from kilocloud.messaging.errors import InvalidRequest, titled
from kilocloud.messaging.service import limits
from kilocloud.messaging.service.caller import Caller, enforce, now
from kilocloud.messaging.service.confirmation import Confirmation
from kilocloud.messaging.service.queues import Queues
from kilocloud.messaging.storage.base import DuplicateSubscriber, Subscription

FIELDS = ("subscriber", "ttl", "options")
SCHEMES = ("http", "https", "mailto", "trust+http", "trust+https")
MAX_SUBSCRIPTION_TTL = 2**31 - 1
PAGE = 1000


class Subscriptions:
    """Subscription operations on the queues (or topics) of `queues`."""

    def __init__(
        self,
        queues: Queues,
        policy: Policy,
        confirmation: Confirmation | None = None,
        trustee: Trustee | None = None,
        forget: Callable[[str, str], None] | None = None,
        rules: outbound.Rules | None = None,
    ) -> None:
        self.queues, self.store, self.policy = queues, queues.store, policy
        self.opts = queues.opts
        self.confirmation, self.trustee = confirmation, trustee
        # drops the delivery side's cached subscriber list of a queue that changed
        self.forget = forget or (lambda space, queue: None)
        self.rules = rules or outbound.Rules(purpose="webhook subscriptions")

    async def _reachable(self, subscriber: str) -> None:
        """400 unless the outbound guard lets deliveries reach a webhook subscriber; a name
        that does not resolve now is accepted (deliveries check it again when connecting)."""
        if subscriber.startswith("mailto:"):
            return
        try:
            await outbound.check(self.rules, subscriber.removeprefix("trust+"))
        except outbound.Unresolved:
            pass
        except outbound.Refused as exc:
            raise InvalidRequest(exc.message) from None

    def _fields(self, doc: Any, partial: bool) -> dict[str, Any]:
        if partial and not doc:
            raise InvalidRequest("No subscription to create.")
        if not isinstance(doc, dict):
            raise InvalidRequest("Request body must be a JSON object.")
        if partial:
            # zaqarclient sends every field, the unchanged ones as null
            doc = {k: v for k, v in doc.items() if k in FIELDS and v is not None}
        fields: dict[str, Any] = {}
        if "subscriber" in doc or not partial:
            fields["subscriber"] = _subscriber(doc.get("subscriber"))
        if "ttl" in doc or not partial:
            ttl = doc.get("ttl", self.opts.default_subscription_ttl)
            fields["ttl"] = limits.field(ttl, "ttl", 60, MAX_SUBSCRIPTION_TTL)
        if "options" in doc or not partial:
            fields["options"] = doc.get("options", {})
            if not isinstance(fields["options"], dict):
                raise InvalidRequest("Options must be a dict.")
            retry.validate(fields["options"].get("_retry_policy"))
        return fields

    async def create(self, caller: Caller, queue: str, doc: Any) -> str:
        """Subscribe; the subscription's id. A subscriber already there that has not confirmed
        is asked again (same id); one that has confirmed is a 409."""
        enforce(self.policy, caller, "subscription:create")
        f = self._fields(doc, partial=False)
        await self._reachable(f["subscriber"])
        space, name = self.queues.space(caller), self.queues.name(queue)
        if f["subscriber"].startswith("trust+"):
            if self.trustee is None:
                raise InvalidRequest("trust+ subscribers need a [trustee] user configured.")
            f["options"]["trust_id"] = await self.trustee.create_trust(caller.ctx)
        try:
            sub_id = await self.store.create_subscription(
                space, name, f["subscriber"], f["ttl"], f["options"], now()
            )
        except DuplicateSubscriber:
            return await self._ask_again(space, name, f["subscriber"])
        if self.confirmation is not None:
            await self.confirmation.ask(space, name, await self._get(space, name, sub_id))
        await self.queues.notify(caller, "subscription.create", name, subscription_id=sub_id)
        return sub_id

    async def _ask_again(self, space: str, queue: str, subscriber: str) -> str:
        sub = await self._by_subscriber(space, queue, subscriber)
        if sub is None or sub.confirmed:
            raise Conflict(
                "Such subscription already exists. Subscriptions are unique by project + "
                "queue + subscriber URI."
            )
        if self.confirmation is not None:
            await self.confirmation.ask(space, queue, sub)
        return sub.id

    async def _by_subscriber(self, space: str, queue: str, subscriber: str) -> Subscription | None:
        marker = None
        while page := await self.store.list_subscriptions(space, queue, marker, PAGE, now()):
            for sub in page:
                if sub.subscriber == subscriber:
                    return sub
            marker = page[-1].id
        return None

    async def _get(self, space: str, queue: str, sub_id: str) -> Subscription:
        if not limits.resource_id(sub_id):
            raise NotFound("Subscription not found.")
        sub = await self.store.get_subscription(space, queue, sub_id, now())
        if sub is None:
            raise NotFound("Subscription not found.")
        return sub

    async def get(self, caller: Caller, queue: str, sub_id: str) -> Subscription:
        """A live subscription; 404 when there is none."""
        enforce(self.policy, caller, "subscription:get")
        return await self._get(self.queues.space(caller), self.queues.name(queue), sub_id)

    async def list(
        self, caller: Caller, queue: str, marker: str | None, limit: Any
    ) -> list[Subscription]:
        """A page of the queue's subscriptions."""
        enforce(self.policy, caller, "subscription:get_all")
        high = self.opts.max_subscriptions_per_page
        limit = limits.page_limit(high if limit is None else limit, high)
        marker = limits.marker(marker, _subscription_marker)
        space = self.queues.space(caller)
        return await self.store.list_subscriptions(
            space, self.queues.name(queue), marker, limit, now()
        )

    async def update(self, caller: Caller, queue: str, sub_id: str, doc: Any) -> None:
        """Change a subscription's subscriber, ttl or options."""
        enforce(self.policy, caller, "subscription:update")
        fields = self._fields(doc, partial=True)
        if not fields:
            raise titled(
                InvalidRequest,
                "Unable to update subscription",
                f"Subscription {sub_id} could not be updated.",
            )
        if "subscriber" in fields:
            await self._reachable(fields["subscriber"])
        await self._change(caller, queue, sub_id, fields)

    async def _change(self, caller: Caller, queue: str, sub_id: str, fields: dict) -> None:
        if not limits.resource_id(sub_id):
            raise NotFound("Subscription not found.")
        space = self.queues.space(caller)
        try:
            found = await self.store.update_subscription(
                space, self.queues.name(queue), sub_id, fields, now()
            )
        except DuplicateSubscriber:
            raise Conflict("Such subscription already exists.") from None
        if not found:
            raise NotFound("Subscription not found.")
        self.forget(space, queue)

    async def delete(self, caller: Caller, queue: str, sub_id: str) -> None:
        """Forget a subscription."""
        enforce(self.policy, caller, "subscription:delete")
        if not limits.resource_id(sub_id):
            return
        space = self.queues.space(caller)
        await self.store.delete_subscription(space, self.queues.name(queue), sub_id)
        self.forget(space, queue)
        await self.queues.notify(caller, "subscription.delete", queue, subscription_id=sub_id)

    async def confirm(self, caller: Caller, queue: str, sub_id: str, doc: Any) -> None:
        """Record whether the subscriber confirmed it wants deliveries."""
        enforce(self.policy, caller, "subscription:confirm")
        confirmed = doc.get("confirmed") if isinstance(doc, dict) else None
        if not isinstance(confirmed, bool):
            raise InvalidRequest("The 'confirmed' field must be a boolean.")
        await self._change(caller, queue, sub_id, {"confirmed": confirmed})
        if not confirmed and self.confirmation is not None:
            space, name = self.queues.space(caller), self.queues.name(queue)
            await self.confirmation.unsubscribed(space, name, await self._get(space, name, sub_id))


def _subscriber(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidRequest("A subscriber URI is required.")
    if len(value) > 512:
        raise InvalidRequest("The subscriber URI may not be longer than 512 characters.")
    if any(ch.isspace() or ord(ch) < 32 for ch in value + unquote(value)):
        raise InvalidRequest("The subscriber URI may not contain spaces or control characters.")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - reading it is what checks it
    except ValueError:
        raise InvalidRequest(f"The subscriber {value} is not a valid URI.") from None
    if parts.scheme not in SCHEMES:
        raise InvalidRequest(
            f"The subscriber type of subscription must be one of {', '.join(SCHEMES)}."
        )
    if parts.scheme == "mailto" and not _address(unquote(parts.path)):
        raise InvalidRequest(f"The subscriber {value} is not a mail address.")
    if parts.scheme != "mailto" and not parts.hostname:
        raise InvalidRequest(f"The subscriber {value} is not a valid URL.")
    return value


def _address(path: str) -> bool:
    local, at, domain = path.rpartition("@")
    return bool(local and at and domain)


def _subscription_marker(value: str) -> None:
    if not limits.resource_id(value):
        raise InvalidRequest("The marker is not valid.")
