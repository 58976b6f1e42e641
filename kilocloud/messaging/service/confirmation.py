"""Subscription confirmation: a new subscriber is asked to confirm, by a pre-signed confirm URL.

As in Zaqar, when `[notification] require_confirmation` is set, webhook and mailto subscribers
alike get the request (mailto as a mail with a link) and nothing else until they confirm; one that
unconfirms is told how to confirm again.
"""

from __future__ import annotations

import time
from typing import Any

from oslo_config import cfg

from kilocloud.messaging.delivery.fanout import Fanout
from kilocloud.messaging.service.signed_urls import SignedURLs
from kilocloud.messaging.storage.base import Subscription

SUBSCRIBE = "SubscriptionConfirmation"
UNSUBSCRIBE = "UnsubscribeConfirmation"


class Confirmation:
    """Sends the confirmation requests of one family (queues or topics)."""

    def __init__(
        self, conf: cfg.ConfigOpts, fanout: Fanout, signer: SignedURLs, base: str, kind: str
    ) -> None:
        self.enabled = conf.notification.require_confirmation
        self.fanout, self.signer, self.base, self.kind = fanout, signer, base, kind

    async def ask(self, space: str, queue: str, sub: Subscription) -> None:
        """Ask a new (or still unconfirmed) subscriber to confirm, if confirmation is required."""
        self.fanout.forget(space, queue)
        if self.enabled:
            text = f"Confirm your subscription to the queue: {queue}"
            await self.fanout.deliver_now(sub, self.request(space, queue, sub, SUBSCRIBE, text))

    async def unsubscribed(self, space: str, queue: str, sub: Subscription) -> None:
        """Tell a subscriber that unconfirmed how to confirm again."""
        self.fanout.forget(space, queue)
        if self.enabled:
            text = f"Your subscription to the queue: {queue} is off; confirm to resubscribe"
            await self.fanout.deliver_now(sub, self.request(space, queue, sub, UNSUBSCRIBE, text))

    def request(
        self, space: str, queue: str, sub: Subscription, kind: str, text: str
    ) -> dict[str, Any]:
        """The document sent: the confirm URL, signed for PUT, and the bodies to PUT there."""
        path = f"/v2/{self.kind}/{queue}/subscriptions/{sub.id}/confirm"
        project = space.partition("#")[0]
        expires = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + sub.ttl))
        grant = self.signer.grant(project, [path], ["PUT"], expires)
        return {
            "Message_Type": kind,
            "Message": text,
            "queue_name": queue,
            "WSGISubscribeURL": self.base + path,
            "SubscribeBody": {"confirmed": True},
            "UnsubscribeBody": {"confirmed": False},
            "URL-Signature": grant["signature"],
            "URL-Methods": grant["methods"][0],
            "URL-Paths": grant["paths"][0],
            "URL-Expires": grant["expires"],
            "X-Project-ID": project,
        }
