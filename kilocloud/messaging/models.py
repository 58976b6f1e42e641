"""SQL tables of the messaging service (the sqlalchemy message store and the pool catalog)."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kilocloud.core.db import Base, Timestamp

# SQLite only auto-increments INTEGER PRIMARY KEY columns.
SEQ = BigInteger().with_variant(Integer, "sqlite")


class Queue(Base):
    __tablename__ = "messaging_queues"
    __table_args__ = (Index("ix_messaging_queues_project_name", "project", "name", unique=True),)

    id: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    project: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp)


class Message(Base):
    __tablename__ = "messaging_messages"
    __table_args__ = (Index("ix_messaging_messages_marker", "project", "queue", "marker"),)

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    project: Mapped[str] = mapped_column(String(64))
    queue: Mapped[str] = mapped_column(String(64))
    # From the queue's counter, taken under its row lock: markers follow commit order.
    marker: Mapped[int | None] = mapped_column(BigInteger)
    body: Mapped[str] = mapped_column(Text)
    ttl: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp)
    expires_at: Mapped[datetime.datetime] = mapped_column(Timestamp, index=True)
    delay_until: Mapped[datetime.datetime | None] = mapped_column(Timestamp)
    client_id: Mapped[str] = mapped_column(String(300))
    checksum: Mapped[str] = mapped_column(String(40))
    claim_id: Mapped[str | None] = mapped_column(String(36), index=True)
    claim_expires: Mapped[datetime.datetime | None] = mapped_column(Timestamp)
    claim_count: Mapped[int] = mapped_column(Integer, default=0)


class QueueCounter(Base):
    """The last marker given to a message of each queue (queues are created lazily)."""

    __tablename__ = "messaging_queue_counters"

    project: Mapped[str] = mapped_column(String(64), primary_key=True)
    queue: Mapped[str] = mapped_column(String(64), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger)


class Claim(Base):
    __tablename__ = "messaging_claims"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project: Mapped[str] = mapped_column(String(64))
    queue: Mapped[str] = mapped_column(String(64))
    ttl: Mapped[int] = mapped_column(Integer)
    grace: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp)
    expires_at: Mapped[datetime.datetime] = mapped_column(Timestamp, index=True)


class Subscription(Base):
    __tablename__ = "messaging_subscriptions"
    __table_args__ = (
        Index("ix_messaging_subscriptions_source", "project", "queue", "subscriber", unique=True),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project: Mapped[str] = mapped_column(String(64))
    queue: Mapped[str] = mapped_column(String(64))
    subscriber: Mapped[str] = mapped_column(String(512))
    ttl: Mapped[int] = mapped_column(Integer)
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp)
    expires_at: Mapped[datetime.datetime] = mapped_column(Timestamp, index=True)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)


class Pool(Base):
    __tablename__ = "messaging_pools"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    uri: Mapped[str] = mapped_column(String(255))
    weight: Mapped[int] = mapped_column(Integer)
    flavor: Mapped[str | None] = mapped_column(String(64))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)


class Flavor(Base):
    __tablename__ = "messaging_flavors"

    project: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    pool_list: Mapped[list[str]] = mapped_column(JSON)
    capabilities: Mapped[dict[str, Any]] = mapped_column(JSON)
