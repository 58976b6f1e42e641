"""Webhook sink: POST each message as JSON to an http(s):// subscriber."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import orjson

from kilocloud.core import outbound, redaction
from kilocloud.messaging.delivery.http import LazyClient

LOG = logging.getLogger(__name__)
TEMPLATE = "$zaqar_message$"


def payload(message: dict[str, Any], options: dict[str, Any]) -> bytes:
    """The request body: the message, or `post_data` with the message put in its template."""
    doc = orjson.dumps(message)
    template = options.get("post_data")
    if template is None:
        return doc
    text = template if isinstance(template, str) else orjson.dumps(template).decode()
    return text.replace(f'"{TEMPLATE}"', doc.decode()).replace(TEMPLATE, doc.decode()).encode()


class WebhookSink:
    """Delivers to http(s) URLs; success is any status below 500."""

    def __init__(self, client: LazyClient) -> None:
        self.client = client

    async def send(
        self,
        url: str,
        message: dict[str, Any],
        options: dict[str, Any],
        auth: dict[str, str] | None = None,
    ) -> bool:
        """POST the message; whether it is done with (retry otherwise): taken, or refused by
        the outbound guard (the address a name resolves to now is checked as it is connected)."""
        headers = {"Content-Type": "application/json", **(auth or {})}
        extra = options.get("post_headers")
        if isinstance(extra, dict):
            headers.update({str(k): str(v) for k, v in extra.items()})
        try:
            resp = await self.client.post(url, content=payload(message, options), headers=headers)
        except httpx.HTTPError:
            return False
        except outbound.Refused as exc:
            # the guard refuses it again on every retry: given up at once
            LOG.warning("not delivering to %s: %s", redaction.redact(url), exc.message)
            return True
        except (httpx.InvalidURL, ValueError):  # a subscriber stored before it was checked
            LOG.warning("not delivering to %s: not a valid URL", redaction.redact(url))
            return True
        return 200 <= resp.status_code < 500
