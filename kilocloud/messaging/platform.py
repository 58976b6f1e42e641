"""Platform notifications (image.*, identity.*, network.*, port.*...) copied to project queues."""

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
    if isinstance(payload.get("nova_object.data"), dict):  # Nova's versioned payloads
        payload = payload["nova_object.data"]
    if event_type.startswith("identity.project."):
        return payload.get("resource_info")
    # image.send names the image's owner owner_id (its receiver_tenant_id is the downloader);
    # image.member.* carry the sharing project as owner, next to the member_id it shares with
    for key in ("owner", "owner_id", "project_id", "tenant_id", "project"):
        if isinstance(payload.get(key), str) and payload[key]:
            return payload[key]
    # Neutron's payloads wrap the resource: {"port": {..., "project_id": ...}}
    for inner in payload.values():
        if isinstance(inner, dict) and isinstance(inner.get("project_id"), str):
            return inner["project_id"] or None
    return None


class PlatformEvents:
    """A Notifier listener posting matching notifications as messages, a post per project."""

    def __init__(self, svc: Messaging, conf: cfg.ConfigOpts) -> None:
        self.svc, self.opts = svc, conf.platform_notifications

    def wanted(self, event_type: str) -> bool:
        """Whether the configured filter lets `event_type` through."""
        patterns = self.opts.event_types
        return not patterns or any(
            event_type == p or (p.endswith("*") and event_type.startswith(p[:-1])) for p in patterns
        )

    async def receive(self, notifications: list[dict[str, Any]]) -> None:
        """Post the notifications into their projects' queues, in order (never raises)."""
        if not self.opts.enabled:
            return
        by_project: dict[str, list[dict[str, Any]]] = {}
        for notification in notifications:
            event_type = notification.get("event_type", "")
            if not self.wanted(event_type):
                continue
            if project := owner(event_type, notification.get("payload")):
                body = {k: notification.get(k) for k in FIELDS}
                message = {"body": body, "ttl": self.opts.message_ttl}
                by_project.setdefault(project, []).append(message)
        per_post = self.svc.messages.opts.max_messages_per_page
        for project, messages in by_project.items():
            for start in range(0, len(messages), per_post):
                await self._post(project, messages[start : start + per_post])

    async def _post(self, project: str, messages: list[dict[str, Any]]) -> None:
        ctx = RequestContext(request_id="", project_id=project, roles=["admin"])
        caller = Caller(ctx, project, CLIENT_ID)
        try:
            await self.svc.messages.post(caller, self.opts.queue_name, {"messages": messages}, 0)
        except Exception:  # a notification that cannot be stored must not break its emitter
            if len(messages) > 1:  # keep the ones that can be stored
                for message in messages:
                    await self._post(project, [message])
                return
            LOG.exception(
                "could not store %s for project %s", messages[0]["body"]["event_type"], project
            )
