"""The sinks of one process, by subscriber URI scheme, built from its configuration."""

from __future__ import annotations

import httpx
from oslo_config import cfg

from kilocloud.core import config, outbound_http
from kilocloud.messaging.delivery import config as delivery_config
from kilocloud.messaging.delivery.http import LazyClient
from kilocloud.messaging.delivery.jobs import Sink
from kilocloud.messaging.delivery.mailto import MailtoSink
from kilocloud.messaging.delivery.trust import Trustee, TrustSink
from kilocloud.messaging.delivery.webhook import WebhookSink


def http_client(conf: cfg.ConfigOpts) -> LazyClient:
    """The HTTP client of trustee logins, to the identity endpoint the operator configured."""
    return LazyClient(lambda: httpx.AsyncClient(timeout=conf.notification.delivery_timeout))


def webhook_client(conf: cfg.ConfigOpts) -> LazyClient:
    """The HTTP client of deliveries to subscribers' URLs: through the outbound guard."""
    rules = delivery_config.filter_rules(conf)
    timeout = conf.notification.delivery_timeout
    return LazyClient(lambda: outbound_http.client(rules, timeout))


def trustee(conf: cfg.ConfigOpts, http: LazyClient) -> Trustee | None:
    """The `[trustee]` user, when one is configured."""
    if not conf.trustee.username:
        return None
    auth_url = conf.trustee.auth_url or conf.keystone_authtoken.auth_url
    auth_url = auth_url or config.public_endpoint(conf) + "/identity"
    return Trustee(http, conf.trustee, auth_url.rstrip("/").removesuffix("/v3") + "/v3")


def build(conf: cfg.ConfigOpts, http: LazyClient, user: Trustee | None) -> dict[str, Sink]:
    """Delivery sinks by subscriber URI scheme; `http` is the webhook client."""
    webhook = WebhookSink(http)
    sinks: dict[str, Sink] = {"http": webhook, "https": webhook, "mailto": MailtoSink(conf)}
    if user is not None:
        sinks["trust+http"] = sinks["trust+https"] = TrustSink(webhook, user)
    return sinks
