"""The messaging service layer: every operation, wired to one store and one fan-out."""

from __future__ import annotations

import httpx
from oslo_config import cfg

from kilocloud.core import config, registry
from kilocloud.deps import Services
from kilocloud.messaging.delivery.fanout import Fanout
from kilocloud.messaging.delivery.mailto import MailtoSink
from kilocloud.messaging.delivery.trust import Trustee, TrustSink
from kilocloud.messaging.delivery.webhook import WebhookSink
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
            queues, services.policy, confirmation.send, messaging.trustee, fanout.forget
        )


class Messaging:
    """What the HTTP API and the websocket transport call."""

    def __init__(self, services: Services, base_url: str) -> None:
        conf = services.conf
        self.conf = conf
        store_class = registry.load(BACKENDS, conf.drivers.message_store)
        self.store = store_class.from_services(services)
        opts = conf.notification
        self.http = httpx.AsyncClient(timeout=opts.delivery_timeout)
        self.trustee = _trustee(conf, self.http)
        self.fanout = Fanout(
            self.store, _sinks(conf, self.http, self.trustee), opts.max_notifier_workers
        )
        self.fanout.require_confirmation = opts.require_confirmation
        self.signed_urls = SignedURLs(secret_key(conf), services.policy)
        queues = Queues(self.store, services.policy, conf, services.notifier)
        self.queue_family = Family(queues, self, services, base_url)
        self.queues, self.messages = queues, self.queue_family.messages
        self.subscriptions = self.queue_family.subscriptions
        self.claims = Claims(queues, services.policy)
        topics = Queues(self.store, services.policy, conf, services.notifier, kind="topics")
        self.topics = Family(topics, self, services, base_url)
        self.policy = services.policy
        self.catalog = Catalog(services.db, services.policy)

    async def start(self) -> None:
        """Start background delivery."""
        await self.fanout.start()

    async def stop(self) -> None:
        """Stop background delivery and release connections."""
        await self.fanout.stop()
        await self.http.aclose()
        await self.store.close()


def _trustee(conf: cfg.ConfigOpts, http: httpx.AsyncClient) -> Trustee | None:
    """The `[trustee]` user, when one is configured."""
    if not conf.trustee.username:
        return None
    auth_url = conf.trustee.auth_url or conf.keystone_authtoken.auth_url
    auth_url = auth_url or config.public_endpoint(conf) + "/identity"
    return Trustee(http, conf.trustee, auth_url.rstrip("/").removesuffix("/v3") + "/v3")


def _sinks(conf: cfg.ConfigOpts, http: httpx.AsyncClient, trustee: Trustee | None) -> dict:
    """Delivery sinks by subscriber URI scheme."""
    webhook = WebhookSink(http)
    sinks: dict = {"http": webhook, "https": webhook}
    sinks["mailto"] = MailtoSink(conf.notification.smtp_url, conf.notification.mail_from)
    if trustee is not None:
        sinks["trust+http"] = sinks["trust+https"] = TrustSink(webhook, trustee)
    return sinks
