"""Conversions between SQL rows and storage records; times as naive UTC datetimes."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from kilocloud.messaging import models
from kilocloud.messaging.storage.base import Message, NewMessage, Subscription, new_ids

EPOCH = datetime.datetime(1970, 1, 1)


def to_dt(ts: float) -> datetime.datetime:
    """UNIX seconds as a naive UTC datetime."""
    return EPOCH + datetime.timedelta(seconds=ts)


def to_ts(dt: datetime.datetime | None) -> float:
    """A naive UTC datetime as UNIX seconds (0 for None)."""
    return (dt - EPOCH).total_seconds() if dt else 0.0


def message(row: models.Message) -> Message:
    """The record of a message row."""
    return Message(
        id=row.id,
        marker=row.marker,
        body=row.body.encode(),
        ttl=row.ttl,
        created=to_ts(row.created_at),
        expires=to_ts(row.expires_at),
        client_id=row.client_id,
        checksum=row.checksum,
        delay_until=to_ts(row.delay_until),
        claim_id=row.claim_id,
        claim_expires=to_ts(row.claim_expires),
        claim_count=row.claim_count,
    )


def subscription(row: models.Subscription) -> Subscription:
    """The record of a subscription row."""
    return Subscription(
        id=row.id,
        source=row.queue,
        subscriber=row.subscriber,
        ttl=row.ttl,
        options=row.options,
        created=to_ts(row.created_at),
        expires=to_ts(row.expires_at),
        confirmed=row.confirmed,
    )


def message_rows(
    project: str, queue: str, messages: list[NewMessage], client_id: str, now: float
) -> list[dict[str, Any]]:
    """Insertable rows for posted messages."""
    created = to_dt(now)
    return [
        {
            "id": i,
            "project": project,
            "queue": queue,
            "body": m.body.decode(),
            "ttl": m.ttl,
            "created_at": created,
            "expires_at": created + datetime.timedelta(seconds=m.ttl),
            "delay_until": created + datetime.timedelta(seconds=m.delay) if m.delay else None,
            "client_id": client_id,
            "checksum": "MD5:" + hashlib.md5(m.body).hexdigest(),
            "claim_count": 0,
        }
        for i, m in zip(new_ids(len(messages)), messages, strict=True)
    ]
