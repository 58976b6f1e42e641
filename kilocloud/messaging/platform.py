"""Platform notifications (image.*, identity.*) copied into the owning project's queue."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from oslo_config import cfg

from kilocloud.core.context import RequestContext
from kilocloud.messaging.service.caller import Caller
from kilocloud.messaging.service.messaging import Messaging

LOG = logging.getLogger(__name__)
CLIENT_ID = str(uuid.UUID(int=0))
FIELDS = ("event_type", "payload", "publisher_id", "timestamp", "message_id", "priority")


def owner(event_type: str, payload: Any) -> str | None:
    """The project a notification is about, if it names one."""
    if not isinstance(payload, dict):
        return None
    if event_type.startswith("identity.project."):
        return payload.get("resource_info")
    # image.send names the image's owner owner_id (its receiver_tenant_id is the downloader);
    # image.member.* carry the sharing project as owner, next to the member_id it shares with
    for key in ("owner", "owner_id", "project_id", "tenant_id", "project"):
        if isinstance(payload.get(key), str) and payload[key]:
            return payload[key]
    return None


class PlatformEvents:
    """A Notifier listener posting each matching notification as a message."""

    def __init__(self, svc: Messaging, conf: cfg.ConfigOpts) -> None:
        self.svc, self.opts = svc, conf.platform_notifications

    def wanted(self, event_type: str) -> bool:
        """Whether the configured filter lets `event_type` through."""
        patterns = self.opts.event_types
        return not patterns or any(
            event_type == p or (p.endswith("*") and event_type.startswith(p[:-1])) for p in patterns
        )

    async def receive(self, notification: dict[str, Any]) -> None:
        """Post the notification into its project's queue (never raises)."""
        event_type = notification.get("event_type", "")
        if not self.opts.enabled or not self.wanted(event_type):
            return
        project = owner(event_type, notification.get("payload"))
        if not project:
            return
        ctx = RequestContext(request_id="", project_id=project, roles=["admin"])
        caller = Caller(ctx, project, CLIENT_ID)
        doc = {
            "messages": [
                {
                    "body": {k: notification.get(k) for k in FIELDS},
                    "ttl": self.opts.message_ttl,
                }
            ]
        }
        try:
            await self.svc.messages.post(caller, self.opts.queue_name, doc, 0)
        except Exception:  # a notification that cannot be stored must not break its emitter
            LOG.exception("could not store %s for project %s", event_type, project)
