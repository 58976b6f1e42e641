"""Subscription confirmation: ask a new webhook subscriber to confirm, by a pre-signed URL."""

from __future__ import annotations

from oslo_config import cfg

from kilocloud.messaging.delivery.fanout import Fanout
from kilocloud.messaging.service.signed_urls import SignedURLs
from kilocloud.messaging.storage.base import Subscription


class Confirmation:
    """Sends the confirmation request when `[notification] require_confirmation` is set."""

    def __init__(
        self, conf: cfg.ConfigOpts, fanout: Fanout, signer: SignedURLs, base: str, kind: str
    ) -> None:
        self.enabled = conf.notification.require_confirmation
        self.fanout, self.signer, self.base, self.kind = fanout, signer, base, kind

    async def send(self, space: str, queue: str, sub: Subscription) -> None:
        """Forget cached subscriptions of the queue; ask webhooks to confirm if required."""
        self.fanout.forget(space, queue)
        if not self.enabled or sub.subscriber.startswith("mailto:"):
            return
        path = f"/v2/{self.kind}/{queue}/subscriptions/{sub.id}/confirm"
        project = space.partition("#")[0]
        grant = self.signer.grant(project, [path], ["PUT", "POST"])
        doc = {
            "Message_Type": "SubscriptionConfirmation",
            "Message": f"You have chosen to subscribe to the queue: {queue}",
            "queue_name": queue,
            "SubscribeURL": self.base + path,
            "SubscribeBody": {"confirmed": True},
            "UnsubscribeBody": {"confirmed": False},
            "URL-Signature": grant["signature"],
            "URL-Methods": ",".join(grant["methods"]),
            "URL-Paths": ",".join(grant["paths"]),
            "URL-Expires": grant["expires"],
            "X-Project-ID": project,
        }
        await self.fanout.deliver_now(sub, doc)
