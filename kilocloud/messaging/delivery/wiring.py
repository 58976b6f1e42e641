"""Where this process's subscription deliveries run: its own pool, or `kilocloud worker`s."""

from __future__ import annotations

from oslo_config import cfg

from kilocloud.core import tasks
from kilocloud.messaging.delivery import config, sinks
from kilocloud.messaging.delivery.http import LazyClient
from kilocloud.messaging.delivery.jobs import Deliverer
from kilocloud.messaging.delivery.trust import Trustee


class Delivery:
    """An API process's delivery queue: in-process by default, to workers with a broker."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.http = sinks.http_client(conf)
        self.webhook_http = sinks.webhook_client(conf)
        self.trustee = sinks.trustee(conf, self.http)  # also makes the trusts of trust+ URIs
        self.rules = config.filter_rules(conf)  # checked again when subscribing
        self.runner: tasks.Runner | None = None
        self.broker: tasks.DurableQueue | None = None
        if tasks.broker_configured(conf):
            self.broker = tasks.DurableQueue(conf, conf.notification.delivery_topic)
            self.queue: tasks.TaskQueue = self.broker
        else:
            deliverer = _deliverer(conf, self.webhook_http, self.trustee)
            self.runner = tasks.Runner(deliverer.handlers(), conf.notification.delivery_jobs)
            self.queue = tasks.LocalQueue(self.runner)

    async def stop(self) -> None:
        """Abandon the deliveries running here and release connections."""
        if self.runner is not None:
            await self.runner.stop()
        if self.broker is not None:
            self.broker.close()
        await self.http.aclose()
        await self.webhook_http.aclose()


class WorkerDelivery:
    """A `kilocloud worker`'s delivery handlers, with their own HTTP client."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.http = sinks.http_client(conf)
        self.webhook_http = sinks.webhook_client(conf)
        trustee = sinks.trustee(conf, self.http)
        self.deliverer = _deliverer(conf, self.webhook_http, trustee)

    def handlers(self) -> dict[str, tasks.Handler]:
        """Job kind -> handler, for the worker's tasks.Runner."""
        return self.deliverer.handlers()

    async def close(self) -> None:
        """Release the HTTP clients."""
        await self.http.aclose()
        await self.webhook_http.aclose()


def _deliverer(conf: cfg.ConfigOpts, http: LazyClient, user: Trustee | None) -> Deliverer:
    return Deliverer(sinks.build(conf, http, user), conf.notification.max_notifier_workers)
