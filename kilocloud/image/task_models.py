"""Image task tables: one durable row per task, with the lease its runner keeps fresh."""

from __future__ import annotations

import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kilocloud.core.db import Base, Timestamp
from kilocloud.image.models import ID, utcnow


class ImageTask(Base):
    __tablename__ = "image_tasks"
    __table_args__ = (
        Index("ix_image_tasks_owner_created", "owner", "created_at"),
        Index("ix_image_tasks_status_heartbeat", "status", "heartbeat_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(30))
    owner: Mapped[str | None] = mapped_column(ID)
    user_id: Mapped[str | None] = mapped_column(ID)
    request_id: Mapped[str | None] = mapped_column(String(64))
    image_id: Mapped[str | None] = mapped_column(String(36), index=True)
    input: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(JSON)
    job: Mapped[dict | None] = mapped_column(JSON)  # the queued payload, to send it again
    message: Mapped[str] = mapped_column(Text, default="")
    runner: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # runs claimed
    heartbeat_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime.datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
