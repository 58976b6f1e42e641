"""The messaging service layer: every operation, wired to one store and one fan-out."""

from __future__ import annotations

from kilocloud.core import registry
from kilocloud.deps import Services
from kilocloud.messaging.delivery import pushes
from kilocloud.messaging.delivery.fanout import Fanout
from kilocloud.messaging.delivery.wiring import Delivery
from kilocloud.messaging.service.catalog import Catalog
from kilocloud.messaging.service.claims import Claims
from kilocloud.messaging.service.confirmation import Confirmation
from kilocloud.messaging.service.messages import Messages
from kilocloud.messaging.service.queues import Queues
from kilocloud.messaging.service.signed_urls import SignedURLs, secret_key
from kilocloud.messaging.service.subscriptions import Subscriptions
from kilocloud.messaging.storage.base import BACKENDS


class Family:
    """Queues or topics, with their messages and subscriptions."""

    def __init__(self, queues: Queues, messaging: Messaging, services: Services, base: str) -> None:
        self.queues = queues
        fanout = messaging.fanout
        self.messages = Messages(queues, services.policy, fanout.publish)
        confirmation = Confirmation(services.conf, fanout, messaging.signed_urls, base, queues.kind)
        self.subscriptions = Subscriptions(
            queues,
            services.policy,
            confirmation,
            messaging.trustee,
            fanout.forget,
            messaging.delivery.rules,
        )


class Messaging:
    """What the HTTP API and the websocket transport call."""

    def __init__(self, services: Services, base_url: str) -> None:
        conf = services.conf
        self.conf = conf
        store_class = registry.load(BACKENDS, conf.drivers.message_store)
        self.store = store_class.from_services(services)
        self.delivery = Delivery(conf)
        self.trustee = self.delivery.trustee
        self.fanout = Fanout(
            self.store,
            self.delivery.queue,
            conf.notification.require_confirmation,
            pushes.build(conf),
        )
        self.signed_urls = SignedURLs(secret_key(conf), services.policy)
        queues = Queues(self.store, services.policy, conf, services.notifier)
        self.queue_family = Family(queues, self, services, base_url)
        self.queues, self.messages = queues, self.queue_family.messages
        self.subscriptions = self.queue_family.subscriptions
        self.claims = Claims(queues, services.policy)
        topics = Queues(self.store, services.policy, conf, services.notifier, kind="topics")
        self.topics = Family(topics, self, services, base_url)
        self.policy = services.policy
        self.validator = services.validator  # websocket frames carry tokens too
        self.catalog = Catalog(services.db, services.policy)

    async def start(self) -> None:
        """Start background delivery."""
        await self.fanout.start()

    async def stop(self) -> None:
        """Stop background delivery and release connections."""
        await self.fanout.stop()
        await self.delivery.stop()
        await self.store.close()
