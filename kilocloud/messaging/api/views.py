"""Response documents shared by the HTTP and websocket transports."""

from __future__ import annotations

import datetime
from typing import Any

import orjson

from kilocloud.messaging.service.caller import now
from kilocloud.messaging.storage.base import Claim, Message, Stats, Subscription


def _iso(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def message(base: str, m: Message, at: float | None = None) -> dict[str, Any]:
    """A message as listings, gets and claims show it."""
    at = now() if at is None else at
    href = f"{base}/messages/{m.id}"
    doc = {
        "id": m.id,
        "href": href + (f"?claim_id={m.claim_id}" if m.claimed(at) else ""),
        "ttl": m.ttl,
        "age": max(0, int(at - m.created)),
        "body": orjson.loads(m.body),
        "checksum": m.checksum,
    }
    if m.claimed(at):
        doc["claim_id"] = m.claim_id
        doc["claim_count"] = m.claim_count
    return doc


def messages(base: str, found: list[Message]) -> list[dict[str, Any]]:
    """Several messages, aged at one instant."""
    at = now()
    return [message(base, m, at) for m in found]


def claim(base: str, c: Claim) -> dict[str, Any]:
    """A claim with the messages it holds."""
    return {
        "id": c.id,
        "href": f"{base}/claims/{c.id}",
        "ttl": c.ttl,
        "grace": c.grace,
        "age": max(0, int(now() - c.created)),
        "messages": messages(base, c.messages),
    }


def stats(base: str, s: Stats) -> dict[str, Any]:
    """A queue's message counts, with its oldest and newest message."""
    counts: dict[str, Any] = {"free": s.free, "claimed": s.claimed, "total": s.total}
    counts["delayed"] = s.delayed
    for name, m in (("oldest", s.oldest), ("newest", s.newest)):
        if m is not None:
            counts[name] = {
                "id": m.id,
                "href": f"{base}/messages/{m.id}",
                "age": max(0, int(now() - m.created)),
                "created": _iso(m.created),
            }
    return {"messages": counts}


def subscription(s: Subscription) -> dict[str, Any]:
    """A subscription as Zaqar shows it."""
    return {
        "id": s.id,
        "source": s.source,
        "subscriber": s.subscriber,
        "ttl": s.ttl,
        "age": max(0, int(now() - s.created)),
        "options": s.options,
        "confirmed": s.confirmed,
    }


def queue(base: str, name: str, meta: dict[str, Any] | None) -> dict[str, Any]:
    """A queue in a listing; metadata only when `detailed`."""
    doc: dict[str, Any] = {"name": name, "href": f"{base}/{name}"}
    if meta is not None:
        doc["metadata"] = meta
    return doc
